"""Builds one namespace's OpenAPI 3.0.3 document from parsed operations and models."""
import re

from . import api_parser, docstrings
from .schema import SchemaBuilder

LIST_PARAMS = {"filterable": "$filter", "sortable": "$orderby", "expandable": "$expand", "selectable": "$select"}
TASK_REFERENCE = "prism.v4.config.TaskReference"


def camel_case(snake):
    head, *rest = snake.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _match_key(http_method, path):
    """Ops of two SDK generations are the same when method and path agree, version and names aside."""
    return http_method, re.sub(r"\{[^}]*\}", "{}", api_parser.versionless(path))


def operation_ids(operations):
    """camelCase of the SDK method; a name that several API classes share (vmm's ahv and esxi
    `list_vms`) stays bare on the class with the shortest file name, the others get that class as
    prefix (`esxiVmApi_listVms`), so ids are unique and stable."""
    by_name = {}
    for op in operations:
        by_name.setdefault(op.method_name, []).append(op)
    ids = {}
    for name, ops in by_name.items():
        ops = sorted(ops, key=lambda o: (len(o.api_file), o.api_file))
        for index, op in enumerate(ops):
            bare = camel_case(name)
            ids[id(op)] = bare if index == 0 else f"{op.api_class[:1].lower()}{op.api_class[1:]}_{bare}"
    return ids


class NamespaceDocument:
    def __init__(self, namespace, info, operations, models, reader, old_operations, old_source):
        self.namespace = namespace
        self.info = info
        self.operations = operations
        self.models = {m.name: m for m in models}
        self.builder = SchemaBuilder(set(self.models), reader.one_of)
        self.reader = reader
        self.old = {_match_key(o.http_method, o.path): o for o in old_operations}
        self.old_source = old_source

    def build(self):
        ids = operation_ids(self.operations)
        paths = {}
        for op in self.operations:
            entry = paths.setdefault(op.path, {})
            method = op.http_method.lower()
            if method in entry:
                raise SystemExit(f"{self.namespace}: two operations for {op.http_method} {op.path}")
            entry[method] = self._operation(op, ids[id(op)])
        return {
            "openapi": "3.0.3",
            "info": {
                "title": f"Nutanix {self.namespace} v4 API (from {self.info['package']} {self.info['sdk_version']})",
                "version": self.info["api_version"],
                "x-namespace": self.namespace,
                "x-fv": self.info["fv"],
                "x-sdk-package": self.info["package"],
                "x-sdk-version": self.info["sdk_version"],
                "x-min-server-version": self.info["min_server_version"],
            },
            "paths": paths,
            "components": {"schemas": {name: self._model(m) for name, m in self.models.items()}},
        }

    # -- operations --------------------------------------------------------------------------------

    def _operation(self, op, operation_id):
        data_types = self._response_data_types(op)
        result = {
            "operationId": operation_id,
            "summary": op.summary,
            "tags": [op.api_class],
            "x-sdk-method": op.method_name,
            "x-returns-task": TASK_REFERENCE in data_types,
            "x-response-data-types": data_types,
            "parameters": [self._parameter(p) for p in op.parameters if p.location != "formData"],
            "responses": {"2XX": self._response(op)},
        }
        body = self._request_body(op)
        if body:
            result["requestBody"] = body
        list_items = [t[5:-1] for t in data_types if t.startswith("list[") and t[5:-1] in self.models]
        if list_items:
            result["x-list-item-model"] = list_items[0]
        result.update(self._field_lists(op, list_items[0] if list_items else None))
        return result

    def _parameter(self, p):
        schema = self.builder.build(p.sdk_type)
        return {"name": p.wire_name, "in": p.location, "required": p.location == "path" or p.required,
                "schema": schema, "x-sdk-name": p.python_name}

    def _request_body(self, op):
        form = [p for p in op.parameters if p.location == "formData"]
        if form:
            properties = {p.wire_name: self.builder.build(p.sdk_type) for p in form}
            required = [p.wire_name for p in form if p.required]
            schema = {"type": "object", "properties": properties}
            if required:
                schema["required"] = required
            return {"required": bool(required), "content": {"multipart/form-data": {"schema": schema}}}
        if op.body_type is None:
            return None
        schema = self.builder.build(op.body_type)
        types = op.content_types or ["application/json"]
        return {"required": op.body_required, "content": {t: {"schema": schema} for t in types}}

    def _response(self, op):
        if op.response_type is None:
            return {"description": "no content"}
        # Almost always an envelope model; a few ops (networking's VPN appliance config) return `str`.
        envelope = self.builder.build(op.response_type)
        content = {}
        for media in op.accept or ["application/json"]:
            json_like = media == "application/json"
            content[media] = {"schema": envelope if json_like else {"type": "string", "format": "binary"}}
        return {"description": op.response_type, "content": content}

    def _response_data_types(self, op):
        """Non-error members of the envelope's `data` oneOf, e.g. [prism.v4.config.TaskReference]."""
        model = self.models.get(op.response_type)
        data = next((t for name, t, _, _ in model.properties if name == "data"), None) if model else None
        if data is None:
            return []
        if not data.startswith("OneOf"):
            return [data]
        members = self.reader.one_of(data).members.values()
        return [t for t in members if not t.endswith(".error.ErrorResponse") and t not in ("list[str]",
                                                                                           "dict(str, object)")]

    def _field_lists(self, op, item_model):
        wire = {p.wire_name for p in op.parameters}
        newest = docstrings.field_lists(op.docstring)
        old_op = self.old.get(_match_key(op.http_method, op.path))
        old = docstrings.field_lists(old_op.docstring) if old_op else {}
        result, sources = {}, set()
        for kind, param in LIST_PARAMS.items():
            if param not in wire:
                continue
            if kind in newest:
                result[f"x-{kind}"] = newest[kind]
                sources.add(f"{self.info['package']} {self.info['sdk_version']} docstring")
            elif kind in old:
                result[f"x-{kind}"] = old[kind]
                sources.add(f"{self.old_source} docstring")
            elif kind == "selectable" and item_model:
                result[f"x-{kind}"] = [name for name, _, _, _ in self.models[item_model].properties]
                result["x-selectable-source"] = f"derived: top-level properties of {item_model}"
        if sources:
            result["x-field-list-source"] = " + ".join(sorted(sources))
        return result

    # -- models ------------------------------------------------------------------------------------

    def _model(self, model):
        schema = {"x-object-type": model.object_type, "x-fv": model.fv}
        if model.kind == "enum":
            schema.update(type="string", enum=model.enum_values)
            return schema
        schema["type"] = "object"
        schema["properties"] = {
            name: self.builder.property(sdk_type, rules, read_only)
            for name, sdk_type, rules, read_only in model.properties
        }
        if model.required:
            schema["required"] = model.required
        return schema
