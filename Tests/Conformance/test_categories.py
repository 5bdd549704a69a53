"""Categories through CategoriesApi: one per key and value (409), associations with `_expand`,
and a category in use cannot be deleted."""
import pytest

from conftest import error_of, fixture_items, model_class, sdk_module


def fixture_category(key, value):
    return next(c["extId"] for c in fixture_items("prism.config.categories") if (c["key"], c["value"]) == (key, value))


def vms_with(category):
    return {vm["extId"] for vm in fixture_items("vmm.ahv.config.vms")
            if any(c["extId"] == category for c in vm.get("categories", []))}


def test_duplicate_key_and_value_is_a_conflict(sdk):
    categories = sdk.api("prism", "CategoriesApi")
    Category = model_class("prism", "prism.v4.config.Category")
    with pytest.raises(sdk_module("prism").rest.ApiException) as caught:
        categories.create_category(body=Category(key="Environment", value="Production"))
    assert caught.value.status == 409
    error = error_of(sdk, "prism", caught.value, "prism.v4.config.CreateCategoryApiResponse").data
    assert error.error[0].error_group == "CATEGORY_ALREADY_EXISTS"
    assert categories.list_categories(_filter="key eq 'Environment' and value eq 'Production'") \
        .metadata.total_available_results == 1


def test_expand_associations_counts_vms(sdk):
    categories = sdk.api("prism", "CategoriesApi")
    ext_id = fixture_category("Environment", "Production")
    got = categories.get_category_by_id(ext_id, _expand="associations").data
    AssociationSummary = model_class("prism", "prism.v4.config.AssociationSummary")
    assert got.associations and all(isinstance(a, AssociationSummary) for a in got.associations)
    by_type = {a.resource_type: a.count for a in got.associations}
    assert by_type["VM"] == len(vms_with(ext_id))
    assert all(a.category_id == ext_id for a in got.associations)
    detailed = categories.get_category_by_id(ext_id, _expand="detailedAssociations").data
    assert {d.resource_id for d in detailed.detailed_associations if d.resource_type == "VM"} == vms_with(ext_id)
    listed = categories.list_categories(_expand="associations", _filter=f"extId eq '{ext_id}'").data
    assert {a.resource_type: a.count for a in listed[0].associations} == by_type


def test_category_in_use_cannot_be_deleted(sdk):
    categories = sdk.api("prism", "CategoriesApi")
    ext_id = fixture_category("AppType", "DB")
    assert vms_with(ext_id)
    etag = sdk.client("prism").get_etag(categories.get_category_by_id(ext_id))
    with pytest.raises(sdk_module("prism").rest.ApiException) as caught:
        categories.delete_category_by_id(ext_id, if_match=etag)
    assert caught.value.status == 409
    error = error_of(sdk, "prism", caught.value, "prism.v4.config.DeleteCategoryApiResponse").data
    assert error.error[0].error_group == "CATEGORY_IN_USE"
    assert categories.get_category_by_id(ext_id).data.ext_id == ext_id
