"""Reads operations out of the generated `<module>/api/*_api.py` files with `ast`.

Each public method of an `*Api` class is one operation: its `_call_api(path, method, ...)` call
gives the path template and HTTP method, `response_type=` the envelope model, and the
`path_params[...]`, `query_params.append(...)`, `header_params[...]` and `form_params.append(...)`
statements the wire names of its parameters. Types and descriptions only exist in the docstring.
"""
import ast
import pathlib
import re
from dataclasses import dataclass, field

from . import docstrings

STANDARD_HEADERS = {"Accept", "Content-Type"}


@dataclass
class Parameter:
    wire_name: str
    location: str  # path | query | header | formData
    python_name: str
    required: bool
    sdk_type: str


@dataclass
class Operation:
    api_class: str
    api_file: str
    method_name: str
    http_method: str
    path: str
    response_type: str | None
    summary: str
    parameters: list = field(default_factory=list)
    body_type: str | None = None
    body_required: bool = False
    content_types: list = field(default_factory=list)
    accept: list = field(default_factory=list)
    docstring: str = ""


def _constant(node):
    return node.value if isinstance(node, ast.Constant) else None


def _params_key(node):
    """The python name in a `params['name']` subscript somewhere inside `node`."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Name) and sub.value.id == "params":
            key = _constant(sub.slice)
            if isinstance(key, str):
                return key
    return None


def _string_list(node):
    if isinstance(node, ast.List):
        return [_constant(e) for e in node.elts if isinstance(_constant(e), str)]
    return []


class _BodyVisitor(ast.NodeVisitor):
    """Collects what one API method's body sends on the wire."""

    def __init__(self):
        self.call = None
        self.wire = []  # (location, wire name, python name) in source order
        self.accept = []
        self.content_types = []
        self.body_param = None  # python name behind `body_params = params[...]`

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr == "_call_api" and self.call is None:
                self.call = node
            elif func.attr == "_select_header_accept" and node.args:
                self.accept = _string_list(node.args[0])
            elif func.attr == "_select_header_content_type" and node.args:
                self.content_types = _string_list(node.args[0])
            elif func.attr == "append" and isinstance(func.value, ast.Name) and node.args:
                target = {"query_params": "query", "form_params": "formData"}.get(func.value.id)
                pair = node.args[0]
                if target and isinstance(pair, ast.Tuple) and len(pair.elts) == 2:
                    self.wire.append((target, _constant(pair.elts[0]), _params_key(pair.elts[1])))
        self.generic_visit(node)

    def visit_Assign(self, node):
        for target in node.targets:
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                key = _constant(target.slice)
                name = target.value.id
                if name == "path_params" and isinstance(key, str):
                    self.wire.append(("path", key, _params_key(node.value)))
                elif name == "header_params" and isinstance(key, str) and key not in STANDARD_HEADERS:
                    # Headers computed from an upload (Content-Length, Content-Disposition) are not
                    # parameters: only `header_params[H] = params[p]` is.
                    if _params_key(node.value) is not None:
                        self.wire.append(("header", key, _params_key(node.value)))
                elif name == "local_var_files" and isinstance(key, str):
                    self.wire.append(("formData", key, _params_key(node.value)))
            elif isinstance(target, ast.Name) and target.id == "body_params" and self.body_param is None:
                self.body_param = _params_key(node.value)
        self.generic_visit(node)


def _required_names(func):
    args = func.args.args[1:]  # drop self
    without_default = len(args) - len(func.args.defaults)
    return {a.arg for a in args[:without_default]}


def _operation(api_class, api_file, func):
    visitor = _BodyVisitor()
    visitor.visit(func)
    if visitor.call is None or len(visitor.call.args) < 2:
        return None
    path, http_method = _constant(visitor.call.args[0]), _constant(visitor.call.args[1])
    response_type = next((_constant(k.value) for k in visitor.call.keywords if k.arg == "response_type"), None)
    doc = ast.get_docstring(func, clean=False) or ""
    required = _required_names(func)
    types = docstrings.param_types(doc)
    op = Operation(
        api_class=api_class, api_file=api_file, method_name=func.name, http_method=http_method, path=path,
        response_type=response_type, summary=doc.strip().splitlines()[0].strip() if doc.strip() else "",
        accept=visitor.accept, content_types=visitor.content_types, docstring=doc,
    )
    for location, wire_name, python_name in visitor.wire:
        if wire_name is None or python_name is None:
            raise SystemExit(f"{api_file}:{func.name}: unreadable {location} parameter")
        op.parameters.append(Parameter(wire_name, location, python_name, python_name in required,
                                       types.get(python_name, "str")))
    if visitor.body_param is not None:
        # An upload (`path: pathlib.Path`) sends the file's bytes as the body.
        op.body_type = types.get(visitor.body_param)
        op.body_required = visitor.body_param in required
    return op


def parse_api_dir(api_dir):
    """All operations of one package, in a stable order (file name, then source order)."""
    operations, unmapped = [], []
    for path in sorted(pathlib.Path(api_dir).glob("*_api.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name.endswith("Api")):
            for func in cls.body:
                if not isinstance(func, ast.FunctionDef) or func.name.startswith("_"):
                    continue
                op = _operation(cls.name, f"api/{path.name}", func)
                if op is None:
                    unmapped.append(f"{path.name}:{cls.name}.{func.name}")
                else:
                    operations.append(op)
    return operations, unmapped


_VERSION_SEGMENT = re.compile(r"/v\d+\.\d+(?:\.[ab]\d+)?/")


def versionless(path):
    """`/api/vmm/v4.3/ahv/config/vms` -> `/api/vmm/{version}/ahv/config/vms` (any v4.x is the same op)."""
    return _VERSION_SEGMENT.sub("/{version}/", path, count=1)
