#!/usr/bin/env python3
"""Validate every spec under spec/ and every example inside it against its own schema.

Independent of our generator: uses openapi-spec-validator for the documents and
openapi-schema-validator (OAS 3.0 dialect, `nullable` included) for the examples, so a spec
mistake cannot hide behind a generator mistake. Exits non-zero on the first bad file, after
reporting every problem in it.
"""
import sys
from pathlib import Path

import yaml
from openapi_spec_validator import validate
from openapi_schema_validator import OAS30Validator

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def resolve(doc, node):
    """Follow a local `$ref` (used for responses, request bodies and examples)."""
    while isinstance(node, dict) and "$ref" in node:
        pointer = node["$ref"]
        assert pointer.startswith("#/"), f"only local references are used in spec/: {pointer}"
        node = doc
        for part in pointer[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def media_examples(doc):
    """Yield (json pointer, schema, example value) for every media-type example in the document."""
    for path, item in doc.get("paths", {}).items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if not op:
                continue
            base = f"/paths/{path.replace('~', '~0').replace('/', '~1')}/{method}"
            places = []
            if "requestBody" in op:
                places.append((f"{base}/requestBody", resolve(doc, op["requestBody"])))
            for status, response in op.get("responses", {}).items():
                places.append((f"{base}/responses/{status}", resolve(doc, response)))
            for where, holder in places:
                for media, content in holder.get("content", {}).items():
                    schema = content.get("schema")
                    if "example" in content:
                        yield f"{where}/content/{media}/example", schema, content["example"]
                    for name, example in content.get("examples", {}).items():
                        example = resolve(doc, example)
                        yield f"{where}/content/{media}/examples/{name}", schema, example.get("value")


def check(path: Path) -> list[str]:
    doc = yaml.safe_load(path.read_text())
    problems = []
    try:
        validate(doc)
    except Exception as exc:  # the validator raises several exception types
        problems.append(f"{path}: not a valid OpenAPI document: {exc}")
    count = 0
    for pointer, schema, value in media_examples(doc):
        count += 1
        if schema is None:
            problems.append(f"{path}#{pointer}: example has no schema to validate against")
            continue
        # `#/components/...` references resolve against the schema's root, so give it the components.
        rooted = dict(schema, components=doc.get("components", {}))
        validator = OAS30Validator(rooted)
        for error in validator.iter_errors(value):
            at = "/" + "/".join(str(p) for p in error.absolute_path)
            problems.append(f"{path}#{pointer}: example value at {at}: {error.message}")
    if count == 0:
        problems.append(f"{path}: no examples found")
    print(f"{path}: {count} examples checked")
    return problems


def main(argv):
    files = [Path(a) for a in argv[1:]] or sorted(Path("spec").glob("*.yaml"))
    problems = [p for f in files for p in check(f)]
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
