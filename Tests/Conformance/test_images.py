"""Image import through ImagesApi: the size the import task fills in, images from a VM disk, and
cluster locations that must exist (else the task fails with a VMM error and nothing is created)."""
from conftest import created_ext_id, fixture_items, model_class, wait_task

CLUSTERS = [c["extId"] for c in fixture_items("clustermgmt.config.clusters") if c["name"].startswith("ahv-")]


def image_body(**kwargs):
    Image = model_class("vmm", "vmm.v4.content.Image")
    return Image(**kwargs)


def test_url_image_gets_a_size_and_its_locations(sdk):
    images = sdk.api("vmm", "ImagesApi")
    UrlSource = model_class("vmm", "vmm.v4.content.UrlSource")
    body = image_body(name="conformance-iso", type="ISO_IMAGE",
                      source=UrlSource(url="https://mirror.example.com/tools.iso"), cluster_location_ext_ids=CLUSTERS)
    task = wait_task(sdk, images.create_image(body=body).data)
    assert task.status == "SUCCEEDED"
    got = images.get_image_by_id(created_ext_id(task, "vmm:content:image")).data
    assert 256 * 2**20 <= got.size_bytes <= 8 * 2**30
    assert got.size_bytes % 2**20 == 0
    assert sorted(got.cluster_location_ext_ids) == sorted(CLUSTERS)


def test_image_from_a_vm_disk_takes_the_disk_size(sdk):
    images = sdk.api("vmm", "ImagesApi")
    VmDiskSource = model_class("vmm", "vmm.v4.content.VmDiskSource")
    vm = fixture_items("vmm.ahv.config.vms")[0]
    disk = vm["disks"][0]
    body = image_body(name="from-vm-disk", type="DISK_IMAGE",
                      source=VmDiskSource(ext_id=disk["extId"], vm_ext_id=vm["extId"]))
    task = wait_task(sdk, images.create_image(body=body).data)
    assert task.status == "SUCCEEDED"
    got = images.get_image_by_id(created_ext_id(task, "vmm:content:image")).data
    assert got.size_bytes == disk["backingInfo"]["diskSizeBytes"]
    assert type(got.source).__name__ == "VmDiskSource"


def test_missing_vm_disk_or_cluster_fails_the_task_and_creates_nothing(sdk):
    images = sdk.api("vmm", "ImagesApi")
    VmDiskSource = model_class("vmm", "vmm.v4.content.VmDiskSource")
    UrlSource = model_class("vmm", "vmm.v4.content.UrlSource")
    total = images.list_images(_limit=1).metadata.total_available_results
    missing_disk = image_body(name="no-disk", type="DISK_IMAGE",
                              source=VmDiskSource(ext_id="00000000-0000-4000-8000-000000000abc"))
    task = wait_task(sdk, images.create_image(body=missing_disk).data)
    assert task.status == "FAILED"
    assert task.error_messages and task.error_messages[0].code.startswith("VMM-")
    missing_cluster = image_body(name="no-cluster", type="DISK_IMAGE", source=UrlSource(url="http://a.invalid/d.img"),
                                 cluster_location_ext_ids=["00000000-0000-4000-8000-000000000abd"])
    task = wait_task(sdk, images.create_image(body=missing_cluster).data)
    assert task.status == "FAILED"
    assert "00000000-0000-4000-8000-000000000abd" in task.error_messages[0].message
    assert images.list_images(_limit=1).metadata.total_available_results == total


def test_update_keeps_the_imported_size_and_needs_the_etag(sdk, wire):
    images = sdk.api("vmm", "ImagesApi")
    fixture = fixture_items("vmm.content.images")[1]
    response = images.get_image_by_id(fixture["extId"])
    response.data.description = "updated through the SDK"
    etag = sdk.client("vmm").get_etag(response)
    assert wait_task(sdk, images.update_image_by_id(fixture["extId"], body=response.data).data).status == "SUCCEEDED"
    assert wire.last_headers("PUT").get("If-Match") == etag
    got = images.get_image_by_id(fixture["extId"])
    assert got.data.description == "updated through the SDK"
    assert got.data.size_bytes == fixture["sizeBytes"]
    assert sdk.client("vmm").get_etag(got) != etag
