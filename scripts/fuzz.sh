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
seeds=(spec/*.yaml codegen/tests/fixtures/models/*.yaml codegen/tests/fixtures/clients/*.yaml)
for spec in petstore.yaml petstore-expanded.yaml uspto.yaml keeper.json buildomat.json propolis-server.json \
            nexus.json openstack-placement-v1.yaml; do
  [[ -f "$corpus/$spec" ]] && seeds+=("$corpus/$spec")
done
echo "seed $seed, ${#seeds[@]} seed specs, $seconds s" >&2
exec target/release/apigen-fuzz --seconds "$seconds" --seed "$seed" "${seeds[@]}"
