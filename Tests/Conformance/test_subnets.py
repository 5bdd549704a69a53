"""Subnets and VPCs through SubnetsApi / VpcsApi: IP pools and references validated with a 400
naming the attribute; a valid overlay subnet in the fixture VPC is created as a task."""
import pytest

from conftest import created_ext_id, error_of, fixture_items, model_class, sdk_module, wait_task

CLUSTER = next(c["extId"] for c in fixture_items("clustermgmt.config.clusters") if c["name"] == "ahv-cluster-a")
VPC = fixture_items("networking.config.vpcs")[0]["extId"]


def ip_config(start, end, gateway="10.70.0.1"):
    IPConfig = model_class("networking", "networking.v4.config.IPConfig")
    IPv4Config = model_class("networking", "networking.v4.config.IPv4Config")
    IPv4Subnet = model_class("networking", "networking.v4.config.IPv4Subnet")
    IPv4Pool = model_class("networking", "networking.v4.config.IPv4Pool")
    IPv4Address = model_class("networking", "common.v1.config.IPv4Address")
    return [IPConfig(ipv4=IPv4Config(
        ip_subnet=IPv4Subnet(ip=IPv4Address(value="10.70.0.0"), prefix_length=24),
        default_gateway_ip=IPv4Address(value=gateway),
        pool_list=[IPv4Pool(start_ip=IPv4Address(value=start), end_ip=IPv4Address(value=end))]))]


def rejected(sdk, body):
    subnets = sdk.api("networking", "SubnetsApi")
    with pytest.raises(sdk_module("networking").rest.ApiException) as caught:
        subnets.create_subnet(body=body)
    assert caught.value.status == 400
    error = error_of(sdk, "networking", caught.value, "networking.v4.config.TaskReferenceApiResponse").data.error
    assert isinstance(error, model_class("networking", "networking.v4.error.SchemaValidationError"))
    return [m.attribute_path for m in error.validation_error_messages]


def test_bad_pools_and_gateway_name_the_field(sdk):
    Subnet = model_class("networking", "networking.v4.config.Subnet")
    total = sdk.api("networking", "SubnetsApi").list_subnets().metadata.total_available_results

    def vlan(config):
        return Subnet(name="bad", subnet_type="VLAN", network_id=70, cluster_reference=CLUSTER, ip_config=config)

    assert rejected(sdk, vlan(ip_config("10.70.0.200", "10.70.0.100"))) == ["ipConfig[0].ipv4.poolList[0].startIp.value"]
    assert rejected(sdk, vlan(ip_config("10.70.0.10", "10.71.0.20"))) == ["ipConfig[0].ipv4.poolList[0].endIp.value"]
    assert rejected(sdk, vlan(ip_config("10.70.0.10", "10.70.0.20", gateway="10.80.0.1"))) == \
        ["ipConfig[0].ipv4.defaultGatewayIp.value"]
    assert sdk.api("networking", "SubnetsApi").list_subnets().metadata.total_available_results == total


def test_overlay_subnet_needs_an_existing_vpc(sdk):
    subnets = sdk.api("networking", "SubnetsApi")
    Subnet = model_class("networking", "networking.v4.config.Subnet")
    config = ip_config("10.70.0.10", "10.70.0.20")
    assert rejected(sdk, Subnet(name="o", subnet_type="OVERLAY", ip_config=config)) == ["vpcReference"]
    assert rejected(sdk, Subnet(name="o", subnet_type="OVERLAY", ip_config=config,
                                vpc_reference="00000000-0000-4000-8000-000000000aaa")) == ["vpcReference"]
    task = wait_task(sdk, subnets.create_subnet(
        body=Subnet(name="overlay-ok", subnet_type="OVERLAY", ip_config=config, vpc_reference=VPC)).data)
    assert task.status == "SUCCEEDED"
    got = subnets.get_subnet_by_id(created_ext_id(task, "networking:config:subnet")).data
    assert got.vpc_reference == VPC
    assert got.ip_config[0].ipv4.pool_list[0].start_ip.value == "10.70.0.10"


def test_vpc_external_subnet_must_be_external(sdk):
    vpcs = sdk.api("networking", "VpcsApi")
    Vpc = model_class("networking", "networking.v4.config.Vpc")
    ExternalSubnet = model_class("networking", "networking.v4.config.ExternalSubnet")
    internal = next(s["extId"] for s in fixture_items("networking.config.subnets") if not s.get("isExternal"))
    with pytest.raises(sdk_module("networking").rest.ApiException) as caught:
        vpcs.create_vpc(body=Vpc(name="vpc-bad", external_subnets=[ExternalSubnet(subnet_reference=internal)]))
    assert caught.value.status == 400
    error = error_of(sdk, "networking", caught.value, "networking.v4.config.TaskReferenceApiResponse").data.error
    assert [m.attribute_path for m in error.validation_error_messages] == ["externalSubnets[0].subnetReference"]


def test_expand_vpc_and_subnet_in_use(sdk):
    subnets = sdk.api("networking", "SubnetsApi")
    Subnet = model_class("networking", "networking.v4.config.Subnet")
    Vpc = model_class("networking", "networking.v4.config.Vpc")
    task = wait_task(sdk, subnets.create_subnet(body=Subnet(
        name="overlay-expand", subnet_type="OVERLAY", vpc_reference=VPC,
        ip_config=ip_config("10.70.0.10", "10.70.0.20"))).data)
    ext_id = created_ext_id(task, "networking:config:subnet")
    listed = subnets.list_subnets(_expand="vpc", _filter=f"extId eq '{ext_id}'").data
    assert isinstance(listed[0].vpc, Vpc)
    assert listed[0].vpc.ext_id == VPC
    # A subnet that fixture VMs' NICs use is kept: the delete task fails.
    used = fixture_items("vmm.ahv.config.vms")[0]["nics"][0]["networkInfo"]["subnet"]["extId"]
    etag = sdk.client("networking").get_etag(subnets.get_subnet_by_id(used))
    failed = wait_task(sdk, subnets.delete_subnet_by_id(used, if_match=etag).data)
    assert failed.status == "FAILED"
    assert failed.error_messages[0].error_group == "SUBNET_IN_USE"
    assert subnets.get_subnet_by_id(used).data.ext_id == used
