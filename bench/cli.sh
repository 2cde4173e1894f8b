#!/usr/bin/env bash
# snapctl's start-up beside python-openstackclient's, in one run: milliseconds from spawning each
# command to the first byte of its output (and to its exit), median of RUNS runs, alternating.
#
#   bench/cli.sh [RUNS]      (default 20)
#
# Ours: `snapctl block-storage create-snapshot --help`, and the same create with `--dry-run`
# (configuration read, body built and validated, request printed, nothing sent). Theirs:
# `openstack volume snapshot create --help`. python-openstackclient (latest from PyPI) goes into a
# temporary virtual environment, removed afterwards; OSC_VENV=dir keeps one between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
venv="${OSC_VENV:-$work/venv}"
if [[ ! -x "$venv/bin/openstack" ]]; then
  echo "installing python-openstackclient into $venv ..." >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check python-openstackclient >&2
fi
osc_version=$("$venv/bin/pip" show python-openstackclient 2>/dev/null | awk '/^Version:/ {print $2}')
cargo build --release --quiet -p snapctl
snapctl="$PWD/target/release/snapctl"
export OS_AUTH_TOKEN=bench-token OS_PROJECT_ID=89cd04f168b84af6be287f71730fdb4b OS_VOLUME_API_VERSION=3.65
create="block-storage create-snapshot --endpoint http://127.0.0.1:8776/v3/89cd04f168b84af6be287f71730fdb4b --volume-id 5aa119a8-d25b-45a7-8d1b-88e127885635 --name nightly --description before-the-upgrade"
python3 bench/first_byte.py "$runs" \
  "help" -- "$snapctl" block-storage create-snapshot --help ";;"  \
  "dry-run" -- "$snapctl" $create --dry-run ";;" \
  "openstack" -- "$venv/bin/openstack" volume snapshot create --help > "$work/times.jsonl"

python3 - "$work/times.jsonl" "$runs" "$osc_version" <<'PY'
import json, sys
rows = {r["name"]: r for r in map(json.loads, open(sys.argv[1]))}
runs, osc = sys.argv[2], sys.argv[3]
theirs = rows["openstack"]
print(f"median of {runs} runs; python-openstackclient {osc}\n")
print("| command | first byte ms | exit ms | ratio to `openstack volume snapshot create --help` |")
print("| --- | ---: | ---: | ---: |")
for name, label in [("help", "`snapctl block-storage create-snapshot --help`"),
                    ("dry-run", "`snapctl block-storage create-snapshot ... --dry-run`"),
                    ("openstack", "`openstack volume snapshot create --help`")]:
    r = rows[name]
    ratio = r["first_byte_ms"] / theirs["first_byte_ms"]
    print(f"| {label} | {r['first_byte_ms']:.1f} | {r['exit_ms']:.1f} | {ratio:.4f} (1/{1/ratio:.0f}) |")
PY
