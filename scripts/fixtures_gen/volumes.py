"""volumes: two volume groups, their disks and their direct VM attachments.

Disks and VM attachments are separate collections under `/volume-groups/{volumeGroupExtId}/…`,
as the volumes API lists them; the attached VMs show the same attachment as a disk backed by an
`ADSFVolumeGroupReference` (see vms.py).
"""
from . import names, topology as t
from .collection import Collection
from .ids import GIB, uid
from .sdk import Models
from .vms import volume_group_attachments

PARENT = "volumeGroupExtId"


def build():
    m = Models("volumes")
    groups = Collection(m, "volumes.v4.config.VolumeGroup", "config/volume-groups")
    disks = Collection(m, "volumes.v4.config.VolumeDisk", "config/volume-groups/{volumeGroupExtId}/disks", PARENT)
    attachments = Collection(
        m, "volumes.v4.config.VmAttachment", "config/volume-groups/{volumeGroupExtId}/vm-attachments", PARENT
    )
    for spec in t.VOLUME_GROUPS:
        group_id = names.vg_id(spec["name"])
        groups.add(_group(m, spec))
        for index, size in enumerate(spec["disks"]):
            disks.add(_disk(m, spec, index, size), parent_ext_id=group_id)
        for vm in spec["vms"]:
            scsi_index = dict(volume_group_attachments(vm))[spec["name"]]
            attachments.add(m.make("volumes.v4.config.VmAttachment", ext_id=names.vm_id(vm), index=scsi_index),
                            parent_ext_id=group_id)
    return [groups, disks, attachments]


def _flash_mode(m):
    return m.make("volumes.v4.config.FlashMode", is_enabled=False)


def _group(m, spec):
    group_id = names.vg_id(spec["name"])
    return m.make(
        "volumes.v4.config.VolumeGroup", ext_id=group_id, name=spec["name"], description=spec["description"],
        should_load_balance_vm_attachments=False,
        sharing_status="SHARED" if len(spec["vms"]) > 1 else "NOT_SHARED",
        target_name=f"{spec['name']}-{group_id}", enabled_authentications="NONE", created_by="admin",
        cluster_reference=names.cluster_id(spec["cluster"]),
        storage_features=m.make("volumes.v4.config.StorageFeatures", flash_mode=_flash_mode(m)),
        usage_type="USER", attachment_type="DIRECT", protocol="NOT_ASSIGNED", is_hidden=False,
    )


def _disk(m, spec, index, size):
    return m.make(
        "volumes.v4.config.VolumeDisk", ext_id=uid("volume-disk", f"{spec['name']}/{index}"), index=index,
        disk_size_bytes=size * GIB, storage_container_id=names.container_id(spec["cluster"], spec["container"]),
        description=f"{spec['name']} disk {index}",
        disk_storage_features=m.make("volumes.v4.config.DiskStorageFeatures", flash_mode=_flash_mode(m)),
    )
