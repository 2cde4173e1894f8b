"""The APIs.guru directory as a test: generate every spec, compile a sample, and (--peer) do the
same sample with cargo-progenitor. Run by scripts/directory.sh, which installs the directory.

Every outcome is appended to a results file (JSON lines) as soon as it is known, so an
interrupted run resumes where it stopped; the file is named after the generator's commit, so a
new generator starts afresh. progenitor's outcomes go to a file named after its version: they do
not change with this generator.

Standard library only: the script must run wherever python3 does.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGENITOR = "0.15.1"
# A generator that runs longer than this on one spec is reported as such, not waited for.
GENERATE_TIMEOUT = 600
COMPILE_TIMEOUT = 1800


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--directory", type=Path, required=True, help="the unpacked package's api/ folder")
    parser.add_argument("--cache", type=Path, required=True, help="results, tools and build output")
    parser.add_argument("--slice", default=None, metavar="START:END[:STEP]",
                        help="generate only these specs of the sorted list, as Python slices them (default: all)")
    parser.add_argument("--sample", type=int, default=100, metavar="N",
                        help="compile one spec each of N providers of those generated (default 100; 0 compiles none)")
    parser.add_argument("--seed", type=int, default=25, help="picks the sample (default 25)")
    parser.add_argument("--peer", action="store_true", help="also cargo-progenitor " + PROGENITOR + " on the sample")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="specs generated at once")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results of this generator")
    return parser.parse_args()


def commit():
    """The generator's commit, marked when the tree has changes: results belong to one generator."""
    head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    name = head.stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "codegen", "runtime", "xtask"],
                           cwd=ROOT, capture_output=True, text=True)
    return name + ("-dirty" if dirty.stdout.strip() else "")


class Results:
    """Outcomes by (phase, spec), appended as they come."""

    def __init__(self, path, fresh):
        self.path = path
        self.lock = threading.Lock()
        self.done = {}
        if fresh and path.exists():
            path.unlink()
        if path.exists():
            for line in path.read_text().splitlines():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut short by an interruption
                self.done[(record["phase"], record["spec"])] = record

    def get(self, phase, spec):
        return self.done.get((phase, spec))

    def add(self, record):
        with self.lock:
            self.done[(record["phase"], record["spec"])] = record
            with self.path.open("a") as file:
                file.write(json.dumps(record) + "\n")


def crate_name(spec):
    """A crate base name from the spec's place in the directory: `adobe.com/aem.json` -> `adobe-com-aem`."""
    stem = re.sub(r"[^a-z0-9]+", "-", spec.removesuffix(".json").lower()).strip("-")
    return stem if stem[:1].isalpha() else "api-" + stem


def run_measured(args, cwd, timeout, env=None):
    """Runs a command; returns (exit code or None on timeout, seconds, peak KiB, stdout, stderr)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=err, env=env)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        code = None if process.returncode == -9 and seconds >= timeout else process.returncode
        return code, seconds, usage.ru_maxrss, out.read().decode(errors="replace"), err.read().decode(errors="replace")


def rust_lines(folder):
    lines = 0
    for path in Path(folder).rglob("*.rs"):
        with path.open("rb") as file:
            lines += sum(1 for _ in file)
    return lines


def generate_one(generator, directory, spec, results):
    known = results.get("generate", spec)
    if known:
        return known
    with tempfile.TemporaryDirectory(prefix="apigen-directory-") as out:
        code, seconds, peak, _, stderr = run_measured(
            [generator, "generate", "--spec", str(directory / spec), "--out", out, "--name", crate_name(spec)],
            ROOT, GENERATE_TIMEOUT)
        record = {"phase": "generate", "spec": spec, "seconds": round(seconds, 3), "peak_kib": peak,
                  "bytes": (directory / spec).stat().st_size}
        if code == 0:
            record.update(outcome="generated", lines=rust_lines(out))
        elif code is None:
            record.update(outcome="timeout", reason=f"still running after {GENERATE_TIMEOUT} s")
        elif code == 1:
            # The generator's own refusal: the located diagnostics, then "nothing was written".
            # Errors first: warnings may come before them, and they are not why.
            lines = [line for line in stderr.splitlines() if line.strip() and not line.startswith("nothing was written")]
            errors = [line for line in lines if line.startswith("error")]
            record.update(outcome="refused", reason="\n".join((errors or lines)[:6]))
        else:
            # A panic (101) or a signal: never acceptable.
            record.update(outcome="panic", reason=f"exit {code}: " + "\n".join(stderr.splitlines()[-6:]))
    results.add(record)
    return record


def providers(specs):
    """Specs by provider: `adobe.com/aem.json` and `adobe.com/x.json` share `adobe.com`."""
    by_provider = {}
    for spec in specs:
        by_provider.setdefault(spec.split("/")[0].removesuffix(".json"), []).append(spec)
    return by_provider


def sample(specs, size, seed):
    picker = random.Random(seed)
    by_provider = providers(specs)
    chosen = picker.sample(sorted(by_provider), min(size, len(by_provider)))
    return sorted(picker.choice(sorted(by_provider[p])) for p in chosen)


def first_error(text):
    """The first compiler error and the line that locates it, for the table."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("error"):
            where = next((l.strip() for l in lines[i + 1:i + 3] if l.strip().startswith("-->")), "")
            return (line + " " + where).strip()
    return "\n".join(lines[-3:])


