#!/usr/bin/env bash
# Runs the server benchmark (one documented DWS create through the generated server, and through
# the same handler written by hand with axum, in-process, one run) and prints the medians and
# their ratio. Target: the generated server within 1.10x of hand-written axum.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each order once (the side that runs first gains a few percent on a shared machine); the
# medians of the two runs are averaged.
dir=target/criterion/create_snapshot_server
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
for order in forward reverse; do
  BENCH_ORDER=$order cargo bench -p conformance --bench server -- --noplot "$@"
  for side in generated_server hand_written_axum; do
    cp "$dir/$side/new/estimates.json" "$results/$side.$order.json"
  done
done
python3 - "$results" <<'PY'
import json, sys
base = sys.argv[1]
def median(name):
    runs = []
    for order in ("forward", "reverse"):
        with open(f"{base}/{name}.{order}.json") as f:
            runs.append(json.load(f)["median"]["point_estimate"])
    return sum(runs) / len(runs), runs
(generated, g), (hand, h) = median("generated_server"), median("hand_written_axum")
us = lambda runs: " / ".join(f"{r/1000:.2f}" for r in runs)
print(f"generated server      {generated/1000:7.2f} µs  (forward / reverse: {us(g)})")
print(f"hand-written axum     {hand/1000:7.2f} µs  ({us(h)})")
print(f"ratio generated/hand  {generated/hand:7.3f}     (target <= 1.10)")
PY
