"""The extId of every named fixture entity, so that each builder can reference the others."""
from .ids import ADMIN_USER_EXT_ID, uid
from .topology import PC_NAME, SERVICE_ACCOUNT


def pc_id():
    # The Prism Central cluster and its domain manager share one UUID, as on a real PC.
    return uid("cluster", PC_NAME)


def cluster_id(name):
    return uid("cluster", name)


def host_name(cluster, index):
    return f"{cluster}-node-{index + 1}"


def host_id(cluster, index):
    return uid("host", host_name(cluster, index))


def container_id(cluster, name):
    return uid("storage-container", f"{cluster}/{name}")


def subnet_id(name):
    return uid("subnet", name)


def vpc_id(name):
    return uid("vpc", name)


def image_id(name):
    return uid("image", name)


def category_id(key, value):
    return uid("category", f"{key}/{value}")


def vm_id(name):
    return uid("vm", name)


def vg_id(name):
    return uid("volume-group", name)


def admin_id():
    return ADMIN_USER_EXT_ID


def service_account_id():
    return uid("user", SERVICE_ACCOUNT)
