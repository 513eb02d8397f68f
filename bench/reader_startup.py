"""CPU cost of the commands that fork the document readers (the whole process tree).

    python bench/reader_startup.py [--repeat 3] [--pythonpath DIR]

Each case runs ``python -m bot ...`` as a fresh process and counts user + system time of it and
of every reader it forked (``RUSAGE_CHILDREN``: the readers are reaped by their parent, so their
time lands here too). Processor time, not wall time: the figures hold on a busy machine.

- ``ingest_url``: `briefbot ingest URL` of one sample page served on 127.0.0.1;
- ``run_no_token`` / ``run_unreachable``: `briefbot run` without a token / with the Bot API down;
- ``run_serving``: `briefbot run` against the fake Bot API (tests/fake_telegram.py) until its
  command menu is set, a few seconds for the readers to finish starting, then SIGTERM;
- ``help``: `briefbot --help`, the light path, for scale.

``--pythonpath`` runs another checkout (e.g. ``git archive`` of an older commit) for a before/after.
Results go to bench/results/reader_startup.json.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fake_telegram import FakeTelegram, default_menu_set  # noqa: E402

SAMPLES = ROOT / "bot" / "samples"
SETTLE = 8.0  # seconds a serving bot is given for its readers to finish starting


def cpu_children() -> float:
    """User + system seconds of the reaped children so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def environment(pythonpath: Path, db: Path, extra: dict[str, str]) -> dict[str, str]:
    """This environment without bot settings, plus the checkout, the database and ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "TELEGRAM_"))}
    env.update(PYTHONPATH=str(pythonpath), BRIEFBOT_DB=str(db), **extra)
    return env


def run_to_exit(pythonpath: Path, args: list[str], extra: dict[str, str]) -> float:
    """CPU seconds of one command run to its end."""
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(pythonpath, Path(tmp) / "bench.db", extra)
        before = cpu_children()
        subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=tmp,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
            timeout=300,
        )
        return cpu_children() - before


def run_serving(pythonpath: Path, fake: FakeTelegram, count: int) -> float:
    """CPU seconds of `briefbot run` from start to serving (plus ``SETTLE``), then SIGTERM."""
    with tempfile.TemporaryDirectory() as tmp:
        extra = {"TELEGRAM_BOT_TOKEN": "123:bench", "TELEGRAM_API_BASE": fake.base_url}
        env = environment(pythonpath, Path(tmp) / "bench.db", extra)
        before = cpu_children()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        fake.wait_for(default_menu_set, count=count, timeout=120)
        time.sleep(SETTLE)
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
        return cpu_children() - before


def serve_samples() -> http.server.ThreadingHTTPServer:
    """The sample folder over HTTP on 127.0.0.1 (quiet)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(SAMPLES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    """Measure every case ``--repeat`` times; print and save the medians."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pythonpath", type=Path, default=ROOT)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "reader_startup.json")
    args = ap.parse_args()
    server = serve_samples()
    url = f"http://127.0.0.1:{server.server_address[1]}/bridge_meridian-post.html"
    cases: dict[str, tuple[list[str], dict[str, str]]] = {
        "ingest_url": (["ingest", url], {"BRIEFBOT_FETCH_ALLOW": "127.0.0.1"}),
        "run_no_token": (["run"], {"TELEGRAM_BOT_TOKEN": ""}),
        "run_unreachable": (
            ["run"],
            {"TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_API_BASE": "http://127.0.0.1:9/bot"},
        ),
        "help": (["--help"], {}),
    }
    runs: dict[str, list[float]] = {}
    for name, (argv, extra) in cases.items():
        runs[name] = [run_to_exit(args.pythonpath, argv, extra) for _ in range(args.repeat)]
    with FakeTelegram() as fake:
        runs["run_serving"] = [
            run_serving(args.pythonpath, fake, k + 1) for k in range(args.repeat)
        ]
    server.shutdown()
    result = {
        "pythonpath": str(args.pythonpath),
        "load_average": os.getloadavg(),
        "cpu_seconds_median": {k: round(statistics.median(v), 2) for k, v in runs.items()},
        "cpu_seconds_runs": {k: [round(x, 2) for x in v] for k, v in runs.items()},
    }
    print(json.dumps(result, indent=1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