def cargo_env(target):
    # Warnings are denied by clippy's `-D warnings` and RUSTDOCFLAGS, for the generated crates only:
    # RUSTFLAGS would rebuild every dependency apart from the workspace's own build.
    env = dict(os.environ, CARGO_TARGET_DIR=str(target), RUSTDOCFLAGS="-D warnings", CARGO_INCREMENTAL="0")
    env.pop("RUSTFLAGS", None)
    return env


def compile_ours(generator, directory, spec, cache, results):
    known = results.get("compile", spec)
    if known:
        return known
    name = crate_name(spec)
    work = cache / "compile" / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    record = {"phase": "compile", "spec": spec}
    code, _, _, _, stderr = run_measured(
        [generator, "generate", "--spec", str(directory / spec), "--out", str(work), "--name", name], ROOT, GENERATE_TIMEOUT)
    if code != 0:
        record.update(outcome="not generated", reason=stderr.strip().splitlines()[0] if stderr.strip() else f"exit {code}")
    else:
        (work / "Cargo.toml").write_text(
            '[workspace]\nresolver = "3"\nmembers = ["*-models", "*-client", "*-server", "*-cli"]\n')
        # The dependency versions this workspace is tested with.
        shutil.copy(ROOT / "Cargo.lock", work / "Cargo.lock")
        # The workspace's own target directory: the runtime and every dependency are built already.
        env = cargo_env(ROOT / "target")
        started = time.monotonic()
        record.update(outcome="clean")
        for step in (["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"],
                     ["doc", "--workspace", "--no-deps"]):
            code, _, _, _, stderr = run_measured(["cargo", *step], work, COMPILE_TIMEOUT, env)
            if code != 0:
                record.update(outcome=f"{step[0]} failed", reason=first_error(stderr))
                break
        record["seconds"] = round(time.monotonic() - started, 1)
        # The shared target keeps the dependencies; this spec's own crates would only fill the disk.
        crates = [f"{name}-{part}" for part in ("models", "client", "server", "cli")]
        subprocess.run(["cargo", "clean", "--quiet", *sum((["-p", c] for c in crates), [])], cwd=work, env=env,
                       capture_output=True)
    shutil.rmtree(work, ignore_errors=True)
    results.add(record)
    return record


def progenitor(cache):
    tools = cache / "tools"
    binary = tools / "bin" / "cargo-progenitor"
    if not binary.exists():
        print(f"installing cargo-progenitor {PROGENITOR} into {tools}", file=sys.stderr)
        subprocess.run(["cargo", "install", "--quiet", "--locked", "--root", str(tools), "cargo-progenitor",
                        "--version", PROGENITOR], check=True)
    return binary


def compile_peer(binary, directory, spec, cache, results):
    known = results.get("peer", spec)
    if known:
        return known
    name = crate_name(spec)
    work = cache / "peer" / name
    shutil.rmtree(work, ignore_errors=True)
    work.parent.mkdir(parents=True, exist_ok=True)
    record = {"phase": "peer", "spec": spec}
    code, seconds, peak, _, stderr = run_measured(
        [str(binary), "progenitor", "-i", str(directory / spec), "-o", str(work), "-n", name, "-v", "0.1.0"],
        ROOT, GENERATE_TIMEOUT)
    if code != 0:
        lines = [l for l in stderr.splitlines() if l.strip()]
        record.update(outcome="not generated", reason=(lines[-1] if lines else f"exit {code}")[:300])
    else:
        env = dict(os.environ, CARGO_TARGET_DIR=str(cache / "target-peer"), CARGO_INCREMENTAL="0")
        started = time.monotonic()
        code, _, _, _, stderr = run_measured(["cargo", "check"], work, COMPILE_TIMEOUT, env)
        record.update(outcome="compiles" if code == 0 else "check failed", seconds=round(time.monotonic() - started, 1))
        if code != 0:
            record["reason"] = first_error(stderr)
        subprocess.run(["cargo", "clean", "--quiet", "-p", name], cwd=work, env=env, capture_output=True)
    shutil.rmtree(work, ignore_errors=True)
    results.add(record)
    return record


def kib(value):
    return f"{value / 1024 / 1024:.2f} GB" if value >= 1024 * 1024 else f"{value / 1024:.0f} MB"


