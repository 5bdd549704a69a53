"""List and get of every fixture collection decode into the SDK's model classes, never dicts
(sdk-contract.md §e: oneOf `data` is resolved by `$objectType`; 4.0/4.1 SDKs crash without it)."""
import pytest

from conftest import fixture_items, model_class

# fixture file -> (namespace, API class, list method, get method, objectType)
COLLECTIONS = [
    ("clustermgmt.config.clusters", "clustermgmt", "ClustersApi", "list_clusters", "get_cluster_by_id",
     "clustermgmt.v4.config.Cluster"),
    ("clustermgmt.config.storage-containers", "clustermgmt", "StorageContainersApi", "list_storage_containers",
     "get_storage_container_by_id", "clustermgmt.v4.config.StorageContainer"),
    ("networking.config.subnets", "networking", "SubnetsApi", "list_subnets", "get_subnet_by_id",
     "networking.v4.config.Subnet"),
    ("networking.config.vpcs", "networking", "VpcsApi", "list_vpcs", "get_vpc_by_id", "networking.v4.config.Vpc"),
    ("vmm.content.images", "vmm", "ImagesApi", "list_images", "get_image_by_id", "vmm.v4.content.Image"),
    ("vmm.ahv.config.vms", "vmm", "VmApi", "list_vms", "get_vm_by_id", "vmm.v4.ahv.config.Vm"),
    ("prism.config.categories", "prism", "CategoriesApi", "list_categories", "get_category_by_id",
     "prism.v4.config.Category"),
    ("iam.authn.users", "iam", "UsersApi", "list_users", "get_user_by_id", "iam.v4.authn.User"),
    ("iam.authz.roles", "iam", "RolesApi", "list_roles", "get_role_by_id", "iam.v4.authz.Role"),
    ("iam.authz.authorization-policies", "iam", "AuthorizationPoliciesApi", "list_authorization_policies",
     "get_authorization_policy_by_id", "iam.v4.authz.AuthorizationPolicy"),
    ("volumes.config.volume-groups", "volumes", "VolumeGroupsApi", "list_volume_groups", "get_volume_group_by_id",
     "volumes.v4.config.VolumeGroup"),
    ("iam.authz.operations", "iam", "OperationsApi", "list_operations", "get_operation_by_id",
     "iam.v4.authz.Operation"),
]

# Collections nested under a parent: fixture file -> (namespace, API class, list method, get method or None,
# objectType). The parent comes from each item's `$pcmock.parentExtId`.
NESTED = [
    ("iam.authn.users.keys", "iam", "UsersApi", "list_user_keys", "get_user_key_by_id", "iam.v4.authn.Key"),
    ("volumes.config.volume-groups.disks", "volumes", "VolumeGroupsApi", "list_volume_disks_by_volume_group_id",
     "get_volume_disk_by_id", "volumes.v4.config.VolumeDisk"),
    ("volumes.config.volume-groups.vm-attachments", "volumes", "VolumeGroupsApi",
     "list_vm_attachments_by_volume_group_id", None, "volumes.v4.config.VmAttachment"),
]


@pytest.mark.parametrize("collection,namespace,api_class,list_method,get_method,object_type", COLLECTIONS,
                         ids=[c[0] for c in COLLECTIONS])
def test_list_and_get_are_typed(sdk, collection, namespace, api_class, list_method, get_method, object_type):
    items = fixture_items(collection)
    cls = model_class(namespace, object_type)
    api = sdk.api(namespace, api_class)
    listed = getattr(api, list_method)(_limit=100)
    assert listed.metadata.total_available_results == len(items)
    assert len(listed.data) == len(items)
    assert all(isinstance(item, cls) for item in listed.data), [type(i).__name__ for i in listed.data]
    assert sorted(i.ext_id for i in listed.data) == sorted(i["extId"] for i in items)
    first = items[0]
    got = getattr(api, get_method)(first["extId"])
    assert isinstance(got.data, cls)
    assert got.data.ext_id == first["extId"]
    assert sdk.client(namespace).get_etag(got) is not None


