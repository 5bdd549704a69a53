"""clustermgmt: the Prism Central cluster, two AHV clusters, their hosts and storage containers."""
from . import names, topology as t
from .collection import Collection
from .ids import GIB, serial, uid
from .sdk import Models


def build():
    m = Models("clustermgmt")
    clusters = Collection(m, "clustermgmt.v4.config.Cluster", "config/clusters")
    hosts = Collection(m, "clustermgmt.v4.config.Host", "config/hosts", "clusterExtId", "cluster/uuid",
                       nested_path="config/clusters/{clusterExtId}/hosts")
    containers = Collection(m, "clustermgmt.v4.config.StorageContainer", "config/storage-containers")
    clusters.add(_pc_cluster(m))
    for spec in t.CLUSTERS:
        clusters.add(_cluster(m, spec))
        for index in range(t.HOSTS_PER_CLUSTER):
            hosts.add(_host(m, spec, index), parent_ext_id=names.cluster_id(spec["name"]))
        for container in t.CONTAINERS:
            containers.add(_container(m, spec["name"], *container))
    return [clusters, hosts, containers]


def ip(m, value, prefix_length=None):
    v4 = m.make("common.v1.config.IPv4Address", value=value)
    if prefix_length is not None:
        v4.prefix_length = prefix_length
    return m.make("common.v1.config.IPAddress", ipv4=v4)


def ip_or_fqdn(m, value):
    if all(part.isdigit() for part in value.split(".")):
        return m.make("common.v1.config.IPAddressOrFQDN", ipv4=m.make("common.v1.config.IPv4Address", value=value))
    return m.make("common.v1.config.IPAddressOrFQDN", fqdn=m.make("common.v1.config.FQDN", value=value))


def _build_info(m, version, full_version):
    return m.make(
        "clustermgmt.v4.config.BuildReference", build_type="release", version=version, full_version=full_version,
        commit_id=full_version.rsplit("-", 1)[-1], short_commit_id=full_version.rsplit("-", 1)[-1][:7],
    )


def _network(m, vip, dsip, fqdn):
    # A Prism Central has no data services IP: it serves no iSCSI.
    extra = {} if dsip is None else {"external_data_service_ip": ip(m, dsip)}
    return m.make(
        "clustermgmt.v4.config.ClusterNetworkReference", external_address=ip(m, vip), fqdn=fqdn, **extra,
        external_subnet=vip.rsplit(".", 1)[0] + ".0/255.255.255.0", internal_subnet="192.168.5.0/255.255.255.128",
        name_server_ip_list=[ip_or_fqdn(m, s) for s in t.DNS_SERVERS],
        ntp_server_ip_list=[ip_or_fqdn(m, s) for s in t.NTP_SERVERS],
        key_management_server_type="LOCAL",
    )


def _pc_cluster(m):
    full = f"{t.PC_VERSION}-stable-6d2c8b0e4a1f3c5e7a9b1d3f5e7c9a0b2d4f6e8a"
    config = m.make(
        "clustermgmt.v4.config.ClusterConfigReference", incarnation_id=1736935200000000 + 101,
        build_info=_build_info(m, t.PC_VERSION, full), hypervisor_types=["AHV"], cluster_function=["PRISM_CENTRAL"],
        timezone="UTC", cluster_arch="X86_64", operation_mode="NORMAL", is_available=True,
        redundancy_factor=1, is_lts=False, encryption_in_transit_status="DISABLED",
    )
    node = m.make("clustermgmt.v4.config.NodeListItemReference", node_uuid=uid("pc-node", t.PC_NAME),
                  controller_vm_ip=ip(m, t.PC_IP))
    return m.make(
        "clustermgmt.v4.config.Cluster", ext_id=names.pc_id(), name=t.PC_NAME, config=config,
        nodes=m.make("clustermgmt.v4.config.NodeReference", number_of_nodes=1, node_list=[node]),
        network=_network(m, t.PC_IP, None, f"{t.PC_NAME.lower()}.{t.DOMAIN}"),
        upgrade_status="SUCCEEDED", vm_count=0, inefficient_vm_count=0,
    )


def _cluster(m, spec):
    name, net = spec["name"], spec["net"]
    nodes = [
        m.make("clustermgmt.v4.config.NodeListItemReference", node_uuid=names.host_id(name, i),
               controller_vm_ip=ip(m, f"{net}.{31 + i}"), host_ip=ip(m, f"{net}.{21 + i}"))
        for i in range(t.HOSTS_PER_CLUSTER)
    ]
    config = m.make(
        "clustermgmt.v4.config.ClusterConfigReference", incarnation_id=1736935200000000 + len(name),
        build_info=_build_info(m, t.AOS_VERSION, t.AOS_FULL_VERSION), hypervisor_types=["AHV"],
        cluster_function=["AOS"], timezone="UTC", cluster_arch="X86_64", operation_mode="NORMAL",
        redundancy_factor=2, is_remote_support_enabled=False, is_lts=True, is_available=True,
        is_password_remote_login_enabled=True, encryption_in_transit_status="DISABLED",
        cluster_type="HYPER_CONVERGED",
        cluster_software_map=[
            m.make("clustermgmt.v4.config.SoftwareMapReference", software_type="NOS", version=t.AOS_VERSION),
            m.make("clustermgmt.v4.config.SoftwareMapReference", software_type="NCC", version="5.1.0"),
        ],
        fault_tolerance_state=m.make(
            "clustermgmt.v4.config.FaultToleranceState", current_max_fault_tolerance=1,
            desired_max_fault_tolerance=1, domain_awareness_level="NODE",
        ),
        pulse_status=m.make("clustermgmt.v4.config.PulseStatus", is_enabled=False),
    )
    vm_count = sum(1 for vm in t.VMS if vm["cluster"] == name)
    return m.make(
        "clustermgmt.v4.config.Cluster", ext_id=names.cluster_id(name), name=name, config=config,
        nodes=m.make("clustermgmt.v4.config.NodeReference", number_of_nodes=len(nodes), node_list=nodes),
        network=_network(m, f"{net}.10", f"{net}.11", f"{name}.{t.DOMAIN}"),
        upgrade_status="SUCCEEDED", vm_count=vm_count, inefficient_vm_count=0,
        container_name="default-container",
    )


