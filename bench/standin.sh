#!/usr/bin/env bash
# The stand-in beside Stoplight Prism (`prism mock spec/evs.yaml`) on this machine, in one run:
# the documented EVS create from 8 and from 64 concurrent connections (requests/s, p50, p99, and
# the ratios stand-in / Prism), then the EVS bad-request table sent to both (what each rejects,
# and in what shape). The stand-in commits every create to SQLite before answering; Prism keeps
# nothing.
#
#   bench/standin.sh [SECONDS]      (default 10 per measurement)
#
# @stoplight/prism-cli 5.16 is installed from npm into target/prism (kept between runs).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
project="89cd04f168b84af6be287f71730fdb4b"
prism_dir="target/prism"
if [[ ! -x "$prism_dir/node_modules/.bin/prism" ]]; then
  echo "installing @stoplight/prism-cli 5.16 into $prism_dir ..." >&2
  npm install --silent --no-audit --no-fund --prefix "$prism_dir" "@stoplight/prism-cli@5.16" >&2
fi
cargo build --release --quiet -p snapshot-standin -p snapshot-load
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

target/release/snapshot-standin --listen 127.0.0.1:0 --db "$work/standin.sqlite3" --no-auth \
  > "$work/standin.out" 2> /dev/null &
pids+=($!)
prism_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$prism_dir/node_modules/.bin/prism" mock spec/evs.yaml -h 127.0.0.1 -p "$prism_port" > "$work/prism.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do
  [[ -s "$work/standin.out" ]] && curl -s -o /dev/null "http://127.0.0.1:$prism_port/" && break
  sleep 0.1
done
standin="http://$(head -n 1 "$work/standin.out")"
prism="http://127.0.0.1:$prism_port"
cat > "$work/body.json" <<'JSON'
{"snapshot": {"volume_id": "2c194dde-7de5-4529-a141-49f48181f411", "name": "test_name", "description": "test description", "enterprise_project_id": "94f1ea84-1428-49b6-9920-8a9b8a29e4ca"}}
JSON
results="$work/results.jsonl"
for connections in 8 64; do
  for side in standin prism; do
    base=${!side}
    line=$(target/release/snapshot-load load "$base/v5/$project/snapshots" "$work/body.json" "$connections" "$seconds")
    echo "{\"side\": \"$side\", \"result\": $line}" >> "$results"
  done
done

python3 - "$work/bad.json" "$project" <<'PY'
import json, sys
path, p = sys.argv[1], sys.argv[2]
create = f"/v5/{p}/snapshots"
def case(what, body, names="", content_type="application/json", method="POST", at=create):
    return {"what": what, "method": method, "path": at, "content_type": content_type, "body": body, "names": names}
cases = [
    case("malformed JSON", '{"snapshot": {"name": "x"'),
    case("trailing text", '{"snapshot": {}} x'),
    case("a wrong type", '{"snapshot": {"volume_id": "v", "name": 7}}', "name"),
    case("a boolean as text", '{"snapshot": {"volume_id": "v", "incremental": "yes"}}', "incremental"),
    case("name too long", json.dumps({"snapshot": {"volume_id": "v", "name": "n" * 65}}), "name"),
    case("description too long", json.dumps({"snapshot": {"volume_id": "v", "description": "d" * 86}}), "description"),
    case("a tag value not a string", '{"snapshot": {"volume_id": "v", "tags": {"k": 1}}}', "tags"),
    case("a missing envelope", '{}', "snapshot"),
    case("the envelope not an object", '{"snapshot": []}', "snapshot"),
    case("an unsupported media type", '{"snapshot": {"volume_id": "v"}}', "", "text/plain"),
    case("no media type", '{"snapshot": {"volume_id": "v"}}', "", ""),
    case("a body over 2 MiB", json.dumps({"snapshot": {"volume_id": "v", "description": "d" * (3 << 20)}})),
    case("a method the path does not have", "", "", "", "DELETE"),
    case("a path no operation has", "{}", "", "application/json", "POST", f"/v5/{p}/snapshots/x/y"),
    case("an update of a wrong type", '{"snapshot": {"name": 7}}', "name", "application/json", "PUT", f"/v2/{p}/snapshots/s-1"),
    case("an update name of 256 bytes", json.dumps({"snapshot": {"name": "é" * 128}}), "name", "application/json", "PUT", f"/v2/{p}/snapshots/s-1"),
]
json.dump(cases, open(path, "w"))
PY
for side in standin prism; do
  base=${!side}
  target/release/snapshot-load bad "$base" "$work/bad.json" | sed "s/^/{\"side\": \"$side\", \"case\": /; s/$/}/" >> "$work/bad.jsonl"
done

python3 - "$results" "$work/bad.jsonl" "$seconds" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
bad = [json.loads(l) for l in open(sys.argv[2])]
seconds = sys.argv[3]
print(f"EVS create (documented example), {seconds} s per measurement, one run on this machine\n")
print("| connections | stand-in req/s | Prism req/s | ratio | stand-in p50 / p99 ms | Prism p50 / p99 ms | p99 ratio |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for c in (8, 64):
    s = next(r["result"] for r in rows if r["side"] == "standin" and r["result"]["connections"] == c)
    p = next(r["result"] for r in rows if r["side"] == "prism" and r["result"]["connections"] == c)
    print(f"| {c} | {s['rps']:.0f} | {p['rps']:.0f} | {s['rps']/max(p['rps'],1e-9):.1f}x | "
          f"{s['p50_ms']:.2f} / {s['p99_ms']:.2f} | {p['p50_ms']:.2f} / {p['p99_ms']:.2f} | "
          f"{s['p99_ms']/max(p['p99_ms'],1e-9):.3f} |")
    for side, r in (("stand-in", s), ("Prism", p)):
        if r["not_2xx"]:
            print(f"|  | ({side}: {r['not_2xx']} answers were not 2xx) |  |  |  |  |  |")
print(f"\nBad requests ({len(bad)//2} cases, spec/evs.yaml): status of each answer")
print("| case | stand-in | Prism |")
print("| --- | --- | --- |")
cases = [b["case"] for b in bad if b["side"] == "standin"]
for c in cases:
    p = next(b["case"] for b in bad if b["side"] == "prism" and b["case"]["what"] == c["what"])
    show = lambda x: f"{x['status']}" + (" JSON" if x["json"] else "") + (", names the field" if x["names_field"] else "")
    print(f"| {c['what']} | {show(c)} | {show(p)} |")
for side in ("standin", "prism"):
    mine = [b["case"] for b in bad if b["side"] == side]
    rejected = sum(1 for b in mine if 400 <= b["status"] < 500)
    named = sum(1 for b in mine if b["names_field"])
    first = next((b for b in mine if 400 <= b["status"] < 500 and b["what"] == "name too long"), mine[0])
    print(f"\n{side}: {rejected} of {len(mine)} rejected with a 4xx; {named} name the offending field; "
          f"`name too long` answered {first['status']} {first['excerpt'][:120]!r}")
PY