@pytest.mark.parametrize("collection,namespace,api_class,list_method,get_method,object_type", NESTED,
                         ids=[c[0] for c in NESTED])
def test_nested_list_and_get_are_typed(sdk, collection, namespace, api_class, list_method, get_method, object_type):
    items = fixture_items(collection)
    parent = items[0]["$pcmock"]["parentExtId"]
    expected = sorted(i["extId"] for i in items if i["$pcmock"]["parentExtId"] == parent)
    cls = model_class(namespace, object_type)
    api = sdk.api(namespace, api_class)
    listed = getattr(api, list_method)(parent)
    assert all(isinstance(item, cls) for item in listed.data), [type(i).__name__ for i in listed.data]
    assert sorted(i.ext_id for i in listed.data) == expected
    if get_method:
        got = getattr(api, get_method)(parent, expected[0])
        assert isinstance(got.data, cls) and got.data.ext_id == expected[0]


def test_domain_manager_is_the_prism_central_cluster(sdk):
    manager = fixture_items("prism.config.domain-managers")[0]
    api = sdk.api("prism", "DomainManagerApi")
    listed = api.list_domain_managers()
    cls = model_class("prism", "prism.v4.config.DomainManager")
    assert [type(m) for m in listed.data] == [cls]
    got = api.get_domain_manager_by_id(manager["extId"]).data
    assert isinstance(got, cls) and got.ext_id == manager["extId"]


def test_hosts_list_and_get_by_cluster_are_typed(sdk):
    hosts = fixture_items("clustermgmt.config.hosts")
    cls = model_class("clustermgmt", "clustermgmt.v4.config.Host")
    api = sdk.api("clustermgmt", "ClustersApi")
    listed = api.list_hosts(_limit=100)
    assert len(listed.data) == len(hosts)
    assert all(isinstance(h, cls) for h in listed.data)
    host = hosts[0]
    cluster = host["$pcmock"]["parentExtId"] if "$pcmock" in host else host["cluster"]["uuid"]
    nested = api.list_hosts_by_cluster_id(cluster, _limit=100)
    assert {h.ext_id for h in nested.data} == {
        h["extId"] for h in hosts if h.get("$pcmock", {}).get("parentExtId", h["cluster"]["uuid"]) == cluster}
    got = api.get_host_by_id(cluster, host["extId"])
    assert isinstance(got.data, cls)
    assert got.data.host_name == host["hostName"]


def test_vm_nested_oneofs_are_typed(sdk):
    vm = next(v for v in fixture_items("vmm.ahv.config.vms") if v.get("disks"))
    got = sdk.api("vmm", "VmApi").get_vm_by_id(vm["extId"]).data
    disk = got.disks[0]
    assert type(disk).__name__ == "Disk"
    assert type(disk.backing_info).__name__ == vm["disks"][0]["backingInfo"]["$objectType"].rsplit(".", 1)[1]
    assert got.name == vm["name"]


def test_image_source_oneof_is_typed(sdk):
    image = next(i for i in fixture_items("vmm.content.images") if i.get("source"))
    got = sdk.api("vmm", "ImagesApi").get_image_by_id(image["extId"]).data
    assert type(got.source).__name__ == image["source"]["$objectType"].rsplit(".", 1)[1]


def test_tasks_list_and_get_are_typed(sdk):
    vms = sdk.api("vmm", "VmApi")
    vm = fixture_items("vmm.ahv.config.vms")[0]
    etag = sdk.client("vmm").get_etag(vms.get_vm_by_id(vm["extId"]))
    reference = vms.power_off_vm(vm["extId"], if_match=etag).data
    tasks = sdk.api("prism", "TasksApi")
    listed = tasks.list_tasks(_limit=50)
    cls = model_class("prism", "prism.v4.config.Task")
    assert listed.data and all(isinstance(t, cls) for t in listed.data)
    assert reference.ext_id in {t.ext_id for t in listed.data}
    got = tasks.get_task_by_id(reference.ext_id).data
    assert isinstance(got, cls)
    assert got.ext_id == reference.ext_id
