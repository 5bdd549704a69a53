"""Entry point: `python -m openapi_gen --old-root DIR --out DIR [--catalog sdk-catalog.json]`.

Runs inside the venv that holds the newest SDK wheels (see scripts/generate-openapi).
"""
import argparse
import importlib
import json
import pathlib
import re
import sys
from collections import Counter

from . import api_parser, pins
from .document import NamespaceDocument
from .models import ModelReader

MAX_BYTES = 2 * 1024 * 1024


def namespace_info(namespace, reader, models):
    client = pathlib.Path(importlib.import_module(pins.module(namespace)).__file__).parent / "api_client.py"
    text = client.read_text(encoding="utf-8")
    sdk_version = re.search(r'SDK_VERSION = "([^"]+)"', text).group(1)
    minimum = re.search(r'minimum_supported_version = "([^"]+)"', text)
    prefix = f"{namespace}."
    # A few shared sub-modules keep an older $fv (dataprotection.v4.common is v4.r0 in 4.4.2); the
    # namespace's own value is the one most of its models carry. Each model keeps its own x-fv.
    fvs = Counter(m.fv for m in models if m.object_type.startswith(prefix) and m.fv)
    if not fvs:
        raise SystemExit(f"{namespace}: no $fv on its own models")
    return {
        "package": pins.distribution(namespace),
        "sdk_version": pins.NAMESPACES[namespace][0],
        "api_version": sdk_version,
        "fv": fvs.most_common(1)[0][0],
        "min_server_version": minimum.group(1) if minimum else None,
    }


def generate(namespace, old_root):
    version, expected, old_version = pins.NAMESPACES[namespace]
    module = pins.module(namespace)
    reader = ModelReader(module)
    api_dir = pathlib.Path(importlib.import_module(module).__file__).parent / "api"
    operations, unmapped = api_parser.parse_api_dir(api_dir)
    if unmapped:
        raise SystemExit(f"{namespace}: SDK methods without an HTTP call: {unmapped}")
    if len(operations) != expected:
        raise SystemExit(f"{namespace}: mapped {len(operations)} operations, pins.py expects {expected}")
    models = [reader.read(name) for name in reader.model_names()]
    old_operations, old_source = [], None
    if old_version:
        old_operations, _ = api_parser.parse_api_dir(old_root / module / module / "api")
        old_source = f"{pins.distribution(namespace)} {old_version}"
    info = namespace_info(namespace, reader, models)
    return NamespaceDocument(namespace, info, operations, models, reader, old_operations, old_source).build()


def serialize(document):
    # One property per line keeps diffs readable; sorted keys and no timestamps keep it reproducible.
    return json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def cross_check(documents, catalog_path):
    """Compares (namespace, method, path, SDK method, returns-task) with the research catalog."""
    catalog = json.loads(pathlib.Path(catalog_path).read_text(encoding="utf-8"))
    expected = {(o["namespace"], o["http_method"], o["path"], o["operation_id"], o["returns_task"])
                for o in catalog["operations"]}
    ours = set()
    for namespace, document in documents.items():
        for path, methods in document["paths"].items():
            for method, op in methods.items():
                ours.add((namespace, method.upper(), path, op["x-sdk-method"], op["x-returns-task"]))
    missing, extra = sorted(expected - ours), sorted(ours - expected)
    for row in missing:
        print(f"catalog has, we lack: {row}", file=sys.stderr)
    for row in extra:
        print(f"we have, catalog lacks: {row}", file=sys.stderr)
    if missing or extra:
        raise SystemExit("cross-check against the catalog failed")
    print(f"cross-check: {len(ours)} operations match {catalog_path}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--old-root", type=pathlib.Path, required=True)
    parser.add_argument("--out", type=pathlib.Path, required=True)
    parser.add_argument("--catalog")
    parser.add_argument("--only", action="append", help="generate only these namespaces (debugging)")
    args = parser.parse_args()
    documents = {}
    for namespace in sorted(args.only or pins.NAMESPACES):
        documents[namespace] = generate(namespace, args.old_root)
    total = sum(len(m) for d in documents.values() for m in d["paths"].values())
    if not args.only and total != pins.EXPECTED_TOTAL:
        raise SystemExit(f"mapped {total} operations in total, expected {pins.EXPECTED_TOTAL}")
    if args.catalog and not args.only:
        cross_check(documents, args.catalog)
    for namespace, document in documents.items():
        text = serialize(document).encode("utf-8")
        if len(text) > MAX_BYTES:
            raise SystemExit(f"{namespace}.json would be {len(text)} bytes, over {MAX_BYTES}")
        (args.out / f"{namespace}.json").write_bytes(text)
        ops = sum(len(m) for m in document["paths"].values())
        print(f"{namespace}: {ops} operations, {len(document['components']['schemas'])} schemas, "
              f"{len(text)} bytes", file=sys.stderr)
    print(f"total: {total} operations in {len(documents)} namespaces", file=sys.stderr)


if __name__ == "__main__":
    main()