def main():
    args = arguments()
    specs = sorted(str(p.relative_to(args.directory)) for p in args.directory.rglob("*.json"))
    chosen = specs
    if args.slice:
        parts = [int(part) if part else None for part in args.slice.split(":")]
        if not 1 <= len(parts) <= 3:
            sys.exit(f"--slice {args.slice}: expected START:END or START:END:STEP")
        chosen = specs[slice(*parts)] if len(parts) > 1 else specs[parts[0]:]
    args.cache.mkdir(parents=True, exist_ok=True)
    built = subprocess.run(["cargo", "build", "--quiet", "--profile", "xtask", "--locked", "-p", "xtask"], cwd=ROOT)
    if built.returncode != 0:
        sys.exit("the generator does not build")
    generator = str(ROOT / "target" / "xtask" / "xtask")
    results = Results(args.cache / f"results-{commit()}.jsonl", args.fresh)
    # progenitor's outcomes do not depend on this generator: kept apart, per progenitor version.
    peer_results = Results(args.cache / f"results-progenitor-{PROGENITOR}.jsonl", args.fresh)

    print(f"generating {len(chosen)} of {len(specs)} specs ({args.jobs} at a time); results in {results.path}",
          file=sys.stderr)
    started = time.monotonic()
    count = [0]

    def one(spec):
        record = generate_one(generator, args.directory, spec, results)
        count[0] += 1
        if record["outcome"] != "generated" or count[0] % 100 == 0:
            print(f"  [{count[0]}/{len(chosen)}] {spec}: {record['outcome']}", file=sys.stderr)
        return record

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        generated = list(pool.map(one, chosen))
    wall = time.monotonic() - started

    picked = sample(chosen, args.sample, args.seed) if args.sample > 0 else []
    ours = []
    for i, spec in enumerate(picked, 1):
        record = compile_ours(generator, args.directory, spec, args.cache, results)
        print(f"  compile [{i}/{len(picked)}] {spec}: {record['outcome']}", file=sys.stderr)
        ours.append(record)
    peer = []
    if args.peer and picked:
        binary = progenitor(args.cache)
        for i, spec in enumerate(picked, 1):
            record = compile_peer(binary, args.directory, spec, args.cache, peer_results)
            print(f"  progenitor [{i}/{len(picked)}] {spec}: {record['outcome']}", file=sys.stderr)
            peer.append(record)

    failed = report(args, specs, chosen, generated, wall, picked, ours, peer)
    sys.exit(1 if failed else 0)


def report(args, specs, chosen, generated, wall, picked, ours, peer):
    by = lambda outcome: [r for r in generated if r["outcome"] == outcome]
    ok, refused, panics, timeouts = by("generated"), by("refused"), by("panic"), by("timeout")
    print(f"\nopenapi-directory: {len(chosen)} of {len(specs)} specs generated with this commit's generator\n")
    print("| specs | generated | refused | panics | timeouts | generator time (sum) | wall time | peak memory (largest) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    total = sum(r["seconds"] for r in generated)
    peak = max((r["peak_kib"] for r in generated), default=0)
    print(f"| {len(chosen)} | {len(ok)} | {len(refused)} | {len(panics)} | {len(timeouts)} | {total:.0f} s "
          f"| {wall:.0f} s | {kib(peak)} |")
    if ok:
        slowest = max(ok, key=lambda r: r["seconds"])
        largest = max(ok, key=lambda r: r["lines"])
        print(f"\nslowest: {slowest['spec']} ({slowest['seconds']:.1f} s, {kib(slowest['peak_kib'])}, "
              f"{slowest['bytes'] / 1e6:.1f} MB of spec)")
        print(f"largest: {largest['spec']} ({largest['lines']:,} lines of Rust from {largest['bytes'] / 1e6:.1f} MB)")
    for kind, records in (("refused", refused), ("panicked", panics), ("timed out", timeouts)):
        if records:
            print(f"\n{kind}:")
            for r in records:
                reason = " / ".join(l.strip() for l in r["reason"].splitlines())
                print(f"- {r['spec']}: {reason[:400]}")
    clean = [r for r in ours if r["outcome"] == "clean"]
    if picked:
        print(f"\nsample: one spec each of {len(picked)} providers, seed {args.seed}\n")
        header = "| | generated | builds warning-free |"
        print(header + (" progenitor " + PROGENITOR + " generated | progenitor `cargo check` |" if peer else ""))
        print("|---|---:|---:|" + ("---:|---:|" if peer else ""))
        generated_ours = [r for r in ours if r["outcome"] != "not generated"]
        row = f"| {len(picked)} specs | {len(generated_ours)} | {len(clean)} (clippy and rustdoc, `-D warnings`) |"
        if peer:
            generated_peer = [r for r in peer if r["outcome"] != "not generated"]
            compiles = [r for r in peer if r["outcome"] == "compiles"]
            row += f" {len(generated_peer)} | {len(compiles)} |"
        print(row)
        unclean = [r for r in ours if r["outcome"] != "clean"]
        if unclean:
            print("\nnot clean:")
            for r in unclean:
                print(f"- {r['spec']}: {r['outcome']}: {r.get('reason', '')[:300]}")
    share = len(clean) / len(picked) if picked else 1.0
    if picked:
        print(f"\n{share:.1%} of the sample clean (at least 99% expected)")
    return bool(panics or timeouts) or share < 0.99


if __name__ == "__main__":
    main()
