"""The seeded Prism Central as plain data: names, addresses, sizes and who references whom.

The builder modules turn this into SDK model objects; the reference checker proves that it holds
together. Change the estate here.
"""
from .ids import GIB, TIB

PC_NAME = "PC-Prod-01"
PC_VERSION = "pc.2024.3.1"
PC_IP = "10.10.1.40"
DNS_SERVERS = ["10.10.0.53", "10.10.0.54"]
NTP_SERVERS = ["0.pool.ntp.org", "1.pool.ntp.org"]
DOMAIN = "corp.example.com"

AOS_VERSION = "7.0.1"
AOS_FULL_VERSION = "el8.5-release-fraser-7.0.1-stable-9a1e3c5b7d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c"
AHV_VERSION = "el8.nutanix.20230302.102001"

# name, management /24 prefix, host block model, CPU model
CLUSTERS = [
    {"name": "ahv-cluster-a", "net": "10.10.1", "block_model": "NX-3170-G8",
     "cpu": "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", "cores": 64, "memory": 1024 * GIB},
    {"name": "ahv-cluster-b", "net": "10.20.1", "block_model": "NX-1175S-G8",
     "cpu": "Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz", "cores": 32, "memory": 512 * GIB},
]
HOSTS_PER_CLUSTER = 3

# Storage containers created on every cluster: name, capacity share, internal, compression
CONTAINERS = [
    ("default-container", 0.45, False, True),
    ("SelfServiceContainer", 0.05, False, False),
    ("NutanixManagementShare", 0.02, True, False),
    ("prod-data", 0.40, False, True),
]
CLUSTER_RAW_CAPACITY = {"ahv-cluster-a": 92 * TIB, "ahv-cluster-b": 46 * TIB}

# name, cluster, VLAN id, /24 prefix, IPAM pool (first, last host part), external
SUBNETS = [
    {"name": "vlan-prod-100", "cluster": "ahv-cluster-a", "vlan": 100, "net": "10.100.0", "pool": (50, 200),
     "external": False},
    {"name": "vlan-dev-200", "cluster": "ahv-cluster-b", "vlan": 200, "net": "10.200.0", "pool": (50, 200),
     "external": False},
    {"name": "ext-internet", "cluster": "ahv-cluster-a", "vlan": 10, "net": "192.168.100", "pool": (10, 100),
     "external": True},
]
VPC = {"name": "vpc-prod", "external_subnet": "ext-internet", "snat_ip": "192.168.100.10"}

# name, type, size, source URL, clusters holding a copy
IMAGES = [
    ("ubuntu-22.04-server-cloudimg-amd64", "DISK_IMAGE", 2361393152,
     "https://cloud-images.ubuntu.com/releases/22.04/release/ubuntu-22.04-server-cloudimg-amd64.img",
     ["ahv-cluster-a", "ahv-cluster-b"]),
    ("rocky-9.3-genericcloud-x86_64", "DISK_IMAGE", 10737418240,
     "https://dl.rockylinux.org/pub/rocky/9/images/x86_64/Rocky-9-GenericCloud-Base-9.3-20231113.0.x86_64.qcow2",
     ["ahv-cluster-a", "ahv-cluster-b"]),
    ("windows-server-2022-sysprep", "DISK_IMAGE", 32212254720,
     "https://images.corp.example.com/windows/ws2022-datacenter-sysprep-2025-12.qcow2",
     ["ahv-cluster-b"]),
    ("ubuntu-22.04.4-live-server-amd64.iso", "ISO_IMAGE", 2104408064,
     "https://releases.ubuntu.com/22.04.4/ubuntu-22.04.4-live-server-amd64.iso",
     ["ahv-cluster-a", "ahv-cluster-b"]),
    ("SERVER_EVAL_x64FRE_en-us.iso", "ISO_IMAGE", 5044094976,
     "https://images.corp.example.com/windows/SERVER_EVAL_x64FRE_en-us.iso",
     ["ahv-cluster-b"]),
    ("virtio-win-0.1.240.iso", "ISO_IMAGE", 627519488,
     "https://fedorapeople.org/groups/virt/virtio-win/direct-downloads/archive-virtio/virtio-win-0.1.240-1/"
     "virtio-win-0.1.240.iso",
     ["ahv-cluster-a", "ahv-cluster-b"]),
]

# key -> values (type USER), plus the system-defined quarantine category of every PC
CATEGORIES = {
    "Environment": ["Production", "Staging", "Dev"],
    "AppType": ["Web", "DB", "Cache"],
    "Department": ["Engineering", "Finance"],
}
SYSTEM_CATEGORIES = {"Quarantine": ["Strict", "Forensic"]}

UBUNTU, ROCKY, WINDOWS = IMAGES[0][0], IMAGES[1][0], IMAGES[2][0]
UBUNTU_ISO, WINDOWS_ISO, VIRTIO_ISO = IMAGES[3][0], IMAGES[4][0], IMAGES[5][0]

