"""iam: the admin user, a service account with an API key, operations, roles and authorization policies."""
from . import names, topology as t
from .collection import Collection
from .ids import at, sha256_hex, uid
from .sdk import Models

# display name, entity type, client, HTTP method, v4 endpoint (relative to /api)
OPERATIONS = [
    ("View_Virtual_Machine", "vm", "vmm", "GET", "/vmm/v4.0/ahv/config/vms"),
    ("Create_Virtual_Machine", "vm", "vmm", "POST", "/vmm/v4.0/ahv/config/vms"),
    ("Update_Virtual_Machine", "vm", "vmm", "PUT", "/vmm/v4.0/ahv/config/vms/{extId}"),
    ("Delete_Virtual_Machine", "vm", "vmm", "DELETE", "/vmm/v4.0/ahv/config/vms/{extId}"),
    ("Power_On_Virtual_Machine", "vm", "vmm", "POST", "/vmm/v4.0/ahv/config/vms/{extId}/$actions/power-on"),
    ("Power_Off_Virtual_Machine", "vm", "vmm", "POST", "/vmm/v4.0/ahv/config/vms/{extId}/$actions/power-off"),
    ("View_Image", "image", "vmm", "GET", "/vmm/v4.0/content/images"),
    ("Create_Image", "image", "vmm", "POST", "/vmm/v4.0/content/images"),
    ("View_Cluster", "cluster", "clustermgmt", "GET", "/clustermgmt/v4.0/config/clusters"),
    ("View_Host", "host", "clustermgmt", "GET", "/clustermgmt/v4.0/config/hosts"),
    ("View_Subnet", "subnet", "networking", "GET", "/networking/v4.0/config/subnets"),
    ("View_Category", "category", "prism", "GET", "/prism/v4.0/config/categories"),
    ("Create_Category", "category", "prism", "POST", "/prism/v4.0/config/categories"),
    ("View_Task", "task", "prism", "GET", "/prism/v4.0/config/tasks"),
    ("View_Volume_Group", "volume_group", "volumes", "GET", "/volumes/v4.0/config/volume-groups"),
    ("View_User", "user", "iam", "GET", "/iam/v4.0/authn/users"),
]
ALL = [op[0] for op in OPERATIONS]
VIEWS = [name for name in ALL if name.startswith("View_")]
# display name, system-defined, operations, description
ROLES = [
    ("Super Admin", True, ALL, "Full administrator, without restriction"),
    ("Prism Admin", True, [n for n in ALL if n != "View_User"], "Full administrator except for user management"),
    ("Prism Viewer", True, VIEWS, "View-only access to the Prism Central inventory"),
    ("Virtual Machine Admin", True, [n for n in ALL if n.endswith(("Virtual_Machine", "Image"))] + ["View_Cluster"],
     "Manage virtual machines and images"),
    ("Automation Operator", False, [n for n in ALL if "Virtual_Machine" in n or n in VIEWS],
     "Used by the CI pipelines: VM lifecycle and inventory reads"),
]
ALL_ENTITIES = {"*": {"*": {"eq": "*"}}}
# display name, role, users, entity filters, type
POLICIES = [
    ("Super Admin_acp", "Super Admin", ["admin"], [ALL_ENTITIES], "PREDEFINED_READ_ONLY"),
    ("svc-automation-vm-operators", "Automation Operator", [t.SERVICE_ACCOUNT],
     [{"vm": {"*": {"eq": "*"}}}, {"image": {"*": {"eq": "*"}}}, {"cluster": {"*": {"eq": "*"}}},
      {"subnet": {"*": {"eq": "*"}}}, {"category": {"*": {"eq": "*"}}}], "USER_DEFINED"),
]
USER_IDS = {"admin": names.admin_id(), t.SERVICE_ACCOUNT: names.service_account_id()}


