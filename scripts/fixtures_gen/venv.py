"""Makes the official Nutanix SDKs importable, creating a throwaway venv on first use.

The generator must build every document through the SDK model classes, so it cannot run without
them. Versions are pinned so that two runs on two machines produce the same bytes.
"""
import importlib
import importlib.metadata
import os
import subprocess
import sys

# `pip index versions` was used to pick the newest release of each; iam is stuck at 4.0.1 on PyPI.
SDK_PACKAGES = [
    "ntnx-vmm-py-client==4.3.2",
    "ntnx-prism-py-client==4.4.2",
    "ntnx-clustermgmt-py-client==4.3.2",
    "ntnx-networking-py-client==4.4.2",
    "ntnx-volumes-py-client==4.3.2",
    "ntnx-iam-py-client==4.0.1",
]
# The newest wheels cannot be co-installed through pip's resolver (iam 4.0.1 pins an old certifi),
# hence --no-deps plus the runtime dependencies listed here (sdk-contract.md section 1).
RUNTIME_DEPS = [
    "urllib3~=1.26",
    "python-dateutil~=2.8",
    "six~=1.16",
    "pysocks~=1.7",
    "certifi==2025.4.26",
]
MODULES = [
    "ntnx_vmm_py_client",
    "ntnx_prism_py_client",
    "ntnx_clustermgmt_py_client",
    "ntnx_networking_py_client",
    "ntnx_volumes_py_client",
    "ntnx_iam_py_client",
]


def sdks_pinned():
    """True when the pinned SDK versions are importable here (other versions give other bytes)."""
    for requirement in SDK_PACKAGES:
        name, version = requirement.split("==")
        try:
            if importlib.metadata.version(name) != version:
                return False
        except importlib.metadata.PackageNotFoundError:
            return False
    try:
        for module in MODULES:
            importlib.import_module(module)
    except ImportError:
        return False
    return True


def ensure_sdks(repo_root, argv):
    """Returns when the SDKs import; otherwise (re-)executes the generator inside `.venv-fixtures`."""
    if sdks_pinned():
        return
    venv = os.path.join(repo_root, ".venv-fixtures")
    python = os.path.join(venv, "bin", "python")
    inside = os.path.realpath(sys.prefix) == os.path.realpath(venv)
    if inside and os.environ.get("PCMOCK_FIXTURES_INSTALLED"):
        sys.exit("generate-fixtures: the pinned SDKs are still missing inside " + venv)
    if not os.path.exists(python):
        print("generate-fixtures: creating " + venv, file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "venv", venv])
    if inside:
        pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.check_call(pip + ["--no-deps"] + SDK_PACKAGES)
        print("generate-fixtures: pip's complaint about iam 4.0.1 and certifi is expected", file=sys.stderr)
        subprocess.check_call(pip + RUNTIME_DEPS)
        os.environ["PCMOCK_FIXTURES_INSTALLED"] = "1"
    os.execv(python, [python] + argv)
