"""Reads the generated model classes of one installed SDK package (imported from the venv).

A model class has `swagger_types` (python attribute -> SDK type) and `attribute_map` (python
attribute -> JSON name); an enum class has only string constants; a `OneOf...` class maps each
`$objectType` discriminator to a member type. `$objectType` and `$fv` are what the class's
`_initialize_object_type()` / `_initialize_object_version()` return. Constraints (required, length,
range, pattern) exist only as `raise ValueError("Invalid value for `x`, ...")` lines in setters,
so they are read from the source text.
"""
import importlib
import inspect
import pathlib
import re
from dataclasses import dataclass, field

BOOKKEEPING = {"_reserved", "_object_type", "_unknown_fields"}
# Fields a model inherits from these bases are assigned by the server (extId, links, tenantId).
READ_ONLY_BASES = {"ExternalizableAbstractModel", "TenantAwareModel"}

_RULES = {
    "required": re.compile(r"Invalid value for `(\w+)`, must not be `None`"),
    "maxLength": re.compile(r"Invalid value for `(\w+)`, length must be less than or equal to `(\d+)`"),
    "minLength": re.compile(r"Invalid value for `(\w+)`, length must be greater than or equal to `(\d+)`"),
    "maximum": re.compile(r"Invalid value for `(\w+)`, must be a value less than or equal to `(-?[\d.]+)`"),
    "minimum": re.compile(r"Invalid value for `(\w+)`, must be a value greater than or equal to `(-?[\d.]+)`"),
    "maxItems": re.compile(r"Invalid value for `(\w+)`, number of items must be less than or equal to `(\d+)`"),
    "minItems": re.compile(r"Invalid value for `(\w+)`, number of items must be greater than or equal to `(\d+)`"),
    "pattern": re.compile(r"Invalid value for `(\w+)`, must be a follow pattern or equal to `/(.*?)/`\"\)"),
}


@dataclass
class Model:
    name: str  # the SDK's dotted name, e.g. vmm.v4.ahv.config.Vm
    object_type: str
    fv: str
    kind: str  # object | enum
    properties: list = field(default_factory=list)  # (json name, sdk type, constraints dict, read only)
    required: list = field(default_factory=list)
    enum_values: list = field(default_factory=list)
    description: str = ""


@dataclass
class OneOf:
    members: dict  # discriminator -> sdk type, in SDK order
    item_discriminator: str | None


def _number(text):
    return float(text) if "." in text else int(text)


def _constraints(source):
    found = {}
    for rule, regex in _RULES.items():
        for match in regex.finditer(source):
            attr = match.group(1)
            value = True if rule == "required" else match.group(2)
            if rule not in ("required", "pattern"):
                value = _number(value)
            found.setdefault(attr, {})[rule] = value
    return found


class ModelReader:
    def __init__(self, module_name):
        self.module_name = module_name
        self.package = importlib.import_module(f"{module_name}.models")
        self.root = pathlib.Path(self.package.__file__).parent
        self._source_cache = {}

    def model_names(self):
        """Dotted names of every model and enum file, OneOf wrappers excluded, sorted."""
        names = []
        for path in self.root.rglob("*.py"):
            rel = path.relative_to(self.root).with_suffix("")
            if path.name == "__init__.py" or rel.parts[0].startswith("OneOf"):
                continue
            names.append(".".join(rel.parts))
        return sorted(names)

    def _class(self, dotted):
        module = importlib.import_module(f"{self.module_name}.models.{dotted}")
        return getattr(module, dotted.rsplit(".", 1)[-1])

    def _source(self, cls):
        key = cls.__module__
        if key not in self._source_cache:
            self._source_cache[key] = inspect.getsource(inspect.getmodule(cls))
        return self._source_cache[key]

    def read(self, dotted):
        cls = self._class(dotted)
        object_type = cls._initialize_object_type(None)
        fv = cls._initialize_object_version(None)
        description = (inspect.getdoc(cls) or "").split("\n")[0].strip()
        types = getattr(cls, "swagger_types", None)
        if types is None:
            types = getattr(cls, "openapi_types", None)
        if types is None:
            values = [v for k, v in vars(cls).items() if not k.startswith("__") and isinstance(v, str)]
            return Model(dotted, object_type, fv, "enum", enum_values=values, description=description)
        return self._object_model(cls, dotted, object_type, fv, types, description)

    def _object_model(self, cls, dotted, object_type, fv, types, description):
        constraints, read_only = {}, set()
        for base in reversed(cls.__mro__):
            if getattr(base, "swagger_types", None) is None and getattr(base, "openapi_types", None) is None:
                continue
            for attr, found in _constraints(self._source(base)).items():
                constraints.setdefault(attr, {}).update(found)
            if base.__name__ in READ_ONLY_BASES:
                read_only.update(getattr(base, "swagger_types", None) or getattr(base, "openapi_types", {}))
        defaults = self._defaults(cls)
        model = Model(dotted, object_type, fv, "object", description=description)
        for attr, sdk_type in types.items():
            if attr in BOOKKEEPING:
                continue
            json_name = cls.attribute_map[attr]
            rules = dict(constraints.get(attr, {}))
            if rules.pop("required", False):
                model.required.append(json_name)
            if attr in defaults:
                rules["default"] = defaults[attr]
            model.properties.append((json_name, sdk_type, rules, attr in read_only))
        return model

    @staticmethod
    def _defaults(cls):
        try:
            signature = inspect.signature(cls.__init__)
        except (TypeError, ValueError):
            return {}
        return {
            name: p.default for name, p in signature.parameters.items()
            if isinstance(p.default, (str, int, float, bool)) and p.default is not None
        }

    def one_of(self, sdk_type):
        """`OneOfvmm.v4.ahv.config.Vmboot_config` -> its discriminator map."""
        cls = self._class(sdk_type)
        return OneOf(dict(cls.discriminator_value_class_map), getattr(cls, "ONE_OF_ITEM_DISCRIMINATOR_NAME", None))