def build():
    m = Models("iam")
    users = Collection(m, "iam.v4.authn.User", "authn/users")
    keys = Collection(m, "iam.v4.authn.Key", "authn/users/{userExtId}/keys", "userExtId")
    operations = Collection(m, "iam.v4.authz.Operation", "authz/operations")
    roles = Collection(m, "iam.v4.authz.Role", "authz/roles")
    policies = Collection(m, "iam.v4.authz.AuthorizationPolicy", "authz/authorization-policies")
    users.add(m.make(
        "iam.v4.authn.User", ext_id=names.admin_id(), username="admin", user_type="LOCAL", display_name="admin",
        locale="en-US", region="en-US", status="ACTIVE", is_force_reset_password_enabled=False,
        created_time=at(-60 * 24 * 30), last_updated_time=at(-60 * 24 * 30), creation_type="PREDEFINED",
    ))
    users.add(m.make(
        "iam.v4.authn.User", ext_id=names.service_account_id(), username=t.SERVICE_ACCOUNT,
        user_type="SERVICE_ACCOUNT", display_name="Automation service account", email_id=f"automation@{t.DOMAIN}",
        description="CI/CD pipelines (Terraform, Ansible)", status="ACTIVE", created_time=at(120, "svc"),
        last_updated_time=at(120, "svc"), created_by=names.admin_id(), last_updated_by=names.admin_id(),
        creation_type="USERDEFINED",
    ))
    keys.add(m.make(
        "iam.v4.authn.Key", ext_id=uid("key", t.API_KEY_NAME), name=t.API_KEY_NAME, key_type="API_KEY",
        description="API key of the CI pipelines", created_time=at(125, "key"), last_updated_time=at(125, "key"),
        created_by=names.admin_id(), last_updated_by=names.admin_id(), creation_type="USERDEFINED",
        # Ten years out, so that a mock checking expiry against the wall clock keeps accepting it.
        expiry_time=at(60 * 24 * 3652), status="VALID",
    ), parent_ext_id=names.service_account_id(), private={"apiKeySha256": sha256_hex(t.API_KEY_VALUE)})
    for name, entity, client, method, url in OPERATIONS:
        operations.add(_operation(m, name, entity, client, method, url))
    for name, system, ops, description in ROLES:
        roles.add(_role(m, name, system, ops, description))
    for name, role, members, entities, kind in POLICIES:
        policies.add(_policy(m, name, role, members, entities, kind))
    return [users, keys, operations, roles, policies]


def _operation(m, name, entity, client, method, url):
    endpoint = m.make("iam.v4.authz.AssociatedEndpoint", api_version="V4", endpoint_url=url, http_method=method)
    return m.make(
        "iam.v4.authz.Operation", ext_id=uid("operation", name), display_name=name,
        description=name.replace("_", " "), entity_type=entity, client_name=client, operation_type="EXTERNAL",
        created_time=at(-60 * 24 * 30), last_updated_time=at(-60 * 24 * 30), associated_endpoint_list=[endpoint],
    )


def _role(m, name, system, ops, description):
    clients = sorted({op[2] for op in OPERATIONS if op[0] in ops})
    entity_types = sorted({op[1] for op in OPERATIONS if op[0] in ops})
    users = sorted({u for p in POLICIES if p[1] == name for u in p[2]})
    attributes = {} if system else {"created_by": names.admin_id(), "client_name": "iam"}
    return m.make(
        "iam.v4.authz.Role", ext_id=uid("role", name), display_name=name, description=description,
        operations=[uid("operation", op) for op in ops], accessible_clients=clients,
        accessible_entity_types=entity_types, accessible_clients_count=len(clients),
        accessible_entity_types_count=len(entity_types), assigned_users_count=len(users),
        assigned_user_groups_count=0, created_time=at(-60 * 24 * 30 if system else 110, name),
        last_updated_time=at(-60 * 24 * 30 if system else 110, name), is_system_defined=system, **attributes,
    )


def _policy(m, name, role, members, entities, kind):
    identity = {"user": {"uuid": {"anyof": [USER_IDS[u] for u in members]}}}
    system = kind != "USER_DEFINED"
    attributes = {} if system else {"created_by": names.admin_id(), "client_name": "iam"}
    return m.make(
        "iam.v4.authz.AuthorizationPolicy", ext_id=uid("authorization-policy", name), display_name=name,
        description=f"{role} for {', '.join(members)}", role=uid("role", role),
        identities=[m.make("iam.v4.authz.IdentityFilter", identity_filter=identity)],
        entities=[m.make("iam.v4.authz.EntityFilter", entity_filter=e) for e in entities],
        authorization_policy_type=kind, is_system_defined=system, assigned_users_count=len(members),
        assigned_user_groups_count=0, created_time=at(-60 * 24 * 30 if system else 130, name),
        last_updated_time=at(-60 * 24 * 30 if system else 130, name), **attributes,
    )
