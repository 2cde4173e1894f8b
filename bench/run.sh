#!/usr/bin/env bash
# Generation speed, memory and output size, ours vs progenitor, on every corpus spec; and
# `cargo check` of both generated nexus crates. Prints Markdown tables with ratios (ours / peer).
#
#   bench/run.sh [--runs N] [--specs FILE...] [--no-check]
#
# cargo-progenitor 0.15.1 is installed from crates.io into a temporary directory (or
# $PROGENITOR_ROOT, kept between runs when set). Our generator is the release build of xtask.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${APIGEN_CORPUS_DIR:-../shared/corpus}"
root="${PROGENITOR_ROOT:-}"
if [[ -z "$root" ]]; then
  root="$(mktemp -d -t progenitor-XXXXXX)"
  trap 'rm -rf "$root"' EXIT
fi
if [[ ! -x "$root/bin/cargo-progenitor" ]]; then
  echo "installing cargo-progenitor 0.15.1 into $root ..." >&2
  cargo install cargo-progenitor --version 0.15.1 --locked --root "$root" --quiet
fi
cargo build --release --quiet -p xtask
python3 bench/compare.py --xtask target/release/xtask --progenitor "$root/bin/cargo-progenitor" \
  --corpus "$corpus" "$@"
