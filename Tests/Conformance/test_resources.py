"""Images, categories, subnets and volume groups through their SDKs: create, read back, update
with the automatic If-Match, delete, and the tasks' `entitiesAffected[].rel` strings that
nutanix.ansible and terraform match exactly (real-clients.md §2.4)."""
import pytest

from conftest import created_ext_id, error_of, fixture_items, model_class, sdk_module, wait_task

CLUSTER = next(c["extId"] for c in fixture_items("clustermgmt.config.clusters") if c["name"] == "ahv-cluster-a")


def test_image_create_update_delete(sdk, wire):
    images = sdk.api("vmm", "ImagesApi")
    Image = model_class("vmm", "vmm.v4.content.Image")
    UrlSource = model_class("vmm", "vmm.v4.content.UrlSource")
    body = Image(name="conformance-image", type="DISK_IMAGE", description="from the SDK",
                 source=UrlSource(url="http://images.invalid/disk.qcow2"))
    task = wait_task(sdk, images.create_image(body=body).data)
    assert task.status == "SUCCEEDED"
    ext_id = created_ext_id(task, "vmm:content:image")
    got = images.get_image_by_id(ext_id)
    assert (got.data.name, got.data.type) == ("conformance-image", "DISK_IMAGE")
    assert type(got.data.source).__name__ == "UrlSource"
    assert got.data.source.url == "http://images.invalid/disk.qcow2"

    got.data.description = "renamed by the SDK"
    etag = sdk.client("vmm").get_etag(got)
    assert wait_task(sdk, images.update_image_by_id(ext_id, body=got.data).data).status == "SUCCEEDED"
    assert wire.last_headers("PUT").get("If-Match") == etag
    assert images.get_image_by_id(ext_id).data.description == "renamed by the SDK"

    etag = sdk.client("vmm").get_etag(images.get_image_by_id(ext_id))
    assert wait_task(sdk, images.delete_image_by_id(ext_id, if_match=etag).data).status == "SUCCEEDED"
    with pytest.raises(sdk_module("vmm").rest.ApiException) as gone:
        images.get_image_by_id(ext_id)
    assert gone.value.status == 404
    assert images.list_images(_limit=100).metadata.total_available_results == len(fixture_items("vmm.content.images"))


def test_category_sync_create_and_delete(sdk):
    categories = sdk.api("prism", "CategoriesApi")
    Category = model_class("prism", "prism.v4.config.Category")
    created = categories.create_category(body=Category(key="Conformance", value="yes", description="sdk"))
    # Categories are synchronous: the entity itself comes back, not a TaskReference.
    assert isinstance(created.data, Category)
    ext_id = created.data.ext_id
    assert ext_id
    got = categories.get_category_by_id(ext_id)
    assert (got.data.key, got.data.value) == ("Conformance", "yes")
    listed = categories.list_categories(_filter="key eq 'Conformance'")
    assert [c.ext_id for c in listed.data] == [ext_id]
    etag = sdk.client("prism").get_etag(got)
    assert categories.delete_category_by_id(ext_id, if_match=etag) is None  # 204: the SDK returns None
    with pytest.raises(sdk_module("prism").rest.ApiException) as gone:
        categories.get_category_by_id(ext_id)
    assert gone.value.status == 404
    error = error_of(sdk, "prism", gone.value, "prism.v4.config.GetCategoryApiResponse").data
    assert isinstance(error, model_class("prism", "prism.v4.error.ErrorResponse"))


def test_category_create_without_a_value_is_rejected(sdk):
    Category = model_class("prism", "prism.v4.config.Category")
    with pytest.raises(sdk_module("prism").rest.ApiException) as caught:
        sdk.api("prism", "CategoriesApi").create_category(body=Category(key="OnlyAKey"))
    assert caught.value.status == 400
    error = error_of(sdk, "prism", caught.value, "prism.v4.config.CreateCategoryApiResponse").data
    assert isinstance(error.error, model_class("prism", "prism.v4.error.SchemaValidationError"))
    assert "value" in [m.attribute_path for m in error.error.validation_error_messages]


def test_subnet_create_get_delete(sdk):
    subnets = sdk.api("networking", "SubnetsApi")
    Subnet = model_class("networking", "networking.v4.config.Subnet")
    body = Subnet(name="conformance-vlan", subnet_type="VLAN", network_id=321, cluster_reference=CLUSTER)
    task = wait_task(sdk, subnets.create_subnet(body=body).data)
    assert task.status == "SUCCEEDED"
    ext_id = created_ext_id(task, "networking:config:subnet")
    response = subnets.get_subnet_by_id(ext_id)
    got = response.data
    assert isinstance(got, Subnet)
    assert (got.name, got.subnet_type, got.network_id) == ("conformance-vlan", "VLAN", 321)
    total = len(fixture_items("networking.config.subnets")) + 1
    assert subnets.list_subnets().metadata.total_available_results == total
    etag = sdk.client("networking").get_etag(response)
    assert wait_task(sdk, subnets.delete_subnet_by_id(ext_id, if_match=etag).data).status == "SUCCEEDED"
    with pytest.raises(sdk_module("networking").rest.ApiException) as gone:
        subnets.get_subnet_by_id(ext_id)
    assert gone.value.status == 404


def test_volume_group_create_and_fixture_disks(sdk):
    groups = sdk.api("volumes", "VolumeGroupsApi")
    VolumeGroup = model_class("volumes", "volumes.v4.config.VolumeGroup")
    task = wait_task(sdk, groups.create_volume_group(
        body=VolumeGroup(name="conformance-vg", cluster_reference=CLUSTER, sharing_status="SHARED")).data)
    assert task.status == "SUCCEEDED"
    ext_id = created_ext_id(task, "volumes:config:volume-group")
    response = groups.get_volume_group_by_id(ext_id)
    got = response.data
    assert isinstance(got, VolumeGroup)
    assert (got.name, got.cluster_reference) == ("conformance-vg", CLUSTER)

    disks = fixture_items("volumes.config.volume-groups.disks")
    parent = disks[0]["$pcmock"]["parentExtId"]
    listed = groups.list_volume_disks_by_volume_group_id(parent)
    VolumeDisk = model_class("volumes", "volumes.v4.config.VolumeDisk")
    assert all(isinstance(d, VolumeDisk) for d in listed.data)
    assert sorted(d.ext_id for d in listed.data) == sorted(
        d["extId"] for d in disks if d["$pcmock"]["parentExtId"] == parent)
    etag = sdk.client("volumes").get_etag(response)
    assert wait_task(sdk, groups.delete_volume_group_by_id(ext_id, if_match=etag).data).status == "SUCCEEDED"
