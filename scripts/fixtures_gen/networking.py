"""networking: two VLAN subnets with IPAM, one external subnet, and a VPC that uses it."""
from . import names, topology as t
from .collection import Collection
from .ids import uid
from .sdk import Models


def build():
    m = Models("networking")
    subnets = Collection(m, "networking.v4.config.Subnet", "config/subnets")
    vpcs = Collection(m, "networking.v4.config.Vpc", "config/vpcs")
    for spec in t.SUBNETS:
        subnets.add(_subnet(m, spec))
    vpcs.add(_vpc(m))
    return [subnets, vpcs]


def _v4(m, value, prefix_length=32):
    return m.make("common.v1.config.IPv4Address", value=value, prefix_length=prefix_length)


def _ip(m, value):
    return m.make("common.v1.config.IPAddress", ipv4=_v4(m, value))


def assigned_addresses(subnet_name):
    """IPs that VM NICs (and the VPC's SNAT) hold in the subnet: they count as assigned in its IPAM."""
    spec = next(s for s in t.SUBNETS if s["name"] == subnet_name)
    taken = [f"{spec['net']}.{vm['ip']}" for vm in t.VMS if vm["subnet"] == subnet_name]
    if t.VPC["external_subnet"] == subnet_name:
        taken.append(t.VPC["snat_ip"])
    return taken


def _subnet(m, spec):
    net, (first, last) = spec["net"], spec["pool"]
    pool = m.make("networking.v4.config.IPv4Pool", start_ip=_v4(m, f"{net}.{first}"), end_ip=_v4(m, f"{net}.{last}"))
    ipv4 = m.make(
        "networking.v4.config.IPv4Config",
        ip_subnet=m.make("networking.v4.config.IPv4Subnet", ip=_v4(m, f"{net}.0", 24), prefix_length=24),
        default_gateway_ip=_v4(m, f"{net}.1"), pool_list=[pool],
    )
    used = len(assigned_addresses(spec["name"]))
    total = last - first + 1
    usage = m.make(
        "networking.v4.config.IPUsage", num_macs=used, num_free_i_ps=total - used, num_assigned_i_ps=used,
        ip_pool_usages=[m.make("networking.v4.config.IPPoolUsage", num_free_i_ps=total - used, num_total_i_ps=total,
                               range=pool)],
    )
    cluster = spec["cluster"]
    attributes = dict(
        ext_id=names.subnet_id(spec["name"]), name=spec["name"], subnet_type="VLAN", network_id=spec["vlan"],
        ip_config=[m.make("networking.v4.config.IPConfig", ipv4=ipv4)],
        cluster_reference=names.cluster_id(cluster), cluster_name=cluster,
        virtual_switch_reference=uid("virtual-switch", f"{cluster}/vs0"), is_external=spec["external"],
        is_nat_enabled=spec["external"], is_advanced_networking=True, hypervisor_type="AHV", bridge_name="br0",
        ip_prefix=f"{net}.0/24", ip_usage=usage,
    )
    if spec["external"]:
        attributes["description"] = "Uplink to the internet edge, used by VPC SNAT"
    else:
        attributes["description"] = f"VLAN {spec['vlan']} on {cluster}"
        attributes["dhcp_options"] = m.make(
            "networking.v4.config.DhcpOptions", domain_name_servers=[_ip(m, s) for s in t.DNS_SERVERS],
            domain_name=t.DOMAIN, search_domains=[t.DOMAIN],
        )
    return m.make("networking.v4.config.Subnet", **attributes)


def _vpc(m):
    external = m.make(
        "networking.v4.config.ExternalSubnet", subnet_reference=names.subnet_id(t.VPC["external_subnet"]),
        external_ips=[_ip(m, t.VPC["snat_ip"])], active_gateway_count=1,
    )
    return m.make(
        "networking.v4.config.Vpc", ext_id=names.vpc_id(t.VPC["name"]), name=t.VPC["name"],
        description="Production overlay networks", vpc_type="REGULAR",
        common_dhcp_options=m.make("networking.v4.config.VpcDhcpOptions",
                                   domain_name_servers=[_ip(m, s) for s in t.DNS_SERVERS]),
        external_subnets=[external], snat_ips=[_ip(m, t.VPC["snat_ip"])],
    )
