#!/usr/bin/env bash
# Runs the client benchmark (generated client, the same with one no-op middleware, and hand-written
# reqwest, same loopback server, one run) and prints the medians and ratios. Target: the generated
# call (no middleware installed) within 1.05x of hand-written reqwest.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each order once (the side that runs first gains a few percent on a shared machine); the
# medians of the two runs are averaged.
dir=target/criterion/create_snapshot
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
for order in forward reverse; do
  BENCH_ORDER=$order cargo bench -p conformance --bench client -- --noplot "$@"
  for side in generated_client hand_written_reqwest generated_client_one_middleware; do
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
(generated, g), (hand, h) = median("generated_client"), median("hand_written_reqwest")
layered, l = median("generated_client_one_middleware")
us = lambda runs: " / ".join(f"{r/1000:.1f}" for r in runs)
print(f"generated client                 {generated/1000:7.1f} µs  (forward / reverse: {us(g)})")
print(f"generated, one no-op middleware  {layered/1000:7.1f} µs  ({us(l)})")
print(f"hand-written reqwest             {hand/1000:7.1f} µs  ({us(h)})")
print(f"ratio generated/hand             {generated/hand:7.3f}     (target <= 1.05)")
print(f"one middleware costs             {(layered-generated)/1000:7.2f} µs ({layered/generated:.3f}x)")
PY
