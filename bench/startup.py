"""CLI start-up time: `briefbot --help` and `briefbot stories` on the sample articles.

Runs each command ``--repeat`` times as a fresh process and reports the median wall time and the
median CPU time (user + system of the child: less disturbed by other work on a busy machine).

    python bench/startup.py [--repeat 15] [--python PATH]

Results go to bench/results/startup.json. The issue's target: both under 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "bot" / "samples"


def run_once(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one process run to completion."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(python: str, repeat: int) -> dict[str, dict[str, float]]:
    """Median wall and CPU seconds of each start-up command."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "TELEGRAM_"))}
    # As a user runs it: bytecode cached (with PYTHONDONTWRITEBYTECODE every start recompiles).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        db = cwd / "samples.db"
        base = [python, "-m", "bot"]
        subprocess.run(
            [*base, "--db", str(db), "ingest", str(SAMPLES)],
            cwd=cwd,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        commands = {
            "help": [*base, "--help"],
            "stories": [*base, "--db", str(db), "stories"],
        }
        out: dict[str, dict[str, float]] = {}
        for name, cmd in commands.items():
            run_once(cmd, cwd, env)  # warm the page cache and bytecode
            runs = [run_once(cmd, cwd, env) for _ in range(repeat)]
            out[name] = {
                "wall_s": round(statistics.median(w for w, _ in runs), 3),
                "cpu_s": round(statistics.median(c for _, c in runs), 3),
            }
    return out


def main() -> None:
    """Measure and print; write bench/results/startup.json."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=15)
    p.add_argument("--python", default=sys.executable)
    args = p.parse_args()
    result = measure(args.python, args.repeat)
    print(json.dumps(result, indent=2))
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "startup.json").write_text(json.dumps(result, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
