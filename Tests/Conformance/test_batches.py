"""Batches (prism BatchesApi, sdk-contract.md §h): two VM renames in one batch, with per-item
If-Match headers and path parameters; the batch task succeeds and both VMs are renamed."""
from conftest import fixture_items, model_class, sdk_module, wait_task


def test_batch_renames_two_vms(sdk):
    vms = sdk.api("vmm", "VmApi")
    items = []
    for vm in fixture_items("vmm.ahv.config.vms")[:2]:
        got = vms.get_vm_by_id(vm["extId"])
        etag = sdk.client("vmm").get_etag(got)
        data = sdk.client("vmm")._ApiClient__sanitize_for_serialization(got.data)
        data["name"] = vm["name"] + "-batched"
        items.append((vm["extId"], etag, data))
    P = lambda name: model_class("prism", f"prism.v4.operations.{name}")  # noqa: E731
    spec = P("BatchSpec")(
        metadata=P("BatchSpecMetadata")(action="MODIFY", name="rename-vms",
                                        uri="/api/vmm/v4.3/ahv/config/vms/{extId}",
                                        should_stop_on_error=False, chunk_size=1),
        payload=[P("BatchSpecPayload")(
            data=data,
            metadata=P("BatchSpecPayloadMetadata")(
                headers=[P("BatchSpecPayloadMetadataHeader")(name="If-Match", value=etag)],
                path=[P("BatchSpecPayloadMetadataPath")(name="extId", value=ext_id)]))
            for ext_id, etag, data in items])
    batches = sdk.api("prism", "BatchesApi")
    task = wait_task(sdk, batches.submit_batch(body=spec).data)
    assert task.status == "SUCCEEDED"
    for ext_id, _, data in items:
        assert vms.get_vm_by_id(ext_id).data.name == data["name"]
    listed = batches.list_batches()
    assert len(listed.data) == 1
    batch = batches.get_batch_by_id(listed.data[0].ext_id).data
    assert (batch.size, batch.success_count, batch.failed_count) == (2, 2, 0)
    assert batch.completion_status == "SUCCEEDED"
