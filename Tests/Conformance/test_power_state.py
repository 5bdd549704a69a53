"""The VM power state machine: actions change `powerState` when their task succeeds."""
from conftest import fixture_items, wait_task


def etag(sdk, ext_id):
    return sdk.client("vmm").get_etag(sdk.api("vmm", "VmApi").get_vm_by_id(ext_id))


def test_power_on_then_off(sdk):
    vms = sdk.api("vmm", "VmApi")
    vm = next(v for v in fixture_items("vmm.ahv.config.vms") if v["powerState"] == "OFF")
    assert wait_task(sdk, vms.power_on_vm(vm["extId"], if_match=etag(sdk, vm["extId"])).data).status == "SUCCEEDED"
    assert vms.get_vm_by_id(vm["extId"]).data.power_state == "ON"
    assert wait_task(sdk, vms.power_off_vm(vm["extId"], if_match=etag(sdk, vm["extId"])).data).status == "SUCCEEDED"
    assert vms.get_vm_by_id(vm["extId"]).data.power_state == "OFF"


def test_shutdown_of_an_off_vm_fails_with_a_message(sdk):
    vms = sdk.api("vmm", "VmApi")
    vm = next(v for v in fixture_items("vmm.ahv.config.vms") if v["powerState"] == "OFF")
    task = wait_task(sdk, vms.shutdown_vm(vm["extId"], if_match=etag(sdk, vm["extId"])).data)
    assert task.status == "FAILED"
    assert task.error_messages and task.error_messages[0].message
