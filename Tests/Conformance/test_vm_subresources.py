"""VM devices, clone and categories through the official SDK (issue 8 point 2): a device
sub-resource and the VM document show the same items; clone and category association behave
as nutanix.ansible expects (real-clients.md §2.4)."""
import pytest

from conftest import created_ext_id, fixture_items, model_class, sdk_module, wait_task

VM = next(v for v in fixture_items("vmm.ahv.config.vms") if v.get("cdRoms"))
VM_ID = VM["extId"]
CATEGORIES = [c["extId"] for c in fixture_items("prism.config.categories")]
ISO = next(i["extId"] for i in fixture_items("vmm.content.images") if i["type"] == "ISO_IMAGE")
MISSING = "00000000-0000-4000-8000-00000000dead"


def vmm(name):
    return model_class("vmm", f"vmm.v4.ahv.config.{name}")


def vm_etag(sdk, vms, ext_id=VM_ID):
    return sdk.client("vmm").get_etag(vms.get_vm_by_id(ext_id))


def test_disk_create_update_delete_shows_in_the_vm(sdk):
    vms = sdk.api("vmm", "VmApi")
    disk = vmm("Disk")(disk_address=vmm("DiskAddress")(bus_type="SCSI", index=7),
                       backing_info=vmm("VmDisk")(disk_size_bytes=2 * 1024 ** 3))
    task = wait_task(sdk, vms.create_disk(VM_ID, body=disk, if_match=vm_etag(sdk, vms)).data)
    assert task.status == "SUCCEEDED"
    disk_id = created_ext_id(task, "vmm:ahv:config:vm:disk")
    listed = [d.ext_id for d in vms.list_disks_by_vm_id(VM_ID).data]
    assert listed == [d["extId"] for d in VM["disks"]] + [disk_id]
    assert [d.ext_id for d in vms.get_vm_by_id(VM_ID).data.disks] == listed

    got = vms.get_disk_by_id(VM_ID, disk_id)
    assert type(got.data).__name__ == "Disk"
    assert got.data.backing_info.disk_size_bytes == 2 * 1024 ** 3
    body = got.data
    body.backing_info.disk_size_bytes = 4 * 1024 ** 3
    # The SDK sends the disk's own ETag as If-Match.
    assert wait_task(sdk, vms.update_disk_by_id(VM_ID, disk_id, body=body).data).status == "SUCCEEDED"
    in_vm = next(d for d in vms.get_vm_by_id(VM_ID).data.disks if d.ext_id == disk_id)
    assert in_vm.backing_info.disk_size_bytes == 4 * 1024 ** 3

    etag = sdk.client("vmm").get_etag(vms.get_disk_by_id(VM_ID, disk_id))
    assert wait_task(sdk, vms.delete_disk_by_id(VM_ID, disk_id, if_match=etag).data).status == "SUCCEEDED"
    assert disk_id not in [d.ext_id for d in vms.list_disks_by_vm_id(VM_ID).data]
    with pytest.raises(sdk_module("vmm").rest.ApiException) as gone:
        vms.get_disk_by_id(VM_ID, disk_id)
    assert gone.value.status == 404


def test_cd_rom_insert_and_eject(sdk):
    vms = sdk.api("vmm", "VmApi")
    cd_id = VM["cdRoms"][0]["extId"]
    media = vmm("CdRomInsertParams")(backing_info=vmm("VmDisk")(
        data_source=vmm("DataSource")(reference=vmm("ImageReference")(image_ext_id=ISO))))
    assert wait_task(sdk, vms.insert_cd_rom_by_id(VM_ID, cd_id, body=media, if_match=vm_etag(sdk, vms)).data).status \
        == "SUCCEEDED"
    cd = vms.get_cd_rom_by_id(VM_ID, cd_id).data
    assert cd.backing_info.data_source.reference.image_ext_id == ISO
    assert wait_task(sdk, vms.eject_cd_rom_by_id(VM_ID, cd_id, if_match=vm_etag(sdk, vms)).data).status == "SUCCEEDED"
    assert vms.get_cd_rom_by_id(VM_ID, cd_id).data.backing_info is None


