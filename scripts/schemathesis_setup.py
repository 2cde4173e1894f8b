"""What Schemathesis needs to know about one spec to judge its generated mock fairly.

Prints the `--header` arguments that present a credential for each header security scheme (the
mock's router checks only that one is there), one per line; and writes a Schemathesis config that
turns off `status_code_conformance` for each operation that documents no status for a request it
refuses (no 4XX and no `default`): whatever such a server answers a bad request with is
undocumented, so the check says nothing about the mock there. The reason is written beside each
exclusion in the config.

    python scripts/schemathesis_setup.py SPEC CONFIG_OUT
"""

import json
import sys

import yaml

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def main() -> None:
    spec_path, config_path = sys.argv[1], sys.argv[2]
    with open(spec_path, encoding="utf-8") as handle:
        spec = json.load(handle) if spec_path.endswith(".json") else yaml.safe_load(handle)
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    for scheme in schemes.values():
        kind, where = scheme.get("type"), scheme.get("in")
        if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
            print("Authorization: Bearer schemathesis")
        elif kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            print("Authorization: Basic c2NoZW1hdGhlc2lzOnNlY3JldA==")
        elif kind in ("oauth2", "openIdConnect"):
            print("Authorization: Bearer schemathesis")
        elif kind == "apiKey" and where == "header":
            print(f"{scheme['name']}: schemathesis")
    lines = []
    for path, item in (spec.get("paths") or {}).items():
        for method in METHODS:
            operation = (item or {}).get(method)
            if not isinstance(operation, dict):
                continue
            statuses = [str(s).upper() for s in (operation.get("responses") or {})]
            refuses = any(s == "DEFAULT" or s.startswith("4") for s in statuses)
            if not refuses:
                lines += [
                    "[[operations]]",
                    f"include-name = {json.dumps(method.upper() + ' ' + path)}",
                    f"# The spec documents only {', '.join(statuses) or 'no status'} here: no status for a",
                    "# request it refuses, so any refusal is undocumented whatever a server answers.",
                    "checks.status_code_conformance.enabled = false",
                    "",
                ]
    with open(config_path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines))


if __name__ == "__main__":
    main()
