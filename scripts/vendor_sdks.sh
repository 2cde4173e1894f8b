#!/usr/bin/env bash
# The vendors' own SDKs against the stand-in (scripts/vendor_sdks.py): installs the pinned Python
# packages into a virtual environment under target/ (kept between runs), starts the stand-in on a
# free loopback port with an accepted token and AK/SK pair, runs the SDKs, and stops it.
#
#   scripts/vendor_sdks.sh
set -euo pipefail
cd "$(dirname "$0")/.."

packages=("huaweicloudsdkevs==3.1.219" "huaweicloudsdkdws==3.1.219" "openstacksdk==4.22.0" "python-cinderclient==9.10.0" "python-openstackclient==10.5.0")
venv="target/vendor-sdks-venv"
stamp="$venv/.installed"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "${packages[*]}" ]]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${packages[@]}"
  echo "${packages[*]}" > "$stamp"
fi

cargo build --quiet -p snapshot-standin -p snapctl
export STANDIN_AK="STANDINAK0000000001" STANDIN_SK="stand-in-secret-key"
export STANDIN_PROJECT="89cd04f168b84af6be287f71730fdb4b" STANDIN_TOKEN="stand-in-token"
export STANDIN_USER="demo" STANDIN_PASSWORD="stand-in-password"
export SNAPCTL="$PWD/target/debug/snapctl"
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

# Starts a stand-in with the given extra flags; prints its address.
start_standin() {
  local name=$1; shift
  target/debug/snapshot-standin --listen 127.0.0.1:0 --db :memory: --token "$STANDIN_TOKEN" \
    --ak "$STANDIN_AK" --sk "$STANDIN_SK" --project-id "$STANDIN_PROJECT" \
    --user "$STANDIN_USER:$STANDIN_PASSWORD" "$@" > "$work/$name.out" 2> "$work/$name.log" &
  pids+=($!)
  for _ in $(seq 100); do
    [[ -s "$work/$name.out" ]] && break
    sleep 0.1
  done
  [[ -s "$work/$name.out" ]] || { echo "the stand-in did not start:" >&2; cat "$work/$name.log" >&2; exit 1; }
}
start_standin main
# Tokens that live three seconds, to see them expire and be renewed.
start_standin short --token-ttl 3
export STANDIN_URL="http://$(head -n 1 "$work/main.out")"
export STANDIN_SHORT_URL="http://$(head -n 1 "$work/short.out")"
export PATH="$PWD/$venv/bin:$PATH" WORK="$work"
echo "stand-in at $STANDIN_URL (tokens for an hour), $STANDIN_SHORT_URL (for three seconds)"
if ! "$venv/bin/python" scripts/vendor_sdks.py; then
  echo "--- the stand-ins' logs:"; tail -n 30 "$work/main.log" "$work/short.log"
  exit 1
fi