# One line per VM. disks: (size GiB, image the boot disk was cloned from or None, container).
# cdrom: ISO image name, "" for an empty drive, None for no drive. ip: last octet in the subnet.
VMS = [
    {"name": "vm-web-01", "cluster": "ahv-cluster-a", "host": 0, "power": "ON", "sockets": 2, "cores": 2,
     "memory": 8, "disks": [(40, UBUNTU, "default-container")], "subnet": "vlan-prod-100", "ip": 51,
     "categories": [("Environment", "Production"), ("AppType", "Web"), ("Department", "Engineering")],
     "cdrom": "", "guest": "Ubuntu 22.04.4 LTS"},
    {"name": "vm-web-02", "cluster": "ahv-cluster-a", "host": 1, "power": "ON", "sockets": 2, "cores": 2,
     "memory": 8, "disks": [(40, UBUNTU, "default-container")], "subnet": "vlan-prod-100", "ip": 52,
     "categories": [("Environment", "Production"), ("AppType", "Web"), ("Department", "Engineering")],
     "cdrom": "", "guest": "Ubuntu 22.04.4 LTS"},
    {"name": "vm-web-03", "cluster": "ahv-cluster-a", "host": None, "power": "OFF", "sockets": 2, "cores": 2,
     "memory": 8, "disks": [(40, UBUNTU, "default-container")], "subnet": "vlan-prod-100", "ip": 53,
     "categories": [("Environment", "Production"), ("AppType", "Web")], "cdrom": None, "guest": None},
    {"name": "vm-db-01", "cluster": "ahv-cluster-a", "host": 2, "power": "ON", "sockets": 4, "cores": 4,
     "memory": 32, "disks": [(60, ROCKY, "default-container"), (500, None, "prod-data")],
     "subnet": "vlan-prod-100", "ip": 61, "categories": [("Environment", "Production"), ("AppType", "DB")],
     "cdrom": None, "guest": "Rocky Linux 9.3 (Blue Onyx)"},
    {"name": "vm-db-02", "cluster": "ahv-cluster-a", "host": 0, "power": "ON", "sockets": 4, "cores": 4,
     "memory": 32, "disks": [(60, ROCKY, "default-container"), (500, None, "prod-data")],
     "subnet": "vlan-prod-100", "ip": 62, "categories": [("Environment", "Production"), ("AppType", "DB")],
     "cdrom": None, "guest": "Rocky Linux 9.3 (Blue Onyx)"},
    {"name": "vm-cache-01", "cluster": "ahv-cluster-a", "host": 1, "power": "ON", "sockets": 1, "cores": 4,
     "memory": 16, "disks": [(20, UBUNTU, "default-container")], "subnet": "vlan-prod-100", "ip": 71,
     "categories": [("Environment", "Production"), ("AppType", "Cache")], "cdrom": None,
     "guest": "Ubuntu 22.04.4 LTS"},
    {"name": "vm-web-stg-01", "cluster": "ahv-cluster-b", "host": 0, "power": "ON", "sockets": 1, "cores": 2,
     "memory": 4, "disks": [(40, UBUNTU, "default-container")], "subnet": "vlan-dev-200", "ip": 51,
     "categories": [("Environment", "Staging"), ("AppType", "Web")], "cdrom": "", "guest": "Ubuntu 22.04.4 LTS"},
    {"name": "vm-db-stg-01", "cluster": "ahv-cluster-b", "host": None, "power": "OFF", "sockets": 2, "cores": 2,
     "memory": 16, "disks": [(60, ROCKY, "default-container"), (200, None, "prod-data")],
     "subnet": "vlan-dev-200", "ip": 61, "categories": [("Environment", "Staging"), ("AppType", "DB")],
     "cdrom": None, "guest": None},
    {"name": "vm-dev-01", "cluster": "ahv-cluster-b", "host": 1, "power": "ON", "sockets": 1, "cores": 4,
     "memory": 8, "disks": [(80, UBUNTU, "default-container")], "subnet": "vlan-dev-200", "ip": 101,
     "categories": [("Environment", "Dev"), ("Department", "Engineering")], "cdrom": UBUNTU_ISO,
     "guest": "Ubuntu 22.04.4 LTS"},
    {"name": "vm-dev-02", "cluster": "ahv-cluster-b", "host": None, "power": "OFF", "sockets": 1, "cores": 2,
     "memory": 4, "disks": [(20, None, "default-container")], "subnet": "vlan-dev-200", "ip": 102,
     "categories": [("Environment", "Dev")], "cdrom": UBUNTU_ISO, "guest": None},
    {"name": "vm-win-jump-01", "cluster": "ahv-cluster-b", "host": 2, "power": "ON", "sockets": 2, "cores": 2,
     "memory": 16, "disks": [(100, WINDOWS, "default-container")], "subnet": "vlan-dev-200", "ip": 111,
     "categories": [("Environment", "Dev"), ("Department", "Finance")], "cdrom": VIRTIO_ISO, "uefi": True,
     "guest": "Windows Server 2022 Datacenter"},
    {"name": "vm-build-01", "cluster": "ahv-cluster-b", "host": None, "power": "OFF", "sockets": 4, "cores": 2,
     "memory": 24, "disks": [(120, UBUNTU, "default-container"), (250, None, "default-container")],
     "subnet": "vlan-dev-200", "ip": 121, "categories": [("Environment", "Dev"), ("Department", "Engineering")],
     "cdrom": None, "guest": None},
]

# Volume groups: name, cluster, container, disk sizes in GiB, VMs attached directly (AHV/SCSI)
VOLUME_GROUPS = [
    {"name": "vg-oracle-data", "cluster": "ahv-cluster-a", "container": "prod-data", "disks": [250, 250, 100],
     "vms": ["vm-db-01", "vm-db-02"], "description": "Shared Oracle ASM disks for the production DB pair"},
    {"name": "vg-build-cache", "cluster": "ahv-cluster-b", "container": "default-container", "disks": [200],
     "vms": ["vm-build-01"], "description": "Build artefact cache"},
]

ADMIN_PASSWORD = "Nutanix/4u"
SERVICE_ACCOUNT = "svc-automation"
API_KEY_NAME = "ci-pipeline"
# Documented in fixtures/README.md for tests; only its SHA-256 goes into the fixture document.
API_KEY_VALUE = "pcmock-svc-automation-3f9c2a7e5b1d4086a2c4e6f8b0d2f4a6"
