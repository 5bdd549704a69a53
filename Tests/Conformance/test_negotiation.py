"""Version negotiation (sdk-contract.md §a): SDKs from 4.2 on send one
`OPTIONS /api/<ns>/unversioned/info` before their first call and keep their own path version when
the server answers with it; a failed negotiation would repeat the OPTIONS before every call."""
import logging
import re

import pytest

from conftest import make_client, sdk_module, sdk_version

# namespace -> (API class, a list method every generation has)
LISTS = {
    "vmm": ("VmApi", "list_vms"),
    "prism": ("CategoriesApi", "list_categories"),
    "clustermgmt": ("ClustersApi", "list_clusters"),
    "networking": ("SubnetsApi", "list_subnets"),
    "volumes": ("VolumeGroupsApi", "list_volume_groups"),
    "iam": ("UsersApi", "list_users"),
    "microseg": ("AddressGroupsApi", "list_address_groups"),
    "lifecycle": ("EntitiesApi", "list_entities"),
    "monitoring": ("AlertsApi", "list_alerts"),
    "licensing": ("LicenseKeysApi", "list_license_keys"),
    "datapolicies": ("ProtectionPoliciesApi", "list_protection_policies"),
    "objects": ("ObjectStoresApi", "list_objectstores"),
    "opsmgmt": ("ReportConfigApi", "list_report_configs"),
    "security": ("CredentialsApi", "list_credentials"),
    "aiops": ("ScenariosApi", "list_scenarios"),
    "files": ("FileServersApi", "list_file_servers"),
}


def negotiates(namespace):
    return hasattr(sdk_module(namespace).ApiClient, "negotiate_version")


@pytest.mark.parametrize("namespace", sorted(LISTS))
def test_three_calls_cost_at_most_one_negotiation(namespace, wire, caplog):
    caplog.set_level(logging.WARNING)
    client = make_client(namespace)
    api_class, method = LISTS[namespace]
    api = getattr(sdk_module(namespace), api_class)(api_client=client)
    for _ in range(3):
        response = getattr(api, method)(_limit=1)
        assert response.metadata is not None
        assert type(response).__name__.endswith("ApiResponse")
    # A failed or downgraded negotiation logs a warning or an error (sdk-contract.md §a).
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    options = wire.count("OPTIONS", f"/api/{namespace}/unversioned/info")
    gets = [p for m, p in wire.requests if m == "GET"]
    assert len(gets) == 3
    if negotiates(namespace):
        assert options == 1, f"{namespace} {sdk_version(namespace)} negotiated {options} times"
        assert client.configuration.negotiation_completed is True
        # The server claims the SDK's own version, so paths are not rewritten.
        own = re.match(r"(\d+)\.(\d+)", sdk_version(namespace))
        assert all(p.startswith(f"/api/{namespace}/v{own[1]}.{own[2]}/") for p in gets), gets
    else:
        assert options == 0
