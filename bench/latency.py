"""Cached /brief latency on a 10,000-article database, and the running bot's resident memory.

    python bench/latency.py [--db /tmp/briefbot-bench/ingest_10000_s1.db] [--stories 200]
                            [--bot-commands 50] [--no-bot] [--out bench/results/latency.json]

In-process (one event loop, like the bot): every story's views are cached first (the body of
``bot.chat.views.refresh_dirty``), then for ``--stories`` random stories (seeded) we time
``Commands.handle("/brief <id>", Caller(...))`` and the raw ``store.cached_briefing(id)`` read,
plus ``/brief <words>`` (full-text search: two title words of a random story), ``/quotes <id>``,
``/sources <id>`` and ``/stories [page]``. Targets: handler p95 < 50 ms, cached read p95 < 20 ms.

Process: the real ``briefbot run`` (tests/bot_process.py) against a FakeTelegram
(tests/fake_telegram.py) on the same database; we send ``--bot-commands`` /brief commands, wait
for every answer, and read VmRSS/VmHWM from /proc/<pid>/status (target VmRSS < 150 MB).

Without ``--db`` (or if the file is missing) the database is built by bench/ingest.py first.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))
import bot  # noqa: E402,F401  (before numpy, as in briefbot: one BLAS thread per process)

DEFAULT_DB = Path("/tmp/briefbot-bench/ingest_10000_s1.db")


def stats_ms(samples: Sequence[float]) -> dict[str, float]:
    """p50/p95/max in milliseconds."""
    s = sorted(samples)
    if not s:
        return {"n": 0}
    return {
        "n": len(s),
        "p50": round(statistics.median(s) * 1000, 2),
        "p95": round(s[min(len(s) - 1, round(0.95 * (len(s) - 1)))] * 1000, 2),
        "max": round(s[-1] * 1000, 2),
    }


async def timed(fn: Callable[[], Awaitable[Any]]) -> float:
    """Seconds one awaitable took."""
    t0 = time.perf_counter()
    await fn()
    return time.perf_counter() - t0


async def in_process(db: Path, n: int, seed: int) -> dict[str, Any]:
    """Handler and cached-read latencies."""
    from bot.chat.commands import Caller, Commands
    from bot.chat.views import refresh_story
    from bot.config import Settings
    from bot.store import Store

    store = Store(db)
    t0 = time.perf_counter()
    dirty = store.dirty_stories()
    for sid in dirty:  # == bot.chat.views.refresh_dirty
        refresh_story(store, sid)
    warm_s = time.perf_counter() - t0
    commands = Commands(store, Settings.from_env({}))
    caller = Caller(chat_id=1, user_id=1)
    rng = random.Random(seed)
    all_stories = store.stories()
    picked = rng.sample(all_stories, min(n, len(all_stories)))
    out: dict[str, Any] = {
        "articles": store.article_count(),
        "stories": len(all_stories),
        "refreshed_before": len(dirty),
        "refresh_seconds": round(warm_s, 2),
    }

    async def handle(cmd: str) -> None:
        reply = await commands.handle(cmd, caller)
        assert reply.paragraphs, cmd

    # One warm-up call so imports and statement caches do not count.
    await handle(f"/brief {picked[0].id}")
    brief = [await timed(functools.partial(handle, f"/brief {s.id}")) for s in picked]
    cached = []
    for s in picked:
        t = time.perf_counter()
        b = store.cached_briefing(s.id)
        cached.append(time.perf_counter() - t)
        assert b is not None
    quotes = [await timed(functools.partial(handle, f"/quotes {s.id}")) for s in picked[:100]]
    sources = [await timed(functools.partial(handle, f"/sources {s.id}")) for s in picked[:100]]
    words = []
    queries = []
    for s in picked[:100]:
        toks = [t for t in re.findall(r"[A-Za-z][a-z]+", s.title) if len(t) > 3]
        queries.append(" ".join(toks[:2]) or s.title)
    for q in queries:
        words.append(await timed(functools.partial(handle, f"/brief {q}")))
    pages = max(1, len(all_stories) // 8)
    stories = [await timed(lambda: handle("/stories")) for _ in range(50)]
    stories_deep = [
        await timed(functools.partial(handle, f"/stories {p}"))
        for p in [rng.randrange(1, pages + 1) for _ in range(50)]
    ]
    top = [await timed(lambda: handle("/brief")) for _ in range(20)]
    store.close()
    out.update(
        {
            "brief_id": stats_ms(brief),
            "cached_briefing_read": stats_ms(cached),
            "quotes_id": stats_ms(quotes),
            "sources_id": stats_ms(sources),
            "brief_words": stats_ms(words),
            "stories_page1": stats_ms(stories),
            "stories_random_page": stats_ms(stories_deep),
            "brief_top_no_args": stats_ms(top),
            "sample_queries": queries[:5],
        }
    )
    return out


def proc_status(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (MB) of a process."""
    out: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, val = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = round(int(val.split()[0]) / 1024, 1)
    return out


