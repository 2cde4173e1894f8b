#!/usr/bin/env python3
"""Our generator and progenitor, side by side on the corpus, in one run.

For each spec the two generators run alternately (ours, progenitor, ours, ...) `--runs` times
each, every run into a fresh directory. Wall time and peak resident memory come from the child
process itself (`os.wait4`), lines of code from the `.rs` files each wrote. For nexus, `cargo check`
of both generated crates is measured cold (empty target directory, dependencies included) once,
and warm (generated sources touched, dependencies built) `--runs` times, alternately.

Called by `bench/run.sh`, which builds our generator and installs progenitor first.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SPECS = [
    "petstore.yaml",
    "petstore-expanded.yaml",
    "uspto.yaml",
    "keeper.json",
    "buildomat.json",
    "propolis-server.json",
    "nexus.json",
    "api.github.com.json",
    "openstack-placement-v1.yaml",
    "openstack-network-v2.yaml",
    "openstack-load-balancer-v2.yaml",
    "openstack-shared-file-system-v2.yaml",
    "openstack-container-infrastructure-management-v1.yaml",
    "openstack-dns-v2.yaml",
    "openstack-object-store-v1.yaml",
]


def run(command, cwd=None, env=None):
    """Runs `command`; returns (seconds, peak RSS in MiB, exit status, stderr tail)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    # wait4 gives the child's own rusage; reading stderr first would block on a full pipe.
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss / 1024, process.returncode, why(stderr.decode(errors="replace"))


