"""Shared fixtures: the running pcmock (started by scripts/conformance), SDK clients per namespace,
a wire log of what the SDKs send, the fixture data, and task/error helpers.

Every test gets a freshly reset server (`POST /_pcmock/reset`), so tests never depend on order.
"""
import base64
import importlib
import importlib.metadata
import json
import os
import pathlib
import urllib.parse
import urllib.request

import pytest
import urllib3.connectionpool

URL = os.environ.get("PCMOCK_URL", "")
GENERATION = os.environ.get("PCMOCK_SDK_GENERATION", "newest")
REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
USERNAME = "admin"
PASSWORD = "Nutanix/4u"


def pytest_configure(config):
    if not URL:
        raise pytest.UsageError("PCMOCK_URL is not set: run the suite through scripts/conformance")


def admin(method, path, body=None):
    """Raw HTTP to pcmock's own /_pcmock API (the SDKs cannot express it)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(URL + path, data=data, method=method)
    token = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
    request.add_header("Authorization", "Basic " + token)
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


@pytest.fixture(autouse=True)
def reset_server():
    status, _ = admin("POST", "/_pcmock/reset")
    assert status == 204


class Wire:
    """Every request the SDKs send in this test, as (method, path without query), seen at urllib3's
    connection pool: exactly what goes on the wire, retries included."""

    def __init__(self):
        self.requests = []
        self.headers = []

    def last_headers(self, method):
        """Headers of the newest request with `method`."""
        for (m, _), headers in zip(reversed(self.requests), reversed(self.headers)):
            if m == method:
                return headers
        raise AssertionError(f"no {method} request was sent")

    def count(self, method, path_prefix=""):
        return sum(1 for m, p in self.requests if m == method and p.startswith(path_prefix))


@pytest.fixture(autouse=True)
def wire(monkeypatch):
    log = Wire()
    original = urllib3.connectionpool.HTTPConnectionPool.urlopen

    def recording(self, method, url, *args, **kwargs):
        log.requests.append((method, urllib.parse.urlsplit(url).path))
        # urllib3's own retries pass `headers` positionally (urlopen(method, url, body, headers, …)).
        headers = kwargs.get("headers") or (args[1] if len(args) > 1 else None)
        log.headers.append(dict(headers or {}))
        return original(self, method, url, *args, **kwargs)

    monkeypatch.setattr(urllib3.connectionpool.HTTPConnectionPool, "urlopen", recording)
    return log


def sdk_module(namespace):
    return importlib.import_module(f"ntnx_{namespace}_py_client")


def sdk_version(namespace):
    return importlib.metadata.version(f"ntnx-{namespace}-py-client")


def make_client(namespace, **client_kwargs):
    module = sdk_module(namespace)
    parts = urllib.parse.urlsplit(URL)
    cfg = module.Configuration()
    cfg.scheme = "http"
    cfg.host = parts.hostname
    cfg.port = parts.port
    cfg.username = USERNAME
    cfg.password = PASSWORD
    # A retryable status must not stall the suite for the default ~90 s of backoff.
    cfg.max_retry_attempts = 2
    cfg.backoff_factor = 0.1
    return module.ApiClient(configuration=cfg, **client_kwargs)


class Clients:
    """One ApiClient per namespace per test; `api("vmm", "VmApi")` builds the API class on it."""

    def __init__(self):
        self.clients = {}

    def client(self, namespace):
        if namespace not in self.clients:
            self.clients[namespace] = make_client(namespace)
        return self.clients[namespace]

    def api(self, namespace, api_class):
        return getattr(sdk_module(namespace), api_class)(api_client=self.client(namespace))


@pytest.fixture
def sdk():
    return Clients()


def model_class(namespace, dotted):
    """`model_class("vmm", "vmm.v4.ahv.config.Vm")` → the SDK's class for that `$objectType`."""
    module = importlib.import_module(f"ntnx_{namespace}_py_client.models.{dotted}")
    return getattr(module, dotted.rsplit(".", 1)[1])


def fixture_items(collection):
    """Items of fixtures/<collection>.json, without pcmock's private `$pcmock` member."""
    data = json.loads((FIXTURES / f"{collection}.json").read_text())
    return data["items"]


def wait_task(sdk, reference):
    """Polls prism's TasksApi until the task settles (the server runs --task-mode immediate, so the
    first poll normally sees it done; the bound only stops a broken server from hanging the suite)."""
    tasks = sdk.api("prism", "TasksApi")
    ext_id = reference.ext_id
    for _ in range(200):
        task = tasks.get_task_by_id(ext_id).data
        if task.status in ("SUCCEEDED", "FAILED", "CANCELED"):
            return task
    raise AssertionError(f"task {ext_id} did not settle: {task.status}")


def created_ext_id(task, rel):
    matches = [e.ext_id for e in (task.entities_affected or []) if e.rel == rel]
    assert matches, f"no entitiesAffected with rel {rel}: {task.entities_affected}"
    return matches[0]


def error_of(sdk, namespace, exc, response_type):
    """Decodes `ApiException.body` (raw text) with the SDK's own deserializer, as user code does."""
    body = json.loads(exc.body)
    return sdk.client(namespace).deserialize(body, response_type)