def bot_process(db: Path, n: int, seed: int, workdir: Path) -> dict[str, Any]:
    """Resident memory of `briefbot run` before and after answering ``n`` /brief commands."""
    from bot_process import TOKEN, BotProcess
    from fake_telegram import FakeTelegram

    from bot.store import Store

    with Store(db) as store:
        ids = [s.id for s in store.stories()]
    rng = random.Random(seed + 1)
    picked = rng.sample(ids, min(n, len(ids)))
    workdir.mkdir(parents=True, exist_ok=True)
    with FakeTelegram() as fake:
        env = {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE": fake.base_url,
            "BRIEFBOT_DB": str(db),
            "BRIEFBOT_LOG_LEVEL": "WARNING",
        }
        proc = BotProcess(workdir, env).start()
        try:
            assert proc.proc is not None
            pid = proc.proc.pid
            fake.wait_for("setMyCommands", timeout=60)
            fake.wait_for("getUpdates", timeout=30)
            time.sleep(1.0)
            idle = proc_status(pid)
            t0 = time.perf_counter()
            for i, sid in enumerate(picked):
                fake.push_message(50_000 + i, f"/brief {sid}")
            chats = {50_000 + i for i in range(len(picked))}

            def answered() -> bool:
                got = {m["chat_id"] for m in fake.sent_messages()}
                return chats <= got

            deadline = time.monotonic() + 120
            while not answered() and time.monotonic() < deadline:
                time.sleep(0.05)
            elapsed = time.perf_counter() - t0
            got = {m["chat_id"] for m in fake.sent_messages()} & chats
            after = proc_status(pid)
        finally:
            code = proc.stop()
    return {
        "commands": len(picked),
        "answered": len(got),
        "seconds_for_all": round(elapsed, 2),
        "idle": idle,
        "after": after,
        "exit_code": code,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run both parts, print a table, write JSON."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--db", type=Path, default=DEFAULT_DB)
    p.add_argument("--stories", type=int, default=200)
    p.add_argument("--bot-commands", type=int, default=50)
    p.add_argument("--no-bot", action="store_true")
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--workdir", type=Path, default=Path("/tmp/briefbot-bench"))
    p.add_argument("--out", type=Path, default=HERE / "results" / "latency.json")
    args = p.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db} missing: building it with bench/ingest.py --sizes 10000", file=sys.stderr)
        subprocess.run(
            [sys.executable, str(HERE / "ingest.py"), "--sizes", "10000", "--workdir",
             str(args.workdir), "--out", str(args.workdir / "ingest_for_latency.json")],
            check=True,
        )
        args.db = args.workdir / "ingest_10000_s1.db"
    res: dict[str, Any] = {"db": str(args.db)}
    res["in_process"] = asyncio.run(in_process(args.db, args.stories, args.seed))
    if not args.no_bot:
        res["bot_process"] = bot_process(args.db, args.bot_commands, args.seed, args.workdir)
    ip = res["in_process"]
    print(f"db: {args.db} ({ip['articles']} articles, {ip['stories']} stories)")
    print(f"{'operation':<28} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for key in ("brief_id", "cached_briefing_read", "quotes_id", "sources_id", "brief_words",
                "stories_page1", "stories_random_page", "brief_top_no_args"):
        s = ip[key]
        print(f"{key:<28} {s['n']:>4} {s['p50']:>8.2f} {s['p95']:>8.2f} {s['max']:>8.2f}")
    if "bot_process" in res:
        b = res["bot_process"]
        print(
            f"briefbot run: idle VmRSS {b['idle'].get('VmRSS')} MB; after {b['answered']}/"
            f"{b['commands']} /brief: VmRSS {b['after'].get('VmRSS')} MB, VmHWM "
            f"{b['after'].get('VmHWM')} MB; all answered in {b['seconds_for_all']} s"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=2))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
