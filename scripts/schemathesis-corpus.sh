#!/usr/bin/env bash
# Schemathesis against the generated mock of corpus specs: each spec in ../shared/corpus is
# generated (`cargo xtask generate --spec --out`), its `NAME-mock` built and started on a free
# loopback port, and Schemathesis run with every check and a fixed seed. Every failure it reports
# is a generator defect (the mock is the spec's own router and documented answers). Prints a table:
# spec, operations, requests, failures; exits non-zero when any spec has a failure.
#
#   scripts/schemathesis-corpus.sh                          # every visible corpus spec, 60 s each
#   SCHEMATHESIS_SECONDS=20 scripts/schemathesis-corpus.sh petstore.yaml uspto.yaml
set -euo pipefail
cd "$(dirname "$0")/.."

version="4.32.5"
seconds="${SCHEMATHESIS_SECONDS:-60}"
seed="${SCHEMATHESIS_SEED:-20261203}"
corpus="../shared/corpus"
specs=("$@")
if [[ ${#specs[@]} -eq 0 ]]; then
  for path in "$corpus"/*.yaml "$corpus"/*.json; do specs+=("$(basename "$path")"); done
fi

venv="target/schemathesis-venv"
stamp="$venv/.installed"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$version" ]]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
  echo "$version" > "$stamp"
fi

cargo build --quiet --profile xtask -p xtask
out="target/corpus-mocks"
target="$PWD/target/corpus-check"
mkdir -p "$out"
# The generated crates are a workspace of their own, not members of this one.
printf '[workspace]\nresolver = "3"\nmembers = ["*-models", "*-client", "*-server", "*-cli"]\n' > "$out/Cargo.toml"
cp Cargo.lock "$out/Cargo.lock"
rows=()
failed=0
pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; true' EXIT
for spec in "${specs[@]}"; do
  name=$(basename "$spec"); name="${name%.*}"; name=$(echo "$name" | tr '.A-Z_' '-a-z-')
  echo "==> $spec"
  target/xtask/xtask generate --spec "$corpus/$spec" --out "$out" --name "$name" > /dev/null
  CARGO_TARGET_DIR="$target" cargo build --quiet --manifest-path "$out/Cargo.toml" -p "$name-server" --bin "$name-mock"
  log=$(mktemp)
  "$target/debug/$name-mock" --listen 127.0.0.1:0 > "$log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do [[ -s "$log" ]] && break; sleep 0.1; done
  address=$(head -n 1 "$log")
  report=$(mktemp)
  config=$(mktemp)
  # A credential for each header scheme (the router checks only that one is there), and the
  # operations whose spec documents no refusal status, for which status conformance says nothing.
  mapfile -t headers < <("$venv/bin/python" scripts/schemathesis_setup.py "$corpus/$spec" "$config")
  header_args=()
  for header in "${headers[@]}"; do header_args+=(--header "$header"); done
  # Every check (Schemathesis's default) but the two that test a service's memory: a mock keeps no
  # state, so what a POST creates is not kept and what a DELETE removes is still answered.
  if "$venv/bin/schemathesis" --config-file "$config" run "$corpus/$spec" --url "http://$address" \
      "${header_args[@]}" --seed "$seed" --max-time "$seconds" --no-color \
      --exclude-checks use_after_free,ensure_resource_availability > "$report" 2>&1; then
    status=0
  else
    status=1
  fi
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""
  operations=$(grep -oE 'Tested: [0-9]+' "$report" | head -n 1 | grep -oE '[0-9]+' || echo 0)
  requests=$(grep -oE '[0-9]+ generated' "$report" | head -n 1 | grep -oE '[0-9]+' || echo 0)
  failures=$(grep -oE '[0-9]+ (unique )?failures?' "$report" | tail -n 1 | grep -oE '^[0-9]+' || echo 0)
  if [[ $status -ne 0 ]]; then
    failed=1
    [[ "$failures" == "0" ]] && failures="error"
    tail -n 60 "$report"
  fi
  rows+=("| $spec | $operations | $requests | $failures |")
  rm -f "$log" "$report" "$config"
done

echo
echo "Schemathesis $version against each spec's generated mock (seed $seed, ${seconds} s a spec):"
echo
echo "| spec | operations | requests | failures |"
echo "| --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
exit $failed
