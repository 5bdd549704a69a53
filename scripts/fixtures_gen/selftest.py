"""`generate-fixtures --self-test`: proof that each validation step rejects what it exists to reject.

Every case breaks one thing (a model attribute, a wire document, a reference) and passes only if
the generator refuses it with the expected message. The valid set is checked first, so a case
cannot pass because everything fails.
"""
import copy
import datetime

from .reference_rules import (
    HOSTS, IMAGES, KEYS, POLICIES, RULES, SUBNETS, VM_ATTACHMENTS, VMS, VOLUME_DISKS,
)
from .collection import Collection
from .envelopes import check_envelopes
from .references import References
from .sdk import FixtureError, Models
from .wire_check import check_object_types, check_round_trip

VM = "vmm.v4.ahv.config.Vm"


def _model_cases(vmm):
    disk = "vmm.v4.ahv.config.Disk"
    yield "unknown attribute", "has no attribute", lambda: vmm.make(VM, nmae="x")
    yield "enum value the model lacks", "is not a value of", lambda: vmm.make(VM, power_state="RUNNING")
    yield "string in an integer field", "expected an integer", lambda: vmm.make(VM, num_sockets="2")
    yield "bool in an integer field", "expected an integer", lambda: vmm.make(VM, num_sockets=True)
    yield "naive datetime", "expected a PrismTime", lambda: vmm.make(VM, create_time=datetime.datetime(2026, 1, 1))
    yield "wrong oneOf member", "is not one of", lambda: vmm.make(
        disk, backing_info=vmm.make("vmm.v4.ahv.config.CdRom"))
    yield "wrong nested model", "expected vmm.v4.ahv.config.ClusterReference", lambda: vmm.make(
        VM, cluster=vmm.make("vmm.v4.ahv.config.HostReference"))
    yield "extId that is not a UUID", "ext_id", lambda: vmm.make(VM, ext_id="vm-1")
    yield "model that does not exist", "has no model", lambda: vmm.make("vmm.v4.ahv.config.Vmm")
    yield "required attribute missing", "required attributes missing: ['type']", lambda: vmm.make(
        "vmm.v4.content.Image", name="image-without-type")


def _wire_cases(vmm, valid):
    def mutated(change):
        document = copy.deepcopy(valid)
        change(document)
        return lambda: check_round_trip(vmm, document, VM, "case") or check_object_types(document, "case")

    yield "unknown key", "keys the model does not know", mutated(lambda d: d.update(someFieldFromTheFuture=1))
    yield "integer as a string", "came back as", mutated(lambda d: d.update(numSockets="2"))
    # The newest SDKs keep such a oneOf as a plain dict, so only the $objectType walk notices it.
    yield "oneOf without $objectType", "without $objectType", mutated(
        lambda d: d["disks"][0]["backingInfo"].pop("$objectType"))
    yield "oneOf with a foreign $objectType", "keys the model does not know", mutated(
        lambda d: d["disks"][0]["backingInfo"].update({"$objectType": "vmm.v4.ahv.config.CdRom"}))
    yield "object without $objectType", "keys changed", mutated(lambda d: d["cluster"].pop("$objectType"))
    yield "object without $reserved", "keys changed", mutated(lambda d: d["cluster"].pop("$reserved"))
    yield "bad datetime", "cannot deserialize", mutated(lambda d: d.update(createTime="yesterday"))

    def vm_served_as_images():
        wrong = Collection(vmm, VM, "content/images")
        wrong.items.append(copy.deepcopy(valid))
        check_envelopes(wrong)

    yield "document of a type its list operation does not return", "cannot hold", vm_served_as_images


def _reference_cases():
    def first(file_name):
        return lambda files: files[file_name].items[0]

    def nic(files):
        return files[VMS].items[0]["nics"][0]["nicNetworkInfo"]

    yield "VM on a missing cluster", "cluster", lambda f: first(VMS)(f)["cluster"].update(
        extId="44444444-4444-4444-8444-444444444444")
    yield "VM on a host of another cluster", "host on another cluster", lambda f: first(VMS)(f)["host"].update(
        extId=f[HOSTS].items[-1]["extId"])
    yield "NIC on a subnet of another cluster", "VLAN subnet of another cluster", lambda f: nic(f)["subnet"].update(
        extId=f[SUBNETS].items[1]["extId"])
    yield "NIC IP outside the pool", "outside", lambda f: nic(f)["ipv4Config"]["ipAddress"].update(value="10.100.0.250")
    yield "disk image not on the VM's cluster", "image not on the VM's cluster", lambda f: f[VMS].items[0]["disks"][0][
        "backingInfo"]["dataSource"]["reference"].update(imageExtId=f[IMAGES].items[2]["extId"])
    yield "duplicate MAC address", "MAC address reused", lambda f: f[VMS].items[1]["nics"][0]["backingInfo"].update(
        macAddress=f[VMS].items[0]["nics"][0]["backingInfo"]["macAddress"])
    yield "host with a wrong parent", "parentExtId", lambda f: first(HOSTS)(f)["$pcmock"].update(
        parentExtId=f[HOSTS].items[-1]["cluster"]["uuid"])
    yield "image on a missing cluster", "cluster location", lambda f: first(IMAGES)(f)["clusterLocationExtIds"].append(
        "11111111-1111-4111-8111-111111111111")
    yield "volume disk on a container of another cluster", "another cluster", lambda f: f[VOLUME_DISKS].items[
        -1].update(storageContainerId=f[VOLUME_DISKS].items[0]["storageContainerId"])
    yield "VM attachment without the VM's disk", "vm-attachment", lambda f: first(VM_ATTACHMENTS)(f).update(index=9)
    yield "key of a missing user", "user", lambda f: first(KEYS)(f)["$pcmock"].update(
        parentExtId="22222222-2222-4222-8222-222222222222")
    yield "policy with a missing role", "role", lambda f: first(POLICIES)(f).update(
        role="33333333-3333-4333-8333-333333333333")


def run(collections):
    files = {c.file_name: c for c in collections}
    vmm = Models("vmm")
    valid_vm = files[VMS].items[0]
    check_round_trip(vmm, valid_vm, VM, "valid VM")
    check_object_types(valid_vm, "valid VM")
    References(collections).check(RULES)
    results = []
    for name, expected, action in list(_model_cases(vmm)) + list(_wire_cases(vmm, valid_vm)):
        results.append(_expect_failure(name, expected, action))
    for name, expected, change in _reference_cases():
        saved = {n: copy.deepcopy(c.items) for n, c in files.items()}
        try:
            change(files)
            results.append(_expect_failure(name, expected, lambda: References(collections).check(RULES)))
        finally:
            for n, items in saved.items():
                files[n].items = items
    failed = [r for r in results if r]
    for message in failed:
        print("FAIL " + message)
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def _expect_failure(name, expected, action):
    try:
        action()
    except FixtureError as error:
        return None if expected in str(error) else f"{name}: rejected for another reason: {error}"
    return f"{name}: accepted"

