#!/usr/bin/env bash
# The vendors' own SDKs against the stand-in (scripts/vendor_sdks.py): installs the pinned Python
# packages into a virtual environment under target/ (kept between runs), starts the stand-in on a
# free loopback port with an accepted token and AK/SK pair, runs the SDKs, and stops it.
#
#   scripts/vendor_sdks.sh
set -euo pipefail
cd "$(dirname "$0")/.."

packages=("huaweicloudsdkevs==3.1.219" "huaweicloudsdkdws==3.1.219" "openstacksdk==4.22.0" "python-cinderclient==9.10.0")
venv="target/vendor-sdks-venv"
stamp="$venv/.installed"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "${packages[*]}" ]]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${packages[@]}"
  echo "${packages[*]}" > "$stamp"
fi

cargo build --quiet -p snapshot-standin
export STANDIN_AK="STANDINAK0000000001" STANDIN_SK="stand-in-secret-key"
export STANDIN_PROJECT="89cd04f168b84af6be287f71730fdb4b" STANDIN_TOKEN="stand-in-token"
out=$(mktemp)
target/debug/snapshot-standin --listen 127.0.0.1:0 --db :memory: --token "$STANDIN_TOKEN" \
  --ak "$STANDIN_AK" --sk "$STANDIN_SK" --project-id "$STANDIN_PROJECT" > "$out" 2> "$out.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$out" "$out.log"' EXIT
for _ in $(seq 100); do
  [[ -s "$out" ]] && break
  sleep 0.1
done
address=$(head -n 1 "$out")
[[ -n "$address" ]] || { echo "the stand-in did not start:"; cat "$out.log"; exit 1; }
export STANDIN_URL="http://$address"
echo "stand-in at $STANDIN_URL"
if ! "$venv/bin/python" scripts/vendor_sdks.py; then
  echo "--- the stand-in's log:"; tail -n 30 "$out.log"
  exit 1
fi
