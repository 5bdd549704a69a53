"""https (issue 10): the official SDKs against `pcmock serve --tls`, as Ansible nutanix.ncp and
the SDK defaults use it (scheme https, port as given). The server generates its certificate at
start and writes it with --tls-cert-out; `verify_ssl=True` with that file as
`root_ca_certificate_file` must verify it, for the name and for the address, while the SDK's
default CA bundle (certifi) must not; `verify_ssl=False` connects without verifying."""
import os
import select
import subprocess
import urllib.parse

import pytest

from conftest import PASSWORD, REPO, USERNAME, sdk_module

PCMOCK = os.environ.get("PCMOCK_BIN", str(REPO / ".build" / "debug" / "pcmock"))
NAMESPACE = "clustermgmt"


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    """A second pcmock, https only, beside the suite's plain one; yields (port, certificate path)."""
    certificate = tmp_path_factory.mktemp("tls") / "pcmock-cert.pem"
    process = subprocess.Popen(
        [PCMOCK, "serve", "--port", "0", "--tls", "--tls-cert-out", str(certificate), "--task-mode", "immediate"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([process.stdout], [], [], 30)
        line = process.stdout.readline().strip() if ready else ""
        assert line.startswith("pcmock listening on https://"), f"no https ready line: {line!r}"
        port = urllib.parse.urlsplit(line.rsplit(" ", 1)[1]).port
        assert certificate.read_text().startswith("-----BEGIN CERTIFICATE-----")
        yield port, str(certificate)
    finally:
        process.terminate()
        process.wait(timeout=10)


def clusters_api(port, host, **settings):
    module = sdk_module(NAMESPACE)
    cfg = module.Configuration()
    cfg.scheme = "https"
    cfg.host = host
    cfg.port = port
    cfg.username = USERNAME
    cfg.password = PASSWORD
    cfg.max_retry_attempts = 0
    for name, value in settings.items():
        setattr(cfg, name, value)
    return module.ClustersApi(api_client=module.ApiClient(configuration=cfg))


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_verify_ssl_with_the_written_certificate_as_root_ca(tls_server, host):
    port, certificate = tls_server
    api = clusters_api(port, host, verify_ssl=True, root_ca_certificate_file=certificate)
    response = api.list_clusters()
    assert response.data, "the fixtures' clusters over https"
    assert response.metadata.links[0].href.startswith("https://")


def test_verify_ssl_with_the_default_ca_bundle_refuses_the_self_signed_certificate(tls_server, caplog):
    port, _ = tls_server
    api = clusters_api(port, "localhost", verify_ssl=True)
    # What surfaces depends on the SDK generation (4.x raises a TypeError out of its own logging
    # of the failed negotiation); the verification failure itself is always logged by rest.py.
    with pytest.raises(Exception):
        api.list_clusters()
    assert "CERTIFICATE_VERIFY_FAILED" in caplog.text


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_verify_ssl_false_connects_without_verifying(tls_server):
    port, _ = tls_server
    api = clusters_api(port, "127.0.0.1", verify_ssl=False)
    assert api.list_clusters().data
