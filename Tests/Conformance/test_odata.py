"""OData through the SDKs' `_filter/_orderby/_select/_limit/_page` arguments (sdk-contract.md §f),
each result checked against fixtures/*.json."""
import json

import pytest

from conftest import error_of, fixture_items, model_class

VMS = fixture_items("vmm.ahv.config.vms")
IMAGES = fixture_items("vmm.content.images")
CATEGORIES = fixture_items("prism.config.categories")
CLUSTER_A = next(c["extId"] for c in fixture_items("clustermgmt.config.clusters") if c["name"] == "ahv-cluster-a")

VM_FILTERS = [
    ("startswith(name,'vm-web')", lambda v: v["name"].startswith("vm-web")),
    ("powerState eq Vmm.Ahv.Config.PowerState'ON'", lambda v: v.get("powerState") == "ON"),
    ("memorySizeBytes gt 8589934592", lambda v: v.get("memorySizeBytes", 0) > 8589934592),
    (f"cluster/extId eq '{CLUSTER_A}'", lambda v: v["cluster"]["extId"] == CLUSTER_A),
    ("name in ('vm-web-01','vm-db-01','no-such-vm')", lambda v: v["name"] in ("vm-web-01", "vm-db-01")),
    ("numSockets ge 2 and not startswith(name,'vm-db')",
     lambda v: v.get("numSockets", 0) >= 2 and not v["name"].startswith("vm-db")),
]


@pytest.mark.parametrize("expression,predicate", VM_FILTERS, ids=[f[0] for f in VM_FILTERS])
def test_vm_filter_matches_fixture_data(sdk, expression, predicate):
    expected = sorted(v["name"] for v in VMS if predicate(v))
    response = sdk.api("vmm", "VmApi").list_vms(_filter=expression, _limit=100)
    assert response.metadata.total_available_results == len(expected)
    assert sorted(v.name for v in response.data or []) == expected


def test_orderby_then_pages_walk_the_sorted_fixture(sdk):
    api = sdk.api("vmm", "VmApi")
    expected = sorted((v["name"] for v in VMS), reverse=True)
    seen = []
    for page in range(3):
        response = api.list_vms(_orderby="name desc", _limit=5, _page=page)
        assert response.metadata.total_available_results == len(VMS)
        seen += [v.name for v in response.data]
    assert seen == expected
    rels = {link.rel for link in api.list_vms(_limit=5, _page=1).metadata.links}
    assert {"self", "first", "prev", "next", "last"} <= rels


def test_page_past_the_end_is_empty_not_an_error(sdk):
    response = sdk.api("vmm", "VmApi").list_vms(_limit=50, _page=3)
    assert not response.data
    assert response.metadata.total_available_results == len(VMS)


def test_orderby_numeric_ascending(sdk):
    response = sdk.api("vmm", "VmApi").list_vms(_orderby="memorySizeBytes", _limit=100)
    sizes = [v.memory_size_bytes for v in response.data]
    assert sizes == sorted(v["memorySizeBytes"] for v in VMS)


def test_select_returns_typed_items_with_only_the_selected_fields(sdk):
    response = sdk.api("vmm", "VmApi").list_vms(_select="name,extId", _orderby="name", _limit=3)
    cls = model_class("vmm", "vmm.v4.ahv.config.Vm")
    assert all(isinstance(v, cls) for v in response.data)
    assert [v.name for v in response.data] == sorted(v["name"] for v in VMS)[:3]
    assert all(v.ext_id for v in response.data)
    assert all(v.memory_size_bytes is None and v.disks is None for v in response.data)


def test_image_enum_filter_and_orderby(sdk):
    response = sdk.api("vmm", "ImagesApi").list_images(
        _filter="type eq Vmm.Content.ImageType'ISO_IMAGE'", _orderby="sizeBytes desc", _limit=100)
    expected = [i["name"] for i in sorted(IMAGES, key=lambda i: -i["sizeBytes"]) if i["type"] == "ISO_IMAGE"]
    assert [i.name for i in response.data] == expected


def test_category_filter_on_key(sdk):
    response = sdk.api("prism", "CategoriesApi").list_categories(_filter="key eq 'Environment'", _limit=100)
    expected = sorted(c["value"] for c in CATEGORIES if c["key"] == "Environment")
    assert sorted(c.value for c in response.data) == expected


def test_unknown_filter_field_is_a_400_with_a_typed_error(sdk):
    module = __import__("ntnx_vmm_py_client")
    with pytest.raises(module.rest.ApiException) as caught:
        sdk.api("vmm", "VmApi").list_vms(_filter="noSuchField eq 1")
    assert caught.value.status == 400
    decoded = error_of(sdk, "vmm", caught.value, "vmm.v4.ahv.config.ListVmsApiResponse")
    error = decoded.data
    assert type(error).__name__ == "ErrorResponse"
    assert "noSuchField" in error.error[0].message
    assert json.loads(caught.value.body)["data"]["$objectType"] == "vmm.v4.error.ErrorResponse"
