"""vmm ahv: twelve VMs with their disks, NICs, CD-ROMs and categories embedded as a GET returns them."""
from . import names, topology as t
from .collection import Collection
from .ids import GIB, at, mac, uid


def build(m):
    vms = Collection(m, "vmm.v4.ahv.config.Vm", "ahv/config/vms")
    for index, spec in enumerate(t.VMS):
        vms.add(_vm(m, index, spec))
    return vms


def volume_group_attachments(vm_name):
    """(volume group name, SCSI index) of each volume group attached directly to the VM."""
    spec = next(vm for vm in t.VMS if vm["name"] == vm_name)
    attached = [vg["name"] for vg in t.VOLUME_GROUPS if vm_name in vg["vms"]]
    return [(vg, len(spec["disks"]) + offset) for offset, vg in enumerate(attached)]


def _ref(m, type_name, ext_id):
    return m.make(type_name, ext_id=ext_id)


def _container(m, cluster, name):
    return _ref(m, "vmm.v4.ahv.config.VmDiskContainerReference", names.container_id(cluster, name))


def _image_source(m, image):
    return m.make("vmm.v4.ahv.config.DataSource",
                  reference=m.make("vmm.v4.ahv.config.ImageReference", image_ext_id=names.image_id(image)))


def _disks(m, spec):
    disks = []
    for index, (size, image, container) in enumerate(spec["disks"]):
        backing = dict(disk_ext_id=uid("vm-disk-backing", f"{spec['name']}/{index}"), disk_size_bytes=size * GIB,
                       storage_container=_container(m, spec["cluster"], container),
                       storage_config=m.make("vmm.v4.ahv.config.VmDiskStorageConfig", is_flash_mode_enabled=False),
                       is_migration_in_progress=False)
        if image is not None:
            backing["data_source"] = _image_source(m, image)
        disks.append(m.make(
            "vmm.v4.ahv.config.Disk", ext_id=uid("vm-disk", f"{spec['name']}/{index}"),
            disk_address=m.make("vmm.v4.ahv.config.DiskAddress", bus_type="SCSI", index=index),
            backing_info=m.make("vmm.v4.ahv.config.VmDisk", **backing),
        ))
    for group, index in volume_group_attachments(spec["name"]):
        disks.append(m.make(
            "vmm.v4.ahv.config.Disk", ext_id=uid("vm-disk", f"{spec['name']}/{index}"),
            disk_address=m.make("vmm.v4.ahv.config.DiskAddress", bus_type="SCSI", index=index),
            backing_info=m.make("vmm.v4.ahv.config.ADSFVolumeGroupReference", volume_group_ext_id=names.vg_id(group)),
        ))
    return disks


def _cd_roms(m, spec):
    if spec["cdrom"] is None:
        return []
    attributes = dict(
        ext_id=uid("vm-cdrom", f"{spec['name']}/0"), iso_type="OTHER",
        disk_address=m.make("vmm.v4.ahv.config.CdRomAddress", bus_type="SATA" if spec.get("uefi") else "IDE", index=0),
    )
    if spec["cdrom"]:
        size = next(image[2] for image in t.IMAGES if image[0] == spec["cdrom"])
        attributes["backing_info"] = m.make(
            "vmm.v4.ahv.config.VmDisk", disk_ext_id=uid("vm-cdrom-backing", f"{spec['name']}/0"),
            disk_size_bytes=size, storage_container=_container(m, spec["cluster"], "SelfServiceContainer"),
            data_source=_image_source(m, spec["cdrom"]),
        )
    return [m.make("vmm.v4.ahv.config.CdRom", **attributes)]


def vm_ip(spec):
    subnet = next(s for s in t.SUBNETS if s["name"] == spec["subnet"])
    return f"{subnet['net']}.{spec['ip']}"


