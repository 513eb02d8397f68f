"""Reply latency of the real bot while a CLI ingest writes to its database.

    python bench/bot_under_load.py [--articles 2000] [--base 300] [--rate 4] [--after 20]
                                   [--src DIR] [--json OUT]

Starts the fake Bot API (tests/fake_telegram.py) and the real `briefbot run` (as
tests/bot_process.py does) on a database holding ``--base`` synthetic articles (bench/synth.py,
views cached), then runs `briefbot ingest` of ``--articles`` more (another seed: new events) into
the same database while sending /help, /stories and /brief in turn, ``--rate`` per second, each
from a new private chat. A reply's latency runs from the moment the update is queued at the fake
to the bot's sendMessage to that chat (the fake's clock). Reported per phase (before, during and
``--after`` seconds after the ingest) and per command: p50, p95, max, unanswered.

The bot is a latency-sensitive server and the ingest a batch job: ``--ingest-nice N`` runs the
ingest N steps nicer than the bench and the bot (as one would deploy them). Latency is wall
time: on a shared machine, report the load average (both are in the output).

``--src DIR`` runs both the bot and the ingest from another checkout (e.g. ``git archive`` of an
older commit) for a before/after comparison; by default this checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

from fake_telegram import FakeTelegram, default_menu_set  # noqa: E402
from synth import write_corpus  # noqa: E402

TOKEN = "4242:BENCH-secret-token"
COMMANDS = ("/help", "/stories", "/brief")
FIRST_CHAT = 100_000


def briefbot(src: Path | None) -> tuple[list[str], dict[str, str]]:
    """The command line and environment that run `briefbot` from ``src`` (or as installed)."""
    env = {
        **os.environ,
        "PTB_TIMEDELTA": "1",
        "BRIEFBOT_LOG_LEVEL": os.environ.get("BRIEFBOT_LOG_LEVEL", "WARNING"),
    }
    if src is None:
        script = Path(sys.executable).with_name("briefbot")
        return ([str(script)] if script.exists() else [sys.executable, "-m", "bot"]), env
    env["PYTHONPATH"] = str(src)
    return [sys.executable, "-m", "bot"], env


def run_ingest(
    cmd: list[str], env: dict[str, str], db: Path, folder: Path, log: Path, nice: int
) -> Any:
    """Start `briefbot ingest` into ``db`` (output to ``log``), ``nice`` steps nicer than us."""
    with log.open("wb") as out:
        return subprocess.Popen(
            ["nice", "-n", str(nice), *cmd, "--db", str(db), "ingest", str(folder)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=db.parent,  # not the repository: `python -m bot` puts the working directory first
        )


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """p50/p95/max in ms of the answered rows, and how many went unanswered."""
    got = [r["latency_ms"] for r in rows if r["latency_ms"] is not None]
    out: dict[str, Any] = {"sent": len(rows), "unanswered": len(rows) - len(got)}
    if got:
        out |= {
            "p50_ms": round(pct(got, 50), 1),
            "p95_ms": round(pct(got, 95), 1),
            "max_ms": round(max(got), 1),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--base", type=int, default=300)
    ap.add_argument("--rate", type=float, default=4.0, help="commands per second")
    ap.add_argument("--before", type=float, default=10.0, help="seconds measured before")
    ap.add_argument("--after", type=float, default=20.0, help="seconds measured after")
    ap.add_argument("--src", type=Path, default=None, help="run the bot and ingest from here")
    ap.add_argument(
        "--ingest-nice", type=int, default=0, help="run the ingest this much nicer than the bot"
    )
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    cmd, env = briefbot(args.src)
    with tempfile.TemporaryDirectory(prefix="bot-under-load-") as tmp:
        work = Path(tmp)
        db = work / "bot.db"
        base, load = work / "base", work / "load"
        for folder, n, seed in ((base, args.base, 2), (load, args.articles, 1)):
            write_corpus(folder, n, seed=seed)
            (folder / "manifest.json").unlink()  # ground truth, not an article
        t0 = time.monotonic()
        subprocess.run(
            [*cmd, "--db", str(db), "ingest", str(base)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=work,
        )
        print(f"base: {args.base} articles in {time.monotonic() - t0:.1f} s", file=sys.stderr)
        with FakeTelegram() as fake:
            bot_env = {
                **env,
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_BASE": fake.base_url,
                "BRIEFBOT_DB": str(db),
            }
            bot_log = (work / "bot.log").open("wb")
            bot = subprocess.Popen(
                [*cmd, "run"], cwd=work, env=bot_env, stdout=bot_log, stderr=subprocess.STDOUT
            )
            try:
                fake.wait_for(default_menu_set, timeout=120)
                result = drive(fake, cmd, env, db, load, work, args)
            finally:
                bot.send_signal(signal.SIGTERM)
                try:
                    bot.wait(60)
                except subprocess.TimeoutExpired:
                    bot.kill()
                bot_log.close()
            result["bot_log_tail"] = (work / "bot.log").read_text(errors="replace")[-2000:]
    print(json.dumps({k: v for k, v in result.items() if k != "rows"}, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


def drive(
    fake: FakeTelegram,
    cmd: list[str],
    env: dict[str, str],
    db: Path,
    load: Path,
    work: Path,
    args: argparse.Namespace,
) -> dict[str, Any]:
    """Send commands at a steady rate before, during and after the ingest; collect latencies."""
    rows: list[dict[str, Any]] = []
    phase = "before"
    ingest: Any = None
    ingest_rusage: Any = None
    ingest_wall = 0.0
    load_start = os.getloadavg()
    interval = 1.0 / args.rate
    start = time.monotonic()
    phase_end = start + args.before
    done = threading.Event()

    def reap() -> None:  # wait4 gives the ingest's own CPU time
        nonlocal ingest_rusage
        _, _, ingest_rusage = os.wait4(ingest.pid, 0)
        done.set()

    i = 0
    ingest_started = 0.0
    while True:
        now = time.monotonic()
        if phase == "before" and now >= phase_end:
            phase = "during"
            ingest_started = now
            ingest = run_ingest(cmd, env, db, load, work / "ingest.log", args.ingest_nice)
            threading.Thread(target=reap, daemon=True).start()
        elif phase == "during" and done.is_set():
            ingest_wall = now - ingest_started
            phase, phase_end = "after", now + args.after
        elif phase == "after" and now >= phase_end:
            break
        chat = FIRST_CHAT + i
        command = COMMANDS[i % len(COMMANDS)]
        pushed = time.monotonic()
        fake.push_message(chat, command)
        rows.append({"chat": chat, "command": command, "phase": phase, "pushed": pushed})
        i += 1
        time.sleep(max(0.0, start + i * interval - time.monotonic()))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(answered(fake)) < len(rows):
        time.sleep(0.2)
    first = answered(fake)
    for r in rows:
        t = first.get(r["chat"])
        r["latency_ms"] = round((t - r["pushed"]) * 1000, 1) if t is not None else None
    report: dict[str, Any] = {
        "articles": args.articles,
        "base_articles": args.base,
        "rate_per_s": args.rate,
        "ingest_nice": args.ingest_nice,
        "bench_nice": os.nice(0),
        "src": str(args.src or ROOT),
        "ingest_wall_s": round(ingest_wall, 1),
        "ingest_cpu_s": round(ingest_rusage.ru_utime + ingest_rusage.ru_stime, 1)
        if ingest_rusage
        else None,
        "loadavg_start": [round(x, 2) for x in load_start],
        "loadavg_end": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }
    for name in ("before", "during", "after"):
        in_phase = [r for r in rows if r["phase"] == name]
        report[name] = summarize(in_phase)
        report[name]["by_command"] = {
            c: summarize([r for r in in_phase if r["command"] == c]) for c in COMMANDS
        }
    report["rows"] = rows
    return report


def answered(fake: FakeTelegram) -> dict[int, float]:
    """Chat -> when the bot's first message to it arrived (fake's monotonic clock)."""
    first: dict[int, float] = {}
    for c in fake.calls_of("sendMessage", ok=True):
        chat = c["params"].get("chat_id")
        if isinstance(chat, int) and chat >= FIRST_CHAT and chat not in first:
            first[chat] = c["time"]
    return first


if __name__ == "__main__":
    sys.exit(main())
