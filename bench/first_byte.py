"""Start-up time of commands: from spawning each to the first byte on its stdout, and to its exit.

    python3 bench/first_byte.py RUNS NAME -- COMMAND... [;; NAME -- COMMAND...]

Each command runs RUNS times, the commands alternating so that a busy moment of the machine falls
on all of them; two unmeasured runs of each warm the page cache first. Prints one JSON object per
command: name, median and min milliseconds to the first byte and to exit. Standard input is
empty; the environment is this process's.
"""

import json
import os
import statistics
import subprocess
import sys
import time


def measure(argv):
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    first = child.stdout.read(1)
    first_byte = time.perf_counter() - started
    child.stdout.read()
    code = child.wait()
    ended = time.perf_counter() - started
    if not first or code != 0:
        raise SystemExit(f"{' '.join(argv)}: exit {code}, {'no output' if not first else 'output'}")
    return first_byte * 1000, ended * 1000


def main():
    runs = int(sys.argv[1])
    commands, part = [], []
    for token in sys.argv[2:] + [";;"]:
        if token != ";;":
            part.append(token)
            continue
        if len(part) < 3 or part[1] != "--":
            raise SystemExit(f"expected NAME -- COMMAND..., got {part}")
        commands.append((part[0], part[2:]))
        part = []
    for _ in range(2):
        for _, argv in commands:
            measure(argv)
    samples = {name: [] for name, _ in commands}
    for _ in range(runs):
        for name, argv in commands:
            samples[name].append(measure(argv))
    for name, _ in commands:
        first = [s[0] for s in samples[name]]
        ended = [s[1] for s in samples[name]]
        print(json.dumps({
            "name": name,
            "first_byte_ms": statistics.median(first),
            "first_byte_min_ms": min(first),
            "exit_ms": statistics.median(ended),
        }))


if __name__ == "__main__":
    main()
