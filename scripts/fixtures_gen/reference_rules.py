"""The reference rules, one function per kind of document (see references.py)."""
import ipaddress

CLUSTERS = "clustermgmt.config.clusters.json"
HOSTS = "clustermgmt.config.hosts.json"
CONTAINERS = "clustermgmt.config.storage-containers.json"
SUBNETS = "networking.config.subnets.json"
VPCS = "networking.config.vpcs.json"
IMAGES = "vmm.content.images.json"
VMS = "vmm.ahv.config.vms.json"
CATEGORIES = "prism.config.categories.json"
DOMAIN_MANAGERS = "prism.config.domain-managers.json"
USERS = "iam.authn.users.json"
KEYS = "iam.authn.users.keys.json"
OPERATIONS = "iam.authz.operations.json"
ROLES = "iam.authz.roles.json"
POLICIES = "iam.authz.authorization-policies.json"
VOLUME_GROUPS = "volumes.config.volume-groups.json"
VOLUME_DISKS = "volumes.config.volume-groups.disks.json"
VM_ATTACHMENTS = "volumes.config.volume-groups.vm-attachments.json"


def in_subnet(address, subnet):
    """Whether `address` lies inside the subnet's IPv4 prefix and inside one of its IPAM pools."""
    ipv4 = subnet["ipConfig"][0]["ipv4"]
    network = ipaddress.ip_network(f"{ipv4['ipSubnet']['ip']['value']}/{ipv4['ipSubnet']['prefixLength']}")
    value = ipaddress.ip_address(address)
    in_pool = any(
        ipaddress.ip_address(p["startIp"]["value"]) <= value <= ipaddress.ip_address(p["endIp"]["value"])
        for p in ipv4.get("poolList", [])
    )
    return value in network and in_pool


def _container_on(r, ext_id, cluster_id, where):
    container = r.get(CONTAINERS, ext_id, where, "storage container")
    if container:
        r.expect(container["clusterExtId"] == cluster_id, f"{where}: container {ext_id} is on another cluster")


def clusters_and_hosts(r):
    for cluster in r.docs(CLUSTERS):
        for node in cluster["nodes"].get("nodeList", []):
            if "PRISM_CENTRAL" in cluster["config"]["clusterFunction"]:
                continue
            host = r.get(HOSTS, node["nodeUuid"], f"cluster {cluster['name']}", "node")
            if host:
                r.expect(host["cluster"]["uuid"] == cluster["extId"], f"node {node['nodeUuid']} in two clusters")
        vms = [vm for vm in r.docs(VMS) if vm["cluster"]["extId"] == cluster["extId"]]
        r.expect(cluster["vmCount"] == len(vms), f"cluster {cluster['name']}: vmCount {cluster['vmCount']}")
    for host in r.docs(HOSTS):
        where = f"host {host['hostName']}"
        cluster = r.get(CLUSTERS, host["cluster"]["uuid"], where, "cluster")
        r.expect(host["$pcmock"]["parentExtId"] == host["cluster"]["uuid"], f"{where}: parentExtId")
        if cluster:
            r.expect(cluster["name"] == host["cluster"]["name"], f"{where}: cluster name")
        _container_on(r, host["defaultVmContainerUuid"], host["cluster"]["uuid"], where)
    for container in r.docs(CONTAINERS):
        where = f"container {container['name']}"
        cluster = r.get(CLUSTERS, container["clusterExtId"], where, "cluster")
        r.expect(container["containerExtId"] == container["extId"], f"{where}: containerExtId")
        r.expect(cluster is None or cluster["name"] == container["clusterName"], f"{where}: cluster name")
        r.get(USERS, container["ownerExtId"], where, "owner")


def domain_manager(r):
    (pc,) = r.docs(DOMAIN_MANAGERS)
    r.get(CLUSTERS, pc["hostingClusterExtId"], "domain manager", "hosting cluster")
    own = r.get(CLUSTERS, pc["extId"], "domain manager", "its own PRISM_CENTRAL cluster entry")
    r.expect(own is None or own["config"]["clusterFunction"] == ["PRISM_CENTRAL"], "PC cluster function")
    for ext_id in pc["config"]["resourceConfig"]["containerExtIds"]:
        _container_on(r, ext_id, pc["hostingClusterExtId"], "domain manager")


def networks(r):
    for subnet in r.docs(SUBNETS):
        cluster = r.get(CLUSTERS, subnet["clusterReference"], f"subnet {subnet['name']}", "cluster")
        r.expect(cluster is None or cluster["name"] == subnet["clusterName"], f"subnet {subnet['name']}: cluster")
    for vpc in r.docs(VPCS):
        for external in vpc["externalSubnets"]:
            subnet = r.get(SUBNETS, external["subnetReference"], f"vpc {vpc['name']}", "external subnet")
            if subnet:
                r.expect(subnet["isExternal"], f"vpc {vpc['name']}: {subnet['name']} is not external")
                for address in external["externalIps"]:
                    r.expect(in_subnet(address["ipv4"]["value"], subnet), f"vpc {vpc['name']}: external IP")


def images(r):
    for image in r.docs(IMAGES):
        where = f"image {image['name']}"
        for ext_id in image["clusterLocationExtIds"]:
            r.get(CLUSTERS, ext_id, where, "cluster location")
        for ext_id in image.get("categoryExtIds", []):
            r.get(CATEGORIES, ext_id, where, "category")
        r.get(USERS, image["ownerExtId"], where, "owner")


