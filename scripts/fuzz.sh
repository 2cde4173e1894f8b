#!/usr/bin/env bash
# Mutation testing of the generator (see fuzz/src/main.rs): mutated specs through loader,
# lowering and emission for SECONDS (default 660), looking for panics and invalid Rust.
# Findings are saved under target/fuzz-findings/ and replayed with `--seed S --case N SPEC...`.
#
#   scripts/fuzz.sh [SECONDS] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-660}"
seed="${2:-$(date +%s)}"
corpus="${APIGEN_CORPUS_DIR:-../shared/corpus}"
cargo build --release --quiet -p apigen-fuzz
seeds=(spec/*.yaml codegen/tests/fixtures/models/*.yaml codegen/tests/fixtures/clients/*.yaml
       codegen/tests/fixtures/broken/*.yaml codegen/tests/fixtures/broken/*.json)
# Every corpus document but api.github.com, whose 3.7 MB would take most of the cases' time.
for spec in "$corpus"/*.yaml "$corpus"/*.json; do
  [[ -f "$spec" && "$(basename "$spec")" != api.github.com.json ]] && seeds+=("$spec")
done
echo "seed $seed, ${#seeds[@]} seed specs, $seconds s" >&2
exec target/release/apigen-fuzz --seconds "$seconds" --seed "$seed" "${seeds[@]}"
