"""Strict construction of SDK model objects and their wire JSON.

Every fixture document is an instance of the official SDK model class, serialized by the SDK's own
`ApiClient` serializer, so the keys, `$objectType` and `$reserved.$fv` are exactly what the SDK
emits. The SDK itself validates almost nothing when a model is constructed (sdk-contract.md
section e), so `Models.make` checks each attribute against the model's `swagger_types` first:
an unknown attribute, a wrong primitive type, an enum value the model does not list, a oneOf
member the field does not accept or a missing required attribute stops the generator.
"""
import copy
import datetime
import importlib

PACKAGES = {
    "vmm": "ntnx_vmm_py_client",
    "prism": "ntnx_prism_py_client",
    "clustermgmt": "ntnx_clustermgmt_py_client",
    "networking": "ntnx_networking_py_client",
    "volumes": "ntnx_volumes_py_client",
    "iam": "ntnx_iam_py_client",
}


class FixtureError(Exception):
    """A fixture document that is not what the SDK (or a real Prism Central) would accept."""


class PrismTime(datetime.datetime):
    """A UTC instant that the SDK serializer writes the way Prism Central does (RFC 3339, µs, `Z`)."""

    def isoformat(self, *args, **kwargs):
        return self.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _enum_values(cls):
    return {v for k, v in vars(cls).items() if isinstance(v, str) and k.lstrip("_").isupper()}


class Models:
    """Model factory bound to one SDK package (its models, its `ApiClient`)."""

    def __init__(self, namespace):
        self.package = PACKAGES[namespace]
        root = importlib.import_module(self.package)
        self.client = root.ApiClient(root.Configuration())
        self._required_cache = {}

    def cls(self, type_name):
        try:
            module = importlib.import_module(f"{self.package}.models.{type_name}")
        except ImportError as error:
            raise FixtureError(f"{self.package} has no model {type_name}") from error
        return getattr(module, type_name.split(".")[-1])

    def make(self, type_name, **attributes):
        cls = self.cls(type_name)
        obj = cls()
        for name, value in attributes.items():
            if name not in cls.swagger_types:
                raise FixtureError(f"{type_name} has no attribute {name}")
            self._check(type_name, name, cls.swagger_types[name], value)
            # Through the setter: the SDK validates some fields there (extId must be a UUID).
            try:
                setattr(obj, name, value)
            except ValueError as error:
                raise FixtureError(f"{type_name}.{name} = {value!r}: {error}") from error
        missing = [name for name in self._required(cls) if name not in attributes]
        if missing:
            raise FixtureError(f"{type_name}: required attributes missing: {missing}")
        return obj

    def _required(self, cls):
        """Attributes whose SDK setter refuses None: the spec marks them required."""
        if cls not in self._required_cache:
            required = []
            for name in cls.swagger_types:
                if name.startswith("_"):  # $reserved, $objectType, $unknownFields: the SDK's own
                    continue
                try:
                    setattr(cls(), name, None)
                except ValueError:
                    required.append(name)
            self._required_cache[cls] = required
        return self._required_cache[cls]

    def _check(self, owner, name, declared, value):
        where = f"{owner}.{name}"
        if value is None:
            raise FixtureError(f"{where}: pass nothing rather than None")
        if declared.startswith("list["):
            if not isinstance(value, list):
                raise FixtureError(f"{where}: expected a list, got {value!r}")
            for item in value:
                self._check(owner, name, declared[5:-1], item)
        elif declared.startswith("dict(") or declared == "object":
            if not isinstance(value, dict):
                raise FixtureError(f"{where}: expected an object, got {value!r}")
        elif declared == "str":
            if not isinstance(value, str):
                raise FixtureError(f"{where}: expected a string, got {value!r}")
        elif declared == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise FixtureError(f"{where}: expected an integer, got {value!r}")
        elif declared == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise FixtureError(f"{where}: expected a number, got {value!r}")
        elif declared == "bool":
            if not isinstance(value, bool):
                raise FixtureError(f"{where}: expected a boolean, got {value!r}")
        elif declared == "datetime":
            if not isinstance(value, PrismTime):
                raise FixtureError(f"{where}: expected a PrismTime, got {value!r}")
        elif declared.startswith("OneOf"):
            self._check_one_of(where, declared, value)
        else:
            self._check_model(where, declared, value)

    def _check_one_of(self, where, declared, value):
        accepted = self.cls(declared).discriminator_value_class_map
        members = value if isinstance(value, list) else [value]
        for member in members:
            object_type = getattr(member, "get_object_type", lambda: None)()
            if object_type not in accepted:
                raise FixtureError(f"{where}: {object_type or type(member).__name__} is not one of {sorted(accepted)}")

    def _check_model(self, where, declared, value):
        cls = self.cls(declared)
        if cls.__dict__.get("swagger_types"):
            if not isinstance(value, cls):
                raise FixtureError(f"{where}: expected {declared}, got {type(value).__name__}")
        elif not isinstance(value, str) or value not in _enum_values(cls):
            raise FixtureError(f"{where}: {value!r} is not a value of {declared} {sorted(_enum_values(cls))}")

    def to_wire(self, obj):
        """The JSON the SDK would put on the wire, less its client-side `$unknownFields` bookkeeping."""
        return strip_unknown_fields(self.client._ApiClient__sanitize_for_serialization(obj))

    def from_wire(self, document, type_name):
        # The SDK pops every key it consumes out of the dict it is given.
        return self.client.deserialize(copy.deepcopy(document), type_name)


def strip_unknown_fields(value):
    if isinstance(value, dict):
        return {k: strip_unknown_fields(v) for k, v in value.items() if k != "$unknownFields"}
    if isinstance(value, list):
        return [strip_unknown_fields(v) for v in value]
    return value
