"""The VM lifecycle as nutanix.ansible runs it (real-clients.md §2): create → wait for the task →
get → get_etag → update with the SDK's automatic If-Match → power action → delete → 404."""
import pytest

from conftest import created_ext_id, error_of, fixture_items, model_class, sdk_module, wait_task

CLUSTER = next(c["extId"] for c in fixture_items("clustermgmt.config.clusters") if c["name"] == "ahv-cluster-a")


def new_vm(name):
    Vm = model_class("vmm", "vmm.v4.ahv.config.Vm")
    ClusterReference = model_class("vmm", "vmm.v4.ahv.config.ClusterReference")
    return Vm(name=name, num_sockets=1, num_cores_per_socket=1, memory_size_bytes=1073741824,
              cluster=ClusterReference(ext_id=CLUSTER))


def test_vm_lifecycle(sdk, wire):
    vms = sdk.api("vmm", "VmApi")
    client = sdk.client("vmm")
    ApiException = sdk_module("vmm").rest.ApiException

    created = vms.create_vm(body=new_vm("conformance-vm"))
    assert type(created.data).__name__ == "TaskReference"
    assert created.data.ext_id.startswith("ZXJnb24=:")
    task = wait_task(sdk, created.data)
    assert task.status == "SUCCEEDED"
    ext_id = created_ext_id(task, "vmm:ahv:config:vm")

    got = vms.get_vm_by_id(ext_id)
    vm = got.data
    assert vm.name == "conformance-vm"
    assert vm.memory_size_bytes == 1073741824
    assert vm.cluster.ext_id == CLUSTER
    etag = client.get_etag(got)
    assert etag

    vm.name = "conformance-vm-renamed"
    vm.num_sockets = 2
    updated = vms.update_vm_by_id(ext_id, body=vm)
    assert wire.last_headers("PUT").get("If-Match") == etag
    assert wait_task(sdk, updated.data).status == "SUCCEEDED"
    after = vms.get_vm_by_id(ext_id)
    assert (after.data.name, after.data.num_sockets) == ("conformance-vm-renamed", 2)
    new_etag = client.get_etag(after)
    assert new_etag and new_etag != etag

    # The old ETag no longer matches: 412, and nothing changes.
    with pytest.raises(ApiException) as stale:
        vms.update_vm_by_id(ext_id, body=vm)
    assert stale.value.status == 412
    assert vms.get_vm_by_id(ext_id).data.num_sockets == 2

    powered = vms.power_on_vm(ext_id, if_match=new_etag)
    assert wire.last_headers("POST").get("If-Match") == new_etag
    power_task = wait_task(sdk, powered.data)
    assert power_task.status == "SUCCEEDED"
    assert ext_id in [e.ext_id for e in power_task.entities_affected]

    final_etag = client.get_etag(vms.get_vm_by_id(ext_id))
    deleted = vms.delete_vm_by_id(ext_id, if_match=final_etag)
    assert wait_task(sdk, deleted.data).status == "SUCCEEDED"
    with pytest.raises(ApiException) as gone:
        vms.get_vm_by_id(ext_id)
    assert gone.value.status == 404
    error = error_of(sdk, "vmm", gone.value, "vmm.v4.ahv.config.GetVmApiResponse").data
    assert type(error).__name__ == "ErrorResponse"
    assert type(error.error[0]).__name__ == "AppMessage"
    assert ext_id in error.error[0].message


def test_create_vm_task_reports_the_new_vm(sdk):
    task = wait_task(sdk, sdk.api("vmm", "VmApi").create_vm(body=new_vm("task-details")).data)
    ext_id = created_ext_id(task, "vmm:ahv:config:vm")
    details = {kv.name: kv.value for kv in task.completion_details or []}
    assert details.get("vmExtId") == ext_id
    assert task.progress_percentage == 100
    listed = sdk.api("vmm", "VmApi").list_vms(_filter="name eq 'task-details'")
    assert [v.ext_id for v in listed.data] == [ext_id]


def test_get_of_a_missing_vm_decodes_into_error_response(sdk):
    ApiException = sdk_module("vmm").rest.ApiException
    missing = "00000000-0000-4000-8000-000000000404"
    with pytest.raises(ApiException) as caught:
        sdk.api("vmm", "VmApi").get_vm_by_id(missing)
    assert caught.value.status == 404
    error = error_of(sdk, "vmm", caught.value, "vmm.v4.ahv.config.GetVmApiResponse").data
    message = error.error[0]
    assert isinstance(error, model_class("vmm", "vmm.v4.error.ErrorResponse"))
    assert isinstance(message, model_class("vmm", "vmm.v4.error.AppMessage"))
    assert message.severity == "ERROR" and message.code.startswith("VMM-") and missing in message.message


def test_create_with_an_invalid_body_is_a_schema_validation_error(sdk):
    ApiException = sdk_module("vmm").rest.ApiException
    vm = new_vm("bad")
    vm.machine_type = "SIDEWAYS"  # enum setters take any string (sdk-contract.md §e)
    with pytest.raises(ApiException) as caught:
        sdk.api("vmm", "VmApi").create_vm(body=vm)
    assert caught.value.status == 400
    error = error_of(sdk, "vmm", caught.value, "vmm.v4.ahv.config.CreateVmApiResponse").data
    assert isinstance(error.error, model_class("vmm", "vmm.v4.error.SchemaValidationError"))
    paths = [m.attribute_path for m in error.error.validation_error_messages]
    assert "machineType" in paths
    assert sdk.api("vmm", "VmApi").list_vms(_filter="name eq 'bad'").data is None
