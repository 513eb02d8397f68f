"""Digest fan-out: 1,000 subscribers through the real sending path against a rate-limited fake.

    python bench/digest.py [--chats 1000] [--limit 30] [--rates 30 25 20 1/0.035 1/0.04]
                           [--out bench/results/digest.json]

A FakeTelegram (tests/fake_telegram.py) answers 429 (retry_after 1 s) above ``--limit``
sendMessage calls in any sliding second. A fresh Store holds a few stories dated now (synthetic
articles, briefings precomputed) and ``--chats`` subscriptions. The PTB Application comes from
``bot.telegram.app.build_application`` (TolerantBot + AIORateLimiter with retries), is started
with ``async with app:``, and every chat's digest goes through ``bot.digest.digest.deliver`` with
``BotRuntime.send_digest`` - all chats at once (asyncio.gather), like a shared digest time, each
claimed and sent inside the runtime's DigestGate (aiolimiter pacing, one digest in flight).

Each ``--rates`` value is one run: 30 is build_application exactly as shipped (PTB's default
overall_max_rate=30); other values swap in AIORateLimiter(overall_max_rate=R,
overall_time_period=P, max_retries=5) through the module name build_application uses; "R/P"
sets both ("1/0.035": one message per 35 ms, i.e. a bucket that never bursts). Reported per run: delivered (distinct chats with
exactly one successful sendMessage), duplicates (chats with more than one), missing, 429s
answered, deliver() statuses, elapsed seconds and achieved messages/s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import logging
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))

TOKEN = "4242:BENCH-token"


def build_store(path: Path, chats: int, stories: int, seed: int) -> Any:
    """A store with ``stories`` fresh events (3-8 articles each, dated within the last hours)."""
    from synth import generate

    from bot.chat.views import refresh_dirty
    from bot.sources.ingest import parse_bytes, save_article
    from bot.store import Store

    store = Store(path)
    now = datetime.now(UTC)
    arts = generate(stories * 6, seed=seed)
    events = sorted({e for _, _, e, _ in arts})[:stories]
    k = 0
    for name, text, eid, _pub in arts:
        if eid not in events:
            continue
        doc = parse_bytes(text.encode(), "txt", name)
        doc = replace(doc, published=now - timedelta(minutes=20 + 7 * k))
        save_article(store, doc, name)
        k += 1
    refresh_dirty(store)
    for i in range(chats):
        store.subscribe(100_000 + i, "00:00", "UTC", 5)
    return store


def parse_rate(spec: str) -> tuple[float, float]:
    """'30' -> (30, 1.0); '1/0.035' -> one message per 35 ms (a leaky bucket with no burst)."""
    if "/" in spec:
        r, period = spec.split("/", 1)
        return float(r), float(period)
    return float(spec), 1.0


def _fake_server(conn: Any, limit: int) -> None:
    """Child process: a FakeTelegram answering 429 above ``limit``/s, driven over a pipe."""
    from fake_telegram import FakeTelegram

    with FakeTelegram() as fake:
        fake.limit_rate("sendMessage", per_second=limit, retry_after=1)
        conn.send(fake.base_url)
        while True:
            cmd = conn.recv()
            if cmd == "clear":
                fake.clear_calls()
                conn.send(True)
            elif cmd == "calls":
                conn.send(
                    [
                        {k: c.get(k) for k in ("ok", "error_code", "time")}
                        | {"params": {"chat_id": c["params"].get("chat_id")}}
                        for c in fake.calls_of("sendMessage")
                    ]
                )
            else:
                conn.send(True)
                return


class RemoteFake:
    """The fake Bot API server in its own process, like the real Telegram: the bot's event loop
    and the server no longer share one interpreter lock, so arrivals are not bunched by it."""

    def __init__(self, limit: int) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_fake_server, args=(child, limit), daemon=True)
        self.proc.start()
        self.base_url = str(self.conn.recv())

    def clear_calls(self) -> None:
        self.conn.send("clear")
        self.conn.recv()

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        assert method == "sendMessage"
        self.conn.send("calls")
        return list(self.conn.recv())

    def close(self) -> None:
        self.conn.send("stop")
        self.conn.recv()
        self.proc.join(10)


async def run(
    chats: int,
    rate_spec: str,
    limit: int,
    stories: int,
    seed: int,
    separate: bool = True,
    in_flight: int = 1,
) -> dict[str, Any]:
    """One fan-out run; returns its measurements."""
    from fake_telegram import FakeTelegram
    from telegram.ext import AIORateLimiter

    from bot.config import Settings
    from bot.digest import digest
    from bot.telegram import app as telegram_app

    rate, period = parse_rate(rate_spec)
    names = vars(telegram_app)  # the app module's globals: its limiter class is swapped here
    original = names["AIORateLimiter"]
    if (rate, period) != (30, 1.0):
        names["AIORateLimiter"] = functools.partial(
            AIORateLimiter, overall_max_rate=rate, overall_time_period=period
        )
    try:
        with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
            fake: Any
            if separate:
                fake = RemoteFake(limit)
                stack.callback(fake.close)
            else:
                fake = stack.enter_context(FakeTelegram())
                fake.limit_rate("sendMessage", per_second=limit, retry_after=1)
            store = build_store(Path(tmp) / "digest.db", chats, stories, seed)
            settings = Settings.from_env(
                {
                    "TELEGRAM_BOT_TOKEN": TOKEN,
                    "TELEGRAM_API_BASE": fake.base_url,
                    "BRIEFBOT_DIGEST_IN_FLIGHT": str(in_flight),
                }
            )
            app = telegram_app.build_application(settings, store)
            rt = app.bot_data["runtime"]

            async def send(cid: int, reply: Any) -> None:
                await rt.send_digest(app, cid, reply)

            subs = store.subscriptions()
            async with app:
                fake.clear_calls()
                t0 = time.perf_counter()
                statuses = await asyncio.gather(
                    *(
                        digest.deliver(
                            rt.commands, cid, zone, n, send, empty_note=True, gate=rt.digest_gate.slot
                        )
                        for cid, _at, zone, n in subs
                    ),
                    return_exceptions=True,
                )
                elapsed = time.perf_counter() - t0
            calls = fake.calls_of("sendMessage")
            ok = [c for c in calls if c["ok"]]
            per_chat = Counter(c["params"]["chat_id"] for c in ok)
            got_429 = sum(1 for c in calls if c.get("error_code") == 429)
            store.close()
    finally:
        names["AIORateLimiter"] = original
    times = sorted(c["time"] for c in ok)
    span = (times[-1] - times[0]) if len(times) > 1 else 0.0
    return {
        "overall_max_rate": rate,
        "overall_time_period": period,
        "fake_in_own_process": separate,
        "setting": rate_spec,
        "nominal_per_s": round(rate / period, 1),
        "chats": chats,
        "in_flight": in_flight,
        "delivered": sum(1 for v in per_chat.values() if v == 1),
        "duplicates": sum(1 for v in per_chat.values() if v > 1),
        "missing": chats - len(per_chat),
        "sendMessage_ok": len(ok),
        "answered_429": got_429,
        "statuses": dict(
            Counter(s if isinstance(s, str) else type(s).__name__ for s in statuses)
        ),
        "elapsed_s": round(elapsed, 2),
        "rate_msgs_per_s": round(len(ok) / elapsed, 2) if elapsed else 0.0,
        "rate_first_to_last_ok": round((len(ok) - 1) / span, 2) if span else 0.0,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run every rate setting, print a table, write JSON."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--chats", type=int, default=1000)
    p.add_argument("--limit", type=int, default=30, help="fake server: sendMessage per second")
    p.add_argument("--rates", nargs="+", default=["30", "25", "20", "1/0.035", "1/0.04"],
                   help="overall_max_rate[/overall_time_period]; 30 = as shipped")
    p.add_argument("--stories", type=int, default=4)
    p.add_argument("--seed", type=int, default=3)
    p.add_argument("--same-process", action="store_true",
                   help="run the fake server in this process (its window then sees bunched arrivals)")
    p.add_argument("--in-flight", type=int, default=1,
                   help="BRIEFBOT_DIGEST_IN_FLIGHT: digests between claim and answer at once")
    p.add_argument("--out", type=Path, default=HERE / "results" / "digest.json")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore")
    results = []
    for rate in args.rates:
        print(f"run: {rate}, {args.chats} chats ...", file=sys.stderr, flush=True)
        results.append(
            asyncio.run(
                run(
                    args.chats,
                    rate,
                    args.limit,
                    args.stories,
                    args.seed,
                    not args.same_process,
                    args.in_flight,
                )
            )
        )
    print(f"{'rate/period':>11} {'nominal/s':>9} {'delivered':>9} {'dupes':>5} {'missing':>7} {'429s':>5} "
          f"{'elapsed s':>9} {'msg/s':>6}  statuses")
    for r in results:
        print(f"{r['setting']:>11} {r['nominal_per_s']:>9} {r['delivered']:>9} {r['duplicates']:>5} "
              f"{r['missing']:>7} {r['answered_429']:>5} {r['elapsed_s']:>9.1f} "
              f"{r['rate_msgs_per_s']:>6.1f}  {r['statuses']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"fake_limit_per_s": args.limit, "results": results}, indent=2))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
