#!/usr/bin/env bash
# Runs the client benchmark (generated client vs hand-written reqwest, same loopback server, one
# run) and prints both medians and their ratio. Target: ratio <= 1.10.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p conformance --bench client -- --noplot "$@"
dir=target/criterion/create_snapshot
python3 - "$dir" <<'PY'
import json, sys
base = sys.argv[1]
def median(name):
    with open(f"{base}/{name}/new/estimates.json") as f:
        return json.load(f)["median"]["point_estimate"]
generated, hand = median("generated_client"), median("hand_written_reqwest")
print(f"generated client     median {generated/1000:8.1f} µs")
print(f"hand-written reqwest median {hand/1000:8.1f} µs")
print(f"ratio generated/hand {generated/hand:8.3f} (target <= 1.10)")
PY
