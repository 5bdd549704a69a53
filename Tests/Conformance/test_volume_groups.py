"""Volume groups through VolumeGroupsApi: `_expand="cluster"` and VM attachments (attach_vm /
detach_vm tasks, the vm-attachments list, failures for a missing or unattached VM)."""
from conftest import fixture_items, model_class, wait_task

GROUP = fixture_items("volumes.config.volume-groups")[0]
ATTACHED = {a["extId"] for a in fixture_items("volumes.config.volume-groups.vm-attachments")
            if a["$pcmock"]["parentExtId"] == GROUP["extId"]}


def attachments(groups):
    return {a.ext_id for a in (groups.list_vm_attachments_by_volume_group_id(GROUP["extId"]).data or [])}


def act(sdk, verb, vm):
    groups = sdk.api("volumes", "VolumeGroupsApi")
    VmAttachment = model_class("volumes", "volumes.v4.config.VmAttachment")
    etag = sdk.client("volumes").get_etag(groups.get_volume_group_by_id(GROUP["extId"]))
    return wait_task(sdk, getattr(groups, verb)(GROUP["extId"], body=VmAttachment(ext_id=vm, index=4),
                                                if_match=etag).data)


def test_expand_cluster_inlines_the_cluster(sdk):
    groups = sdk.api("volumes", "VolumeGroupsApi")
    listed = groups.list_volume_groups(_expand="cluster").data
    clusters = {c["extId"]: c["name"] for c in fixture_items("clustermgmt.config.clusters")}
    assert len(listed) == len(fixture_items("volumes.config.volume-groups"))
    for group in listed:
        cluster = group.get_unknown_fields()["cluster"]
        assert cluster["extId"] == group.cluster_reference
        assert cluster["name"] == clusters[group.cluster_reference]
    assert "cluster" not in groups.list_volume_groups().data[0].get_unknown_fields()


def test_attach_and_detach_a_vm(sdk):
    groups = sdk.api("volumes", "VolumeGroupsApi")
    vm = next(v["extId"] for v in fixture_items("vmm.ahv.config.vms") if v["extId"] not in ATTACHED)
    assert attachments(groups) == ATTACHED
    task = act(sdk, "attach_vm", vm)
    assert task.status == "SUCCEEDED"
    assert {e.rel for e in task.entities_affected} == {"volumes:config:volume-group", "vmm:ahv:config:vm"}
    assert attachments(groups) == ATTACHED | {vm}
    assert act(sdk, "attach_vm", vm).status == "FAILED"
    assert act(sdk, "detach_vm", vm).status == "SUCCEEDED"
    assert attachments(groups) == ATTACHED
    failed = act(sdk, "detach_vm", vm)
    assert failed.status == "FAILED"
    assert failed.error_messages[0].code.startswith("VOLUMES-")


def test_attaching_a_missing_vm_fails(sdk):
    groups = sdk.api("volumes", "VolumeGroupsApi")
    task = act(sdk, "attach_vm", "00000000-0000-4000-8000-000000000bbb")
    assert task.status == "FAILED"
    assert "00000000-0000-4000-8000-000000000bbb" in task.error_messages[0].message
    assert attachments(groups) == ATTACHED
