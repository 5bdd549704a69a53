"""Pinned SDK wheels: the newest release of each namespace and the 4.0.x docstring sources.

Versions come from `pip index versions ntnx-<ns>-py-client` (see sdk-contract.md section 1).
`operations` is the number of public API methods the newest wheel has; the generator fails if it
maps a different number, so a silent drift (new wheel, parser miss) cannot go unnoticed.
"""
import sys

# namespace: (newest version, expected operation count, 4.0.x version with field lists or None)
NAMESPACES = {
    "aiops": ("4.0.2", 18, "4.0.1"),
    "clustermgmt": ("4.3.2", 121, "4.0.2"),
    "datapolicies": ("4.3.2", 43, "4.0.1"),
    "dataprotection": ("4.4.2", 29, "4.0.1"),
    "files": ("4.0.1", 102, None),
    "iam": ("4.0.1", 54, None),
    "licensing": ("4.4.2", 22, "4.0.1"),
    "lifecycle": ("4.3.2", 72, "4.0.1"),
    "microseg": ("4.3.2", 33, "4.0.1"),
    "monitoring": ("4.3.2", 23, "4.0.1"),
    "networking": ("4.4.2", 122, "4.0.1"),
    "objects": ("4.1.2", 17, "4.0.1"),
    "opsmgmt": ("4.0.4", 17, "4.0.1"),
    "prism": ("4.4.2", 41, "4.0.1"),
    "security": ("4.2.1", 27, None),
    "vmm": ("4.3.2", 192, "4.0.1"),
    "volumes": ("4.3.2", 30, "4.0.1"),
}

# The newest wheels pin certifi ranges that conflict with each other, hence --no-deps plus these.
RUNTIME = ["urllib3~=1.26", "python-dateutil~=2.8", "six~=1.16", "pysocks~=1.7", "certifi==2025.4.26"]

EXPECTED_TOTAL = 963


def distribution(namespace):
    return f"ntnx-{namespace}-py-client"


def module(namespace):
    return f"ntnx_{namespace}_py_client"


def requirements(kind):
    if kind == "newest":
        return [f"{distribution(ns)}=={v}" for ns, (v, _, _) in sorted(NAMESPACES.items())]
    if kind == "docstrings":
        return [f"{distribution(ns)}=={old}" for ns, (_, _, old) in sorted(NAMESPACES.items()) if old]
    if kind == "runtime":
        return list(RUNTIME)
    raise SystemExit(f"unknown pin set {kind!r}")


if __name__ == "__main__":
    print(" ".join(requirements(sys.argv[1])))