def _nics(m, spec):
    address = m.make("common.v1.config.IPv4Address", value=vm_ip(spec), prefix_length=32)
    network = dict(
        nic_type="NORMAL_NIC", subnet=_ref(m, "vmm.v4.ahv.config.SubnetReference", names.subnet_id(spec["subnet"])),
        vlan_mode="ACCESS", should_allow_unknown_macs=False,
        ipv4_config=m.make("vmm.v4.ahv.config.Ipv4Config", should_assign_ip=True, ip_address=address),
    )
    if spec["power"] == "ON":
        learned = m.make("common.v1.config.IPv4Address", value=vm_ip(spec), prefix_length=32)
        network["ipv4_info"] = m.make("vmm.v4.ahv.config.Ipv4Info", learned_ip_addresses=[learned])
    backing = dict(model="VIRTIO", mac_address=mac(spec["name"]), is_connected=True, num_queues=1)
    # Both the deprecated fields and their oneOf successors, as Prism Central 2024.x answers v4.3.
    return [m.make(
        "vmm.v4.ahv.config.Nic", ext_id=uid("vm-nic", f"{spec['name']}/0"),
        backing_info=m.make("vmm.v4.ahv.config.EmulatedNic", **backing),
        nic_backing_info=m.make("vmm.v4.ahv.config.VirtualEthernetNic", **backing),
        network_info=m.make("vmm.v4.ahv.config.NicNetworkInfo", **network),
        nic_network_info=m.make("vmm.v4.ahv.config.VirtualEthernetNicNetworkInfo", **network),
    )]


def _boot_config(m, spec):
    if spec.get("uefi"):
        nvram = m.make("vmm.v4.ahv.config.NvramDevice", backing_storage_info=m.make(
            "vmm.v4.ahv.config.VmDisk", disk_ext_id=uid("vm-nvram", spec["name"]), disk_size_bytes=540672,
            storage_container=_container(m, spec["cluster"], "default-container")))
        return m.make("vmm.v4.ahv.config.UefiBoot", is_secure_boot_enabled=True, nvram_device=nvram,
                      boot_order=["DISK", "CDROM", "NETWORK"])
    return m.make("vmm.v4.ahv.config.LegacyBoot", boot_order=["CDROM", "DISK", "NETWORK"])


def _guest_tools(m, spec):
    return m.make(
        "vmm.v4.ahv.config.GuestTools", version="4.1", is_installed=True, is_enabled=True, is_iso_inserted=False,
        capabilities=["SELF_SERVICE_RESTORE", "VSS_SNAPSHOT"], available_version="4.1", is_reachable=True,
        guest_os_version=spec["guest"], is_vss_snapshot_capable=True, is_vm_mobility_drivers_installed=True,
    )


def _vm(m, index, spec):
    name, cluster = spec["name"], spec["cluster"]
    attributes = dict(
        ext_id=names.vm_id(name), name=name, description=f"{name} ({dict(spec['categories'])['Environment']})",
        create_time=at(24 * 60 + 90 * index, name), update_time=at(24 * 60 + 90 * index + 45, name),
        num_sockets=spec["sockets"], num_cores_per_socket=spec["cores"], num_threads_per_core=1, num_numa_nodes=0,
        memory_size_bytes=spec["memory"] * GIB, is_vcpu_hard_pinning_enabled=False,
        is_cpu_passthrough_enabled=False, is_memory_overcommit_enabled=False, is_gpu_console_enabled=False,
        is_cpu_hotplug_enabled=True, is_scsi_controller_enabled=True, generation_uuid=uid("vm-generation", name),
        bios_uuid=names.vm_id(name),
        categories=[_ref(m, "vmm.v4.ahv.config.CategoryReference", names.category_id(k, v))
                    for k, v in spec["categories"]],
        ownership_info=m.make("vmm.v4.ahv.config.OwnershipInfo",
                              owner=_ref(m, "vmm.v4.ahv.config.OwnerReference", names.admin_id())),
        cluster=_ref(m, "vmm.v4.ahv.config.ClusterReference", names.cluster_id(cluster)),
        hardware_clock_timezone="UTC", is_branding_enabled=True, boot_config=_boot_config(m, spec),
        is_vga_console_enabled=True, machine_type="Q35" if spec.get("uefi") else "PC", power_state=spec["power"],
        is_agent_vm=False, is_live_migrate_capable=True, is_cross_cluster_migration_in_progress=False,
        disks=_disks(m, spec), nics=_nics(m, spec), protection_type="UNPROTECTED",
    )
    if spec["power"] == "ON":
        attributes["host"] = _ref(m, "vmm.v4.ahv.config.HostReference", names.host_id(cluster, spec["host"]))
    if spec["guest"]:
        attributes["guest_tools"] = _guest_tools(m, spec)
    cd_roms = _cd_roms(m, spec)
    if cd_roms:
        attributes["cd_roms"] = cd_roms
    return m.make("vmm.v4.ahv.config.Vm", **attributes)