def test_clone_reports_the_new_vm(sdk):
    vms = sdk.api("vmm", "VmApi")
    overrides = vmm("CloneOverrideParams")(name="sdk-clone", num_sockets=3)
    task = wait_task(sdk, vms.clone_vm(VM_ID, body=overrides, if_match=vm_etag(sdk, vms)).data)
    assert task.status == "SUCCEEDED"
    # nutanix.ansible's ntnx_vms_clone_v2: the affected VM that is not the source.
    new_ids = [e.ext_id for e in task.entities_affected if e.rel == "vmm:ahv:config:vm" and e.ext_id != VM_ID]
    assert len(new_ids) == 1
    clone = vms.get_vm_by_id(new_ids[0]).data
    assert (clone.name, clone.num_sockets, clone.power_state) == ("sdk-clone", 3, "OFF")
    assert clone.source.ext_id == VM_ID
    assert not {d.ext_id for d in clone.disks} & {d["extId"] for d in VM["disks"]}
    assert [d.ext_id for d in vms.list_disks_by_vm_id(new_ids[0]).data] == [d.ext_id for d in clone.disks]


def test_associate_and_disassociate_categories(sdk):
    vms = sdk.api("vmm", "VmApi")
    before = [c["extId"] for c in VM["categories"]]
    extra = next(c for c in CATEGORIES if c not in before)
    params = vmm("AssociateVmCategoriesParams")(categories=[vmm("CategoryReference")(ext_id=extra)])
    for _ in range(2):  # associating again changes nothing
        task = wait_task(sdk, vms.associate_categories(VM_ID, body=params, if_match=vm_etag(sdk, vms)).data)
        assert task.status == "SUCCEEDED"
        assert [c.ext_id for c in vms.get_vm_by_id(VM_ID).data.categories] == before + [extra]
    gone = vmm("DisassociateVmCategoriesParams")(categories=[vmm("CategoryReference")(ext_id=extra)])
    assert wait_task(sdk, vms.disassociate_categories(VM_ID, body=gone, if_match=vm_etag(sdk, vms)).data).status \
        == "SUCCEEDED"
    assert [c.ext_id for c in vms.get_vm_by_id(VM_ID).data.categories] == before


def test_an_unknown_category_fails_the_task(sdk):
    vms = sdk.api("vmm", "VmApi")
    params = vmm("AssociateVmCategoriesParams")(categories=[vmm("CategoryReference")(ext_id=MISSING)])
    task = wait_task(sdk, vms.associate_categories(VM_ID, body=params, if_match=vm_etag(sdk, vms)).data)
    assert task.status == "FAILED"
    assert task.error_messages[0].error_group == "CATEGORY_NOT_FOUND"
    assert MISSING not in [c.ext_id for c in vms.get_vm_by_id(VM_ID).data.categories]


def test_a_vm_on_a_missing_subnet_is_not_created(sdk):
    vms = sdk.api("vmm", "VmApi")
    nic = vmm("Nic")(network_info=vmm("NicNetworkInfo")(subnet=vmm("SubnetReference")(ext_id=MISSING)))
    body = vmm("Vm")(name="no-subnet", cluster=vmm("ClusterReference")(ext_id=VM["cluster"]["extId"]), nics=[nic])
    task = wait_task(sdk, vms.create_vm(body=body).data)
    assert task.status == "FAILED"
    assert task.error_messages[0].error_group == "SUBNET_NOT_FOUND"
    assert vms.list_vms(_filter="name eq 'no-subnet'").data is None


def test_deleting_a_vm_deletes_its_devices(sdk):
    vms = sdk.api("vmm", "VmApi")
    assert wait_task(sdk, vms.delete_vm_by_id(VM_ID, if_match=vm_etag(sdk, vms)).data).status == "SUCCEEDED"
    with pytest.raises(sdk_module("vmm").rest.ApiException) as gone:
        vms.list_nics_by_vm_id(VM_ID)
    assert gone.value.status == 404
