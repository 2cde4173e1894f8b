#!/usr/bin/env bash
# Generates every corpus spec the generator reads (api.github.com included) into a temporary
# workspace and runs `cargo clippy` on it with warnings denied. CI runs the same test without api.github.com.
set -euo pipefail
cd "$(dirname "$0")/.."
APIGEN_CORPUS=all cargo test -p apigen-codegen --test corpus -- --nocapture
