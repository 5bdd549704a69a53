"""Proof that each wire document survives a trip through the SDK's own deserializer.

`ApiClient.deserialize` resolves oneOf fields by `$objectType`, coerces primitives and files any
key it does not know under `$unknownFields`; re-serializing the result and comparing it with the
original therefore catches dropped keys, unknown keys, mistyped values and missing or wrong
`$objectType`s. The strictest SDK generation (G1, iam 4.0.1) crashes instead of degrading, which
is reported the same way (sdk-contract.md section e).
"""
import dateutil.parser

from .sdk import FixtureError, strip_unknown_fields


def check_round_trip(models, document, type_name, where):
    try:
        model = models.from_wire(document, type_name)
    except Exception as error:  # the SDK raises KeyError/AttributeError/ApiException alike
        raise FixtureError(f"{where}: the SDK cannot deserialize it as {type_name}: {error!r}") from error
    if type(model).__name__ != type_name.split(".")[-1]:
        raise FixtureError(f"{where}: deserialized as {type(model).__name__}, not {type_name}")
    raw = models.client._ApiClient__sanitize_for_serialization(model)
    unknown = list(_unknown_fields(raw, "$"))
    if unknown:
        raise FixtureError(f"{where}: keys the model does not know: {unknown}")
    _compare(document, strip_unknown_fields(raw), where)


def check_object_types(value, where):
    """Every JSON object of a document carries `$objectType` (DESIGN.md, the wire contract)."""
    if isinstance(value, dict):
        if "$objectType" not in value:
            raise FixtureError(f"{where}: object without $objectType: {sorted(value)}")
        if not isinstance(value.get("$reserved"), dict) or "$fv" not in value["$reserved"]:
            raise FixtureError(f"{where}: object without $reserved.$fv: {sorted(value)}")
        for key, item in value.items():
            if key not in ("$reserved", "identityFilter", "entityFilter"):
                check_object_types(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_object_types(item, f"{where}[{index}]")


def _unknown_fields(value, path):
    if isinstance(value, dict):
        if value.get("$unknownFields"):
            yield f"{path}: {sorted(value['$unknownFields'])}"
        for key, item in value.items():
            if key != "$unknownFields":
                yield from _unknown_fields(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unknown_fields(item, f"{path}[{index}]")


def _compare(expected, actual, where):
    if isinstance(expected, dict) and isinstance(actual, dict):
        if set(expected) != set(actual):
            raise FixtureError(f"{where}: keys changed in the round trip: {sorted(set(expected) ^ set(actual))}")
        for key in expected:
            _compare(expected[key], actual[key], f"{where}.{key}")
    elif isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            raise FixtureError(f"{where}: list length changed in the round trip")
        for index, (left, right) in enumerate(zip(expected, actual)):
            _compare(left, right, f"{where}[{index}]")
    elif expected != actual or type(expected) is not type(actual):
        # The SDK reads datetimes with dateutil and writes them back with isoformat().
        if isinstance(expected, str) and isinstance(actual, str) and _same_instant(expected, actual):
            return
        raise FixtureError(f"{where}: {expected!r} came back as {actual!r}")


def _same_instant(left, right):
    try:
        return dateutil.parser.isoparse(left) == dateutil.parser.isoparse(right)
    except ValueError:
        return False
