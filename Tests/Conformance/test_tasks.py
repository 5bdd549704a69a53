"""prism TasksApi: tasks created by mutations are listed, fetched by their percent-encoded
`ZXJnb24=:<uuid>` id, filtered on status, and typed."""
import pytest

from conftest import fixture_items, model_class, sdk_module, wait_task


def power_off_first_vm(sdk):
    vms = sdk.api("vmm", "VmApi")
    vm = fixture_items("vmm.ahv.config.vms")[0]
    etag = sdk.client("vmm").get_etag(vms.get_vm_by_id(vm["extId"]))
    return vm, vms.power_off_vm(vm["extId"], if_match=etag).data


def test_task_get_carries_what_clients_read(sdk, wire):
    vm, reference = power_off_first_vm(sdk)
    task = wait_task(sdk, reference)
    assert isinstance(task, model_class("prism", "prism.v4.config.Task"))
    assert task.status == "SUCCEEDED" and task.progress_percentage == 100
    assert [(e.ext_id, e.rel) for e in task.entities_affected] == [(vm["extId"], "vmm:ahv:config:vm")]
    assert task.created_time is not None and task.completed_time is not None
    # The id travels percent-encoded in the path (sdk-contract.md §0 rule 5).
    assert any("ZXJnb24%3D%3A" in p for m, p in wire.requests if m == "GET" and "/config/tasks/" in p)


def test_task_list_filters_on_status_and_operation(sdk):
    _, reference = power_off_first_vm(sdk)
    tasks = sdk.api("prism", "TasksApi")
    succeeded = tasks.list_tasks(_filter="status eq Prism.Config.TaskStatus'SUCCEEDED'", _limit=100)
    assert reference.ext_id in [t.ext_id for t in succeeded.data]
    assert all(t.status == "SUCCEEDED" for t in succeeded.data)
    failed = tasks.list_tasks(_filter="status eq Prism.Config.TaskStatus'FAILED'")
    assert not failed.data and failed.metadata.total_available_results == 0


def test_unknown_task_is_a_404_error_response(sdk):
    with pytest.raises(sdk_module("prism").rest.ApiException) as caught:
        sdk.api("prism", "TasksApi").get_task_by_id("ZXJnb24=:00000000-0000-4000-8000-000000000000")
    assert caught.value.status == 404
    body = sdk.client("prism").deserialize(
        __import__("json").loads(caught.value.body), "prism.v4.config.GetTaskApiResponse")
    assert isinstance(body.data, model_class("prism", "prism.v4.error.ErrorResponse"))
