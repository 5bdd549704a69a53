"""Turns an SDK type string into an OpenAPI 3.0.3 schema.

SDK type grammar (swagger-codegen Python): `str`, `int`, `float`, `bool`, `datetime`, `date`,
`object`, `file`, `Path`, `list[T]`, `dict(str, T)`, a dotted model name, or `OneOf<dotted>` for a oneOf
wrapper. swagger-codegen maps int32 and int64 alike to `int`, so integers carry no format.
"""
import re

UUID_PATTERN = "^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$"

PRIMITIVES = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "object": {},
    "file": {"type": "string", "format": "binary"},
    "Path": {"type": "string", "format": "binary"},  # a downloaded file (octet-stream responses)
    "bytearray": {"type": "string", "format": "byte"},
}

_LIST = re.compile(r"^list\[(.*)\]$")
_DICT = re.compile(r"^dict\(str, (.*)\)$")


def ref(model_name):
    return {"$ref": f"#/components/schemas/{model_name}"}


class SchemaBuilder:
    """`known` is the set of model names in the package; `one_of` resolves a OneOf wrapper."""

    def __init__(self, known, one_of):
        self.known = known
        self.one_of = one_of

    def build(self, sdk_type):
        if sdk_type in PRIMITIVES:
            return dict(PRIMITIVES[sdk_type])
        if match := _LIST.match(sdk_type):
            return {"type": "array", "items": self.build(match.group(1))}
        if match := _DICT.match(sdk_type):
            return {"type": "object", "additionalProperties": self.build(match.group(1))}
        if sdk_type.startswith("OneOf"):
            return self._one_of(sdk_type)
        if sdk_type in self.known:
            return ref(sdk_type)
        raise SystemExit(f"unmappable SDK type {sdk_type!r}")

    def _one_of(self, sdk_type):
        wrapper = self.one_of(sdk_type)
        # Members sorted by discriminator, the same order as the (sorted-keys) `x-one-of` map.
        discriminators = sorted(wrapper.members)
        members = [self.build(wrapper.members[d]) for d in discriminators]
        mapping = {d: s["$ref"] for d, s in zip(discriminators, members) if "$ref" in s}
        schema = {"oneOf": members, "x-one-of": dict(wrapper.members)}
        if mapping:
            schema["discriminator"] = {"propertyName": "$objectType", "mapping": mapping}
        if wrapper.item_discriminator:
            schema["x-item-discriminator"] = wrapper.item_discriminator
        return schema

    def property(self, sdk_type, rules, read_only):
        schema = self.build(sdk_type)
        rules = dict(rules)
        if rules.get("pattern") == UUID_PATTERN and schema.get("type") == "string":
            rules.pop("pattern")
            schema["format"] = "uuid"
        if "$ref" in schema and (rules or read_only):
            schema = {"allOf": [schema]}  # OpenAPI 3.0 ignores siblings of $ref
        schema.update(rules)
        if read_only:
            schema["readOnly"] = True
        return schema