def _image_on(r, backing, cluster_id, where, kind):
    reference = backing.get("dataSource", {}).get("reference")
    if reference is None:
        return
    image = r.get(IMAGES, reference["imageExtId"], where, "image")
    if image:
        r.expect(cluster_id in image["clusterLocationExtIds"], f"{where}: image not on the VM's cluster")
        r.expect(image["type"] == kind, f"{where}: a {image['type']} used as {kind}")


def vms(r):
    macs, addresses = set(), set()
    for vm in r.docs(VMS):
        where, cluster_id = f"vm {vm['name']}", vm["cluster"]["extId"]
        r.get(CLUSTERS, cluster_id, where, "cluster")
        if vm["powerState"] == "ON":
            host = r.get(HOSTS, vm["host"]["extId"], where, "host")
            r.expect(host is None or host["cluster"]["uuid"] == cluster_id, f"{where}: host on another cluster")
        else:
            r.expect("host" not in vm, f"{where}: powered off but placed on a host")
        for category in vm.get("categories", []):
            r.get(CATEGORIES, category["extId"], where, "category")
        r.get(USERS, vm["ownershipInfo"]["owner"]["extId"], where, "owner")
        for disk in vm["disks"]:
            backing = disk["backingInfo"]
            if backing["$objectType"] == "vmm.v4.ahv.config.ADSFVolumeGroupReference":
                group = r.get(VOLUME_GROUPS, backing["volumeGroupExtId"], where, "volume group")
                attached = [a for a in r.docs(VM_ATTACHMENTS) if a["$pcmock"]["parentExtId"] ==
                            backing["volumeGroupExtId"] and a["extId"] == vm["extId"]]
                r.expect(len(attached) == 1 and attached[0]["index"] == disk["diskAddress"]["index"],
                         f"{where}: volume group disk without a matching vm-attachment")
                r.expect(group is None or group["clusterReference"] == cluster_id, f"{where}: VG on another cluster")
                continue
            _container_on(r, backing["storageContainer"]["extId"], cluster_id, where)
            _image_on(r, backing, cluster_id, where, "DISK_IMAGE")
        for cd_rom in vm.get("cdRoms", []):
            if "backingInfo" in cd_rom:
                _container_on(r, cd_rom["backingInfo"]["storageContainer"]["extId"], cluster_id, where)
                _image_on(r, cd_rom["backingInfo"], cluster_id, where, "ISO_IMAGE")
        for nic in vm["nics"]:
            for info in (nic["networkInfo"], nic["nicNetworkInfo"]):
                subnet = r.get(SUBNETS, info["subnet"]["extId"], where, "subnet")
                address = info["ipv4Config"]["ipAddress"]["value"]
                if subnet:
                    r.expect(subnet["clusterReference"] == cluster_id, f"{where}: VLAN subnet of another cluster")
                    r.expect(in_subnet(address, subnet), f"{where}: {address} outside {subnet['name']}'s pool")
            macs_here = {nic["backingInfo"]["macAddress"], nic["nicBackingInfo"]["macAddress"]}
            r.expect(len(macs_here) == 1 and not macs_here & macs, f"{where}: MAC address reused")
            r.expect(address not in addresses, f"{where}: IP address {address} reused")
            macs |= macs_here
            addresses.add(address)


def volume_groups(r):
    for group in r.docs(VOLUME_GROUPS):
        r.get(CLUSTERS, group["clusterReference"], f"volume group {group['name']}", "cluster")
    for disk in r.docs(VOLUME_DISKS):
        group = r.get(VOLUME_GROUPS, disk["$pcmock"]["parentExtId"], f"volume disk {disk['extId']}", "volume group")
        if group:
            _container_on(r, disk["storageContainerId"], group["clusterReference"], f"volume disk {disk['extId']}")
    for attachment in r.docs(VM_ATTACHMENTS):
        where = f"vm-attachment {attachment['extId']}"
        group = r.get(VOLUME_GROUPS, attachment["$pcmock"]["parentExtId"], where, "volume group")
        vm = r.get(VMS, attachment["extId"], where, "VM")
        if group and vm:
            r.expect(vm["cluster"]["extId"] == group["clusterReference"], f"{where}: VM on another cluster")


def identities(r):
    for key in r.docs(KEYS):
        user = r.get(USERS, key["$pcmock"]["parentExtId"], f"key {key['name']}", "user")
        r.expect(user is None or user["userType"] == "SERVICE_ACCOUNT", f"key {key['name']}: not a service account")
        r.expect(len(key["$pcmock"].get("apiKeySha256", "")) == 64, f"key {key['name']}: no apiKeySha256")
    for role in r.docs(ROLES):
        for ext_id in role["operations"]:
            r.get(OPERATIONS, ext_id, f"role {role['displayName']}", "operation")
    for policy in r.docs(POLICIES):
        where = f"authorization policy {policy['displayName']}"
        r.get(ROLES, policy["role"], where, "role")
        for identity in policy["identities"]:
            for ext_id in identity["identityFilter"]["user"]["uuid"]["anyof"]:
                r.get(USERS, ext_id, where, "user")
    for user in r.docs(USERS):
        if "createdBy" in user:
            r.get(USERS, user["createdBy"], f"user {user['username']}", "creator")


RULES = [clusters_and_hosts, domain_manager, networks, images, vms, volume_groups, identities]
