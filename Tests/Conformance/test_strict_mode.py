"""Strict mode through the official SDKs (issue 9 points 4–5): correct SDK usage passes — the SDK
sends NTNX-Request-Id on every call and If-Match from the entity it read — and leaves no violation
in the contract report; a broken call is rejected with the rule as its `code` and shows up in the
report, as JSON and as JUnit XML."""
import json
import xml.etree.ElementTree as ET

import pytest

from conftest import admin, created_ext_id, error_of, fixture_items, model_class, sdk_module, wait_task

CLUSTER = next(c["extId"] for c in fixture_items("clustermgmt.config.clusters") if c["name"] == "ahv-cluster-a")
FIXTURE_VM = fixture_items("vmm.ahv.config.vms")[0]["extId"]


def new_vm(name):
    Vm = model_class("vmm", "vmm.v4.ahv.config.Vm")
    ClusterReference = model_class("vmm", "vmm.v4.ahv.config.ClusterReference")
    return Vm(name=name, num_sockets=1, num_cores_per_socket=1, memory_size_bytes=1073741824,
              cluster=ClusterReference(ext_id=CLUSTER))


def report(fmt=None):
    status, body = admin("GET", "/_pcmock/contract-report" + (f"?format={fmt}" if fmt else ""))
    assert status == 200
    return body


@pytest.fixture
def strict():
    """Strict mode and an empty report for one test; the server is shared, so both are undone after."""
    admin("DELETE", "/_pcmock/contract-report")
    status, body = admin("PUT", "/_pcmock/config", {"strict": True})
    assert status == 200 and json.loads(body)["strict"] is True
    yield
    admin("PUT", "/_pcmock/config", {"strict": False})
    admin("DELETE", "/_pcmock/contract-report")


def test_correct_sdk_usage_passes_strict_mode(sdk, wire, strict):
    vms = sdk.api("vmm", "VmApi")
    client = sdk.client("vmm")

    task = wait_task(sdk, vms.create_vm(body=new_vm("strict-vm")).data)
    assert task.status == "SUCCEEDED"
    ext_id = created_ext_id(task, "vmm:ahv:config:vm")

    vm = vms.get_vm_by_id(ext_id).data
    vm.num_sockets = 2
    updated = vms.update_vm_by_id(ext_id, body=vm)
    assert wire.last_headers("PUT").get("If-Match")
    assert wait_task(sdk, updated.data).status == "SUCCEEDED"

    listed = vms.list_vms(_filter="name eq 'strict-vm'", _orderby="name desc", _page=0, _limit=5)
    assert [(v.ext_id, v.num_sockets) for v in listed.data] == [(ext_id, 2)]

    etag = client.get_etag(vms.get_vm_by_id(ext_id))
    assert wait_task(sdk, vms.delete_vm_by_id(ext_id, if_match=etag).data).status == "SUCCEEDED"

    categories = sdk.api("prism", "CategoriesApi")
    Category = model_class("prism", "prism.v4.config.Category")
    created = categories.create_category(body=Category(key="StrictTeam", value="blue")).data
    got = categories.get_category_by_id(created.ext_id)
    got.data.description = "checked"
    categories.update_category_by_id(created.ext_id, body=got.data)

    result = json.loads(report())
    assert result["mode"] == "strict"
    assert result["violations"] == []
    operations = {op["operationId"]: op for ns in result["namespaces"] for op in ns["operations"]}
    assert {"createVm", "getVmById", "updateVmById", "listVms", "deleteVmById", "getTaskById",
            "createCategory", "getCategoryById", "updateCategoryById"} <= set(operations)
    assert operations["listVms"]["statuses"] == {"200": 1}
    assert operations["deleteVmById"]["statuses"] == {"202": 1}


def test_violations_are_rejected_with_their_rule_and_reported(sdk, wire, strict):
    vms = sdk.api("vmm", "VmApi")
    ApiException = sdk_module("vmm").rest.ApiException

    # `description` is not in list_vms's published filterable fields.
    with pytest.raises(ApiException) as bad_filter:
        vms.list_vms(_filter="description eq 'x'")
    assert bad_filter.value.status == 400
    message = error_of(sdk, "vmm", bad_filter.value, "vmm.v4.ahv.config.ListVmsApiResponse").data.error[0]
    assert type(message).__name__ == "AppMessage"
    assert message.code == "STRICT_FIELD_NOT_FILTERABLE"
    assert message.message.startswith("STRICT_FIELD_NOT_FILTERABLE: ")
    assert message.arguments_map["token"] == "description"
    filter_request_id = wire.last_headers("GET")["NTNX-Request-Id"]

    # A Vm built from scratch carries no ETag, so the SDK sends no If-Match.
    with pytest.raises(ApiException) as no_etag:
        vms.update_vm_by_id(FIXTURE_VM, body=new_vm("no-etag"))
    assert no_etag.value.status == 428
    message = error_of(sdk, "vmm", no_etag.value, "vmm.v4.ahv.config.UpdateVmApiResponse").data.error[0]
    assert message.code == "STRICT_MISSING_IF_MATCH"
    assert message.arguments_map["extId"] == FIXTURE_VM
    assert "If-Match" not in wire.last_headers("PUT")
    assert vms.get_vm_by_id(FIXTURE_VM).data.name == fixture_items("vmm.ahv.config.vms")[0]["name"]

    result = json.loads(report())
    found = {(v["rule"], v["operationId"]): v for v in result["violations"]}
    assert set(found) == {("STRICT_FIELD_NOT_FILTERABLE", "listVms"), ("STRICT_MISSING_IF_MATCH", "updateVmById")}
    assert found[("STRICT_FIELD_NOT_FILTERABLE", "listVms")]["requestIds"] == [filter_request_id]
    assert found[("STRICT_MISSING_IF_MATCH", "updateVmById")]["status"] == 428
    assert result["summary"]["violations"] == 2

    root = ET.fromstring(report("junit"))
    assert root.tag == "testsuites"
    assert root.get("failures") == "2"
    vmm = next(s for s in root.findall("testsuite") if s.get("name") == "vmm")
    cases = {c.get("name"): c for c in vmm.findall("testcase")}
    assert cases["listVms"].find("failure").get("type") == "STRICT_FIELD_NOT_FILTERABLE"
    assert cases["updateVmById"].find("failure").get("type") == "STRICT_MISSING_IF_MATCH"
    assert cases["getVmById"].find("failure") is None


def test_lenient_mode_keeps_its_answers_and_still_reports_the_rule(sdk):
    admin("DELETE", "/_pcmock/contract-report")
    categories = sdk.api("prism", "CategoriesApi")
    ApiException = sdk_module("prism").rest.ApiException
    Category = model_class("prism", "prism.v4.config.Category")
    ext_id = fixture_items("prism.config.categories")[0]["extId"]
    try:
        with pytest.raises(ApiException) as no_etag:
            categories.update_category_by_id(ext_id, body=Category(key="Environment", value="Renamed"))
        assert no_etag.value.status == 428
        message = error_of(sdk, "prism", no_etag.value, "prism.v4.config.UpdateCategoryApiResponse").data.error[0]
        assert message.error_group == "MISSING_ETAG_HEADER"
        result = json.loads(report())
        assert result["mode"] == "lenient"
        assert [(v["rule"], v["operationId"]) for v in result["violations"]] == [
            ("STRICT_MISSING_IF_MATCH", "updateCategoryById")]
    finally:
        admin("DELETE", "/_pcmock/contract-report")
