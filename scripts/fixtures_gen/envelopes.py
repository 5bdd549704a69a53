"""Proof that the documents fit the envelopes the mock will send them in.

For each collection, the SDK's own list operation (and its get-by-id operation, when there is one)
is looked up in the generated `api/*.py` by path, and a list envelope and a get envelope holding
the documents are deserialized with the operation's `response_type`. `data` is a oneOf resolved
only by `$objectType` (sdk-contract.md section e), so a document whose type the operation does
not return comes back as a plain dict: that is reported.
"""
import copy
import glob
import importlib
import os
import re

from .sdk import FixtureError

_CALL = re.compile(r"'(/api/[^']+)', 'GET',(?:\s*[^\n]*\n){1,10}?\s*response_type='([^']+)'")


def _operations(models):
    package = importlib.import_module(models.package)
    found = {}
    for path in glob.glob(os.path.join(os.path.dirname(package.__file__), "api", "*.py")):
        with open(path, encoding="utf-8") as handle:
            for api_path, response_type in _CALL.findall(handle.read()):
                found[api_path] = response_type
    return found


def _metadata(count):
    flags = [{"name": name, "value": value, "$objectType": "common.v1.config.Flag", "$reserved": {"$fv": "v1.r0"}}
             for name, value in (("hasError", False), ("isPaginated", True))]
    return {"totalAvailableResults": count, "flags": flags,
            "$objectType": "common.v1.response.ApiResponseMetadata", "$reserved": {"$fv": "v1.r0"}}


def _require_member(models, response_type, member, where):
    """The SDK resolves any `$objectType` of its package, so membership of the oneOf is checked here."""
    data_type = models.cls(response_type).swagger_types["data"]
    if member not in models.cls(data_type).discriminator_value_class_map:
        raise FixtureError(f"{where}: {response_type}.data cannot hold {member}")


def _public(document):
    return {k: v for k, v in copy.deepcopy(document).items() if k != "$pcmock"}


def check_envelopes(collection):
    operations = _operations(collection.models)
    cls = collection.models.cls(collection.object_type)
    items = [_public(d) for d in collection.items]
    for list_path in (collection.list_path, *collection.nested_list_paths):
        response_type = operations.get(list_path)
        if response_type is None:
            raise FixtureError(f"{collection.file_name}: the SDK has no GET {list_path}")
        _require_member(collection.models, response_type, f"List<{collection.object_type}>", collection.file_name)
        envelope = {"data": items, "metadata": _metadata(len(items)), "$reserved": {"$fv": "v4.r0"}}
        response = collection.models.from_wire(envelope, response_type)
        wrong = [type(d).__name__ for d in response.data or [] if not isinstance(d, cls)]
        if wrong or len(response.data or []) != len(items):
            raise FixtureError(f"{collection.file_name}: {response_type} reads the items as {wrong}")
        get_type = operations.get(list_path + "/{extId}")
        if get_type is None:
            continue
        _require_member(collection.models, get_type, collection.object_type, collection.file_name)
        for item in items:
            response = collection.models.from_wire({"data": item, "$reserved": {"$fv": "v4.r0"}}, get_type)
            if not isinstance(response.data, cls):
                raise FixtureError(f"{collection.file_name}[{item['extId']}]: {get_type} reads it as "
                                   f"{type(response.data).__name__}")
