#!/usr/bin/env bash
# Runs the client benchmark (generated client, the same with one no-op middleware, and hand-written
# reqwest, same loopback server, one run) and prints the medians and ratios. Target: the generated
# call (no middleware installed) within 1.05x of hand-written reqwest.
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
layered = median("generated_client_one_middleware")
print(f"generated client              median {generated/1000:8.1f} µs")
print(f"generated, one no-op middleware median {layered/1000:6.1f} µs")
print(f"hand-written reqwest          median {hand/1000:8.1f} µs")
print(f"ratio generated/hand          {generated/hand:8.3f} (target <= 1.05)")
print(f"one middleware costs          {(layered-generated)/1000:8.2f} µs ({layered/generated:.3f}x)")
PY
