from conftest import fixture_items, wait_task


def power_off_first_vm(sdk):
    vms = sdk.api("vmm", "VmApi")
    vm = fixture_items("vmm.ahv.config.vms")[0]
    etag = sdk.client("vmm").get_etag(vms.get_vm_by_id(vm["extId"]))
    return vm, vms.power_off_vm(vm["extId"], if_match=etag).data


def test_task_list_filters_on_affected_entity_and_status(sdk):
    vm, reference = power_off_first_vm(sdk)
    other = fixture_items("vmm.ahv.config.vms")[1]
    tasks = sdk.api("prism", "TasksApi")
    found = tasks.list_tasks(
        _filter=f"entitiesAffected/any(a:a/extId eq '{vm['extId']}') and status eq Prism.Config.TaskStatus'SUCCEEDED'")
    assert [t.ext_id for t in found.data] == [reference.ext_id]
    none = tasks.list_tasks(_filter=f"entitiesAffected/any(a:a/extId eq '{other['extId']}')")
    assert not none.data and none.metadata.total_available_results == 0


