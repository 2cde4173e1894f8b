#!/usr/bin/env bash
# Mutation testing of generated servers (see fuzz/src/bin/apigen-fuzz-server.rs): mutated requests
# through the server_inputs fixture and the stand-in for SECONDS (default 600), looking for 5xx
# answers and panics. Findings are saved under target/fuzz-server-findings/ and replayed with
# `--seed S --case N`.
#
#   scripts/fuzz_server.sh [SECONDS] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
seed="${2:-$(date +%s)}"
cargo build --release --quiet -p apigen-fuzz --bin apigen-fuzz-server
echo "seed $seed, $seconds s" >&2
exec target/release/apigen-fuzz-server --seconds "$seconds" --seed "$seed"