def why(stderr):
    """The line that says why a run failed: a panic's message, else the first error line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        if "panicked at" in line:
            return lines[i + 1] if i + 1 < len(lines) else line
    for line in lines:
        if line.lower().startswith("error"):
            return line
    return lines[-1] if lines else ""


def lines_of_rust(directory):
    total = 0
    for path in Path(directory).rglob("*.rs"):
        if "target" in path.parts:
            continue
        with open(path, "rb") as f:
            total += sum(1 for _ in f)
    return total


# The generated crates are copied into a scratch workspace for `cargo check`, so they name the
# runtime by its absolute path rather than by one relative to where they were generated.
RUNTIME = str(Path(__file__).resolve().parent.parent / "runtime")


def ours_command(xtask, spec, out):
    return [xtask, "generate", "--spec", str(spec), "--out", str(out), "--runtime-path", RUNTIME]


def progenitor_command(progenitor, spec, out):
    return [progenitor, "progenitor", "-i", str(spec), "-o", str(out), "-n", "bench-peer", "-v", "0.1.0"]


def measure_generation(args, spec, scratch):
    results = {"ours": [], "progenitor": []}
    outcome = {}
    for i in range(args.runs):
        for tool in ("ours", "progenitor"):
            out = scratch / f"{tool}-{spec.stem}-{i}"
            shutil.rmtree(out, ignore_errors=True)
            command = (
                ours_command(args.xtask, spec, out)
                if tool == "ours"
                else progenitor_command(args.progenitor, spec, out)
            )
            seconds, mib, status, tail = run(command)
            results[tool].append((seconds, mib))
            outcome[tool] = (status, tail, out)
    row = {}
    for tool, samples in results.items():
        status, tail, out = outcome[tool]
        row[tool] = {
            "seconds": statistics.median(s for s, _ in samples),
            "mib": statistics.median(m for _, m in samples),
            "status": "ok" if status == 0 else f"failed ({status}): {tail[:100]}",
            "loc": lines_of_rust(out) if status == 0 else None,
            "out": out,
        }
    return row


def cargo_check_times(args, ours_out, peer_out, scratch):
    """Cold once and warm `--runs` times for both crates; returns {tool: (cold, warm median)}."""
    workspace = scratch / "check-ours"
    shutil.rmtree(workspace, ignore_errors=True)
    shutil.copytree(ours_out, workspace)
    members = sorted(p.name for p in workspace.iterdir() if (p / "Cargo.toml").exists())
    (workspace / "Cargo.toml").write_text(
        "[workspace]\nresolver = \"3\"\nmembers = [%s]\n" % ", ".join(f'"{m}"' for m in members)
    )
    peer = scratch / "check-progenitor"
    shutil.rmtree(peer, ignore_errors=True)
    shutil.copytree(peer_out, peer)
    with open(peer / "Cargo.toml", "a") as f:
        f.write("\n[workspace]\n")
    places = {"ours": workspace, "progenitor": peer}
    env = dict(os.environ)
    env.pop("RUSTFLAGS", None)
    cold, warm = {}, {"ours": [], "progenitor": []}
    for tool, place in places.items():
        target = scratch / f"target-{tool}"
        shutil.rmtree(target, ignore_errors=True)
        env_tool = dict(env, CARGO_TARGET_DIR=str(target))
        seconds, _, status, tail = run(["cargo", "check", "--quiet"], cwd=place, env=env_tool)
        if status != 0:
            sys.exit(f"cargo check of the {tool} crate failed: {tail}")
        cold[tool] = seconds
    for _ in range(args.runs):
        for tool, place in places.items():
            for source in place.rglob("src/*.rs"):
                source.touch()
            env_tool = dict(env, CARGO_TARGET_DIR=str(scratch / f"target-{tool}"))
            seconds, _, status, tail = run(["cargo", "check", "--quiet"], cwd=place, env=env_tool)
            if status != 0:
                sys.exit(f"warm cargo check of the {tool} crate failed: {tail}")
            warm[tool].append(seconds)
    return {tool: (cold[tool], statistics.median(warm[tool])) for tool in places}


def ratio(ours, peer):
    return f"{ours / peer:.2f}x" if peer else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--xtask", required=True, help="our generator: the release xtask binary")
    parser.add_argument("--progenitor", required=True, help="the cargo-progenitor binary")
    parser.add_argument("--corpus", required=True, help="the corpus directory")
    parser.add_argument("--runs", type=int, default=5, help="runs per tool and spec (at least 5)")
    parser.add_argument("--specs", nargs="*", default=SPECS, help="which corpus files")
    parser.add_argument("--no-check", action="store_true", help="skip the cargo check of nexus")
    args = parser.parse_args()
    if args.runs < 5:
        sys.exit("--runs must be at least 5")
    scratch = Path(tempfile.mkdtemp(prefix="apigen-bench-"))
    print(f"{args.runs} alternating runs per tool and spec; medians. Scratch: {scratch}\n")
    print("| spec | ours s | progenitor s | time ratio | ours MiB | progenitor MiB | memory ratio | ours LOC | progenitor LOC | progenitor |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    rows = {}
    for name in args.specs:
        spec = Path(args.corpus) / name
        row = measure_generation(args, spec, scratch)
        rows[name] = row
        o, p = row["ours"], row["progenitor"]
        if o["status"] != "ok":
            print(f"| {name} | our generator {o['status']} | | | | | | | | |")
            continue
        peer_ok = p["status"] == "ok"
        print(
            f"| {name} | {o['seconds']:.3f} | {p['seconds']:.3f} | {ratio(o['seconds'], p['seconds'])} "
            f"| {o['mib']:.0f} | {p['mib']:.0f} | {ratio(o['mib'], p['mib'])} "
            f"| {o['loc']} | {p['loc'] if peer_ok else '-'} | {'ok' if peer_ok else p['status']} |",
            flush=True,
        )
    nexus = rows.get("nexus.json")
    if not args.no_check and nexus and nexus["progenitor"]["status"] == "ok" and nexus["ours"]["status"] == "ok":
        times = cargo_check_times(args, nexus["ours"]["out"], nexus["progenitor"]["out"], scratch)
        print("\n`cargo check` of the generated nexus crates (cold: once, empty target dir, dependencies included;")
        print(f"warm: sources touched, median of {args.runs})\n")
        print("| | ours s | progenitor s | ratio |")
        print("| --- | ---: | ---: | ---: |")
        (oc, ow), (pc, pw) = times["ours"], times["progenitor"]
        print(f"| cold | {oc:.1f} | {pc:.1f} | {ratio(oc, pc)} |")
        print(f"| warm | {ow:.2f} | {pw:.2f} | {ratio(ow, pw)} |")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