def _host(m, spec, index):
    cluster, net = spec["name"], spec["net"]
    name = names.host_name(cluster, index)
    running = sum(1 for vm in t.VMS if vm["cluster"] == cluster and vm["host"] == index)
    block = serial("22SM", cluster, 14)
    disks = [
        m.make("clustermgmt.v4.config.DiskReference", uuid=uid("physical-disk", f"{name}/{d}"),
               mount_path=f"/home/nutanix/data/stargate-storage/disks/{serial('S', f'{name}/{d}', 12)}",
               size_in_bytes=size, serial_id=serial("S", f"{name}/{d}", 12), storage_tier=tier)
        for d, (size, tier) in enumerate([(1920383410176, "SATA_SSD")] * 2 + [(7681501126656, "SATA_SSD")] * 2)
    ]
    return m.make(
        "clustermgmt.v4.config.Host", ext_id=names.host_id(cluster, index), host_name=name,
        host_type="HYPER_CONVERGED",
        hypervisor=m.make(
            "clustermgmt.v4.config.HypervisorReference", external_address=ip(m, f"{net}.{21 + index}"),
            user_name="root", full_name=f"Nutanix {t.AHV_VERSION}", type="AHV", number_of_vms=running + 1,
            state="ACROPOLIS_NORMAL", acropolis_connection_state="CONNECTED",
        ),
        cluster=m.make("clustermgmt.v4.config.ClusterReference", uuid=names.cluster_id(cluster), name=cluster),
        controller_vm=m.make(
            "clustermgmt.v4.config.ControllerVmReference", external_address=ip(m, f"{net}.{31 + index}"),
            backplane_address=ip(m, f"192.168.5.{2 + index}"), is_in_maintenance_mode=False,
        ),
        disk=disks, is_degraded=False, is_secure_booted=True, is_hardware_virtualized=True, has_csr=False,
        number_of_cpu_cores=spec["cores"], number_of_cpu_threads=spec["cores"] * 2, number_of_cpu_sockets=2,
        cpu_frequency_hz=2_000_000_000 if "6338" in spec["cpu"] else 2_400_000_000,
        cpu_capacity_hz=spec["cores"] * (2_000_000_000 if "6338" in spec["cpu"] else 2_400_000_000),
        cpu_model=spec["cpu"], gpu_list=[], is_reboot_pending=False,
        boot_time_usecs=1736500000000000 + index * 3_600_000_000, memory_size_bytes=spec["memory"],
        node_serial=serial("", name, 10), block_serial=block, block_model=spec["block_model"],
        maintenance_state="normal", node_status="NORMAL",
        ipmi=m.make("clustermgmt.v4.config.IpmiReference", ip=ip(m, f"{net.rsplit('.', 1)[0]}.2.{21 + index}"),
                    username="ADMIN"),
        rackable_unit_uuid=uid("rackable-unit", cluster),
        default_vm_container_uuid=names.container_id(cluster, "default-container"),
    )


def _container(m, cluster, name, share, internal, compression):
    capacity = int(t.CLUSTER_RAW_CAPACITY[cluster] / 2 * share) // GIB * GIB  # RF2 halves usable space
    return m.make(
        "clustermgmt.v4.config.StorageContainer", ext_id=names.container_id(cluster, name),
        container_ext_id=names.container_id(cluster, name), owner_ext_id=names.admin_id(), name=name,
        cluster_ext_id=names.cluster_id(cluster), cluster_name=cluster,
        storage_pool_ext_id=uid("storage-pool", cluster), is_marked_for_removal=False,
        max_capacity_bytes=capacity, logical_explicit_reserved_capacity_bytes=0,
        logical_implicit_reserved_capacity_bytes=0, logical_advertised_capacity_bytes=capacity,
        replication_factor=2, is_nfs_whitelist_inherited=True, erasure_code="OFF", is_inline_ec_enabled=False,
        has_higher_ec_fault_domain_preference=False, cache_deduplication="OFF", on_disk_dedup="OFF",
        is_compression_enabled=compression, compression_delay_secs=0, is_internal=internal,
        is_software_encryption_enabled=False, is_encrypted=False,
    )
