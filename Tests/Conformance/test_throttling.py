"""A throttled call recovers through the SDK's own urllib3 retry (sdk-contract.md §b: 429/503
with Retry-After are retried with the same NTNX-Request-Id)."""
from conftest import admin, fixture_items


def test_rate_limited_call_recovers_by_retry(sdk, wire):
    api = sdk.api("vmm", "VmApi")
    api.list_vms(_limit=1)  # negotiation done before the budget shrinks
    status, _ = admin("PUT", "/_pcmock/config", {"rateLimit": {"requestsPerSecond": 1, "burst": 1}})
    assert status == 200
    try:
        first = len(wire.requests)
        api.list_vms(_limit=1)
        response = api.list_vms(_limit=1)  # over the budget: 429 + Retry-After, then the retry passes
        assert response.metadata.total_available_results == len(fixture_items("vmm.ahv.config.vms"))
        ids = [h.get("NTNX-Request-Id") for (m, _), h in list(zip(wire.requests, wire.headers))[first:] if m == "GET"]
        assert len(ids) == 3 and ids[1] == ids[2] and ids[0] != ids[1]
    finally:
        admin("PUT", "/_pcmock/config", {"rateLimit": None})


def test_injected_503s_are_retried(sdk, wire):
    status, _ = admin("POST", "/_pcmock/faults", {"method": "GET", "pathPattern": "/api/vmm/*/ahv/config/vms",
                                                  "status": 503, "retryAfterSeconds": 1, "times": 2})
    assert status in (200, 201)
    response = sdk.api("vmm", "VmApi").list_vms(_limit=1)
    assert response.data
    assert wire.count("GET", "/api/vmm/") == 3
