"""Seeded inventory (ClustersApi, StorageContainersApi) and IAM roles / authorization policies
through their SDKs."""
import pytest

from conftest import error_of, fixture_items, model_class, sdk_module

CLUSTERS = fixture_items("clustermgmt.config.clusters")
HOSTS = fixture_items("clustermgmt.config.hosts")


def test_hosts_by_cluster_and_filters(sdk):
    clusters = sdk.api("clustermgmt", "ClustersApi")
    for cluster in CLUSTERS:
        expected = {h["extId"] for h in HOSTS if h["cluster"]["uuid"] == cluster["extId"]}
        listed = clusters.list_hosts_by_cluster_id(cluster["extId"]).data or []
        assert {h.ext_id for h in listed} == expected
    aos = clusters.list_clusters(
        _filter="config/clusterFunction/any(t:t eq Clustermgmt.Config.ClusterFunctionRef'AOS')").data
    assert {c.name for c in aos} == {"ahv-cluster-a", "ahv-cluster-b"}
    first = CLUSTERS[1]["extId"]
    hosts = clusters.list_hosts(_filter=f"cluster/uuid eq '{first}'", _orderby="hostName desc").data
    assert [h.host_name for h in hosts] == sorted((h["hostName"] for h in HOSTS if h["cluster"]["uuid"] == first),
                                                 reverse=True)


def test_storage_containers_filter_by_cluster(sdk):
    containers = sdk.api("clustermgmt", "StorageContainersApi")
    cluster = CLUSTERS[1]["extId"]
    listed = containers.list_storage_containers(_filter=f"clusterExtId eq '{cluster}'").data
    expected = {c["extId"] for c in fixture_items("clustermgmt.config.storage-containers") if c["clusterExtId"] == cluster}
    assert {c.container_ext_id for c in listed} == expected


def test_roles_and_policies(sdk):
    roles = sdk.api("iam", "RolesApi")
    policies = sdk.api("iam", "AuthorizationPoliciesApi")
    Role = model_class("iam", "iam.v4.authz.Role")
    operation = fixture_items("iam.authz.operations")[0]["extId"]
    role = roles.create_role(body=Role(display_name="conformance-role", operations=[operation])).data
    assert role.ext_id and role.operations == [operation]
    with pytest.raises(sdk_module("iam").rest.ApiException) as caught:
        roles.create_role(body=Role(display_name="bad", operations=["00000000-0000-4000-8000-000000000ccc"]))
    assert caught.value.status == 400
    listed = {p.role for p in policies.list_authorization_policies().data}
    assert listed == {p["role"] for p in fixture_items("iam.authz.authorization-policies")}
    granted = fixture_items("iam.authz.authorization-policies")[0]["role"]
    etag = sdk.client("iam").get_etag(roles.get_role_by_id(granted))
    with pytest.raises(sdk_module("iam").rest.ApiException) as refused:
        roles.delete_role_by_id(granted, if_match=etag)
    assert refused.value.status == 409
    assert roles.get_role_by_id(granted).data.ext_id == granted
