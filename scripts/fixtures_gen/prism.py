"""prism: the Prism Central itself (its domain manager) and the category keys/values."""
from . import names, topology as t
from .collection import Collection
from .ids import GIB, at, uid
from .sdk import Models

DESCRIPTIONS = {
    "Environment": "Lifecycle stage of the workload",
    "AppType": "Application tier",
    "Department": "Cost centre owning the workload",
    "Quarantine": "Flow Network Security quarantine state",
}


def build():
    m = Models("prism")
    managers = Collection(m, "prism.v4.config.DomainManager", "config/domain-managers")
    categories = Collection(m, "prism.v4.config.Category", "config/categories")
    managers.add(_domain_manager(m))
    for key, values in t.CATEGORIES.items():
        for value in values:
            categories.add(_category(m, key, value, "USER"))
    for key, values in t.SYSTEM_CATEGORIES.items():
        for value in values:
            categories.add(_category(m, key, value, "SYSTEM"))
    return [managers, categories]


def _ip(m, value):
    return m.make("common.v1.config.IPAddress", ipv4=m.make("common.v1.config.IPv4Address", value=value))


def _ip_or_fqdn(m, value):
    if all(part.isdigit() for part in value.split(".")):
        return m.make("common.v1.config.IPAddressOrFQDN", ipv4=m.make("common.v1.config.IPv4Address", value=value))
    return m.make("common.v1.config.IPAddressOrFQDN", fqdn=m.make("common.v1.config.FQDN", value=value))


def _domain_manager(m):
    hosting = t.CLUSTERS[0]["name"]
    config = m.make(
        "prism.v4.config.DomainManagerClusterConfig", name=t.PC_NAME, size="SMALL",
        build_info=m.make("clustermgmt.v4.config.BuildInfo", version=t.PC_VERSION),
        resource_config=m.make(
            "prism.v4.config.DomainManagerResourceConfig", num_vcpus=6, memory_size_bytes=28 * GIB,
            data_disk_size_bytes=500 * GIB, container_ext_ids=[names.container_id(hosting, "default-container")],
        ),
        should_enable_lockdown_mode=False,
    )
    network = m.make(
        "prism.v4.config.DomainManagerNetwork", external_address=_ip(m, t.PC_IP),
        name_servers=[_ip_or_fqdn(m, s) for s in t.DNS_SERVERS], ntp_servers=[_ip_or_fqdn(m, s) for s in t.NTP_SERVERS],
        fqdn=f"{t.PC_NAME.lower()}.{t.DOMAIN}",
    )
    return m.make(
        "prism.v4.config.DomainManager", ext_id=names.pc_id(), config=config, is_registered_with_hosting_cluster=True,
        network=network, hosting_cluster_ext_id=names.cluster_id(hosting), should_enable_high_availability=False,
        node_ext_ids=[uid("pc-node", t.PC_NAME)], created_time=at(-60 * 24 * 30, t.PC_NAME),
    )


def _category(m, key, value, kind):
    return m.make(
        "prism.v4.config.Category", ext_id=names.category_id(key, value), key=key, value=value, type=kind,
        description=DESCRIPTIONS[key], owner_uuid=names.admin_id(),
    )
