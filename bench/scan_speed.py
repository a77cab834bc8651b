"""Benchmark: scan time and peak memory on generated templates.

    python bench/scan_speed.py [--resources 4000] [--repeat 3]

Each measurement runs `serverless-guard scan` in a fresh process (import time included, as a user
or CI sees it) and reports wall time and peak resident memory. To compare with other scanners,
install them in venvs of their own (their dependency pins conflict with ours) and pass their
commands with `--compare 'checkov -f {path} --quiet'` or `--compare 'cfn-lint {path}'`.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))

from generate import write

_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)"
    ".returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


def measure(command: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit code of one command (in its own wrapper process,
    so that each measurement's peak is its own)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *command], capture_output=True, text=True, check=True
    )
    elapsed = time.perf_counter() - start
    peak_kb, code = done.stdout.split()
    return elapsed, int(peak_kb) / 1024, int(code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--compare", action="append", default=[], metavar="COMMAND")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "template.json")
        write(path, args.resources)
        size = os.path.getsize(path) / (1024 * 1024)
        print(f"template: {args.resources} resources, {size:.1f} MB")
        commands = [[sys.executable, "-m", "serverless_guard", "scan", path, "--format", "json"]]
        commands += [shlex.split(c.format(path=path)) for c in args.compare]
        for command in commands:
            times = []
            peak = 0.0
            for _ in range(args.repeat):
                elapsed, rss, _code = measure(command)
                times.append(elapsed)
                peak = max(peak, rss)
            best = min(times)
            label = " ".join(command[1:4]) if command[0] == sys.executable else command[0]
            print(f"{label:40s} best {best:6.2f} s   peak {peak:7.0f} MB   ({args.repeat} runs)")


if __name__ == "__main__":
    main()
