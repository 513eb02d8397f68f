"""Ingest at scale (issue 17): cost per article, database size, memory and reply latency as the
database grows to ``--total`` articles.

    python bench/scale.py [--total 100000] [--batch 10000] [--workdir /tmp/briefbot-scale]
                          [--seed 1] [--samples 50] [--out bench/results/scale.json]
                          [--profile DIR]

The corpus is generated batch by batch (bench/synth.py's invented events and outlets): stories
of 3-12 outlets, every article 600-900 words with a URL, an author and a publication time in
Markdown front matter, in publication order over ``total / 500`` days. Each batch goes through
``bot.sources.ingest.ingest_paths`` (sandbox readers, duplicate check, story assignment, FTS)
into one database; after each, we report CPU ms per article of this process (the saver) and of
the reader workers (children, accounted when they exit at the end of the batch), wall time,
database size (with WAL), RSS now and peak, the story cache's hit rate, grouping quality
against the generator's events, and the latency of ``/stories`` (page 1) and ``/brief`` (top
story, its views computed once first, as the bot's views thread would) through
``bot.chat.commands.Commands.handle``, the code path of every chat message, p50/p95 over
``--samples`` calls. Run it niced on a shared machine; CPU times are what to compare.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib
import json
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import synth  # noqa: E402  (bench/synth.py, found through the path above)

import bot  # noqa: E402,F401  (before numpy, as in briefbot: one BLAS thread per process)

DEFAULT_WORKDIR = Path("/tmp/briefbot-scale")
BASE = datetime(2026, 1, 5, tzinfo=UTC)


def plan(total: int, seed: int) -> list[tuple[int, int, str, datetime, int]]:
    """Every article as (event, k, outlet, published, words), in publication order."""
    rng = random.Random(seed)
    days = max(30, total // 500)
    pool = synth.outlets()
    out: list[tuple[int, int, str, datetime, int]] = []
    eid = 0
    while len(out) < total:
        start = BASE + timedelta(minutes=rng.randrange(days * 24 * 60))
        size = min(rng.randint(3, 12), total - len(out))
        for k, outlet in enumerate(rng.sample(pool, size)):
            published = start + timedelta(minutes=rng.randrange(30, 36 * 60))
            out.append((eid, k, outlet, published, rng.randint(600, 900)))
        eid += 1
    out.sort(key=lambda t: (t[3], t[0], t[1]))
    return out


def render(seed: int, eid: int, k: int, outlet: str, published: datetime, n_words: int) -> str:
    """One Markdown article of about ``n_words`` words (deterministic by its arguments)."""
    ev = synth.make_event(eid, random.Random(f"event-{seed}-{eid}"), BASE.replace(tzinfo=None), 1)
    rng = random.Random(f"article-{seed}-{eid}-{k}")
    lines = synth.article_text(ev, k, outlet, rng)[0].splitlines()
    title, byline = lines[1], lines[2]
    paras = [p for p in "\n".join(lines[4:]).split("\n\n") if p.strip() and "\u00a9" not in p]
    extra = 0
    while sum(len(p.split()) for p in paras) < n_words and extra < 6:
        extra += 1  # more of the same outlet's reporting on the event, headers dropped
        more = synth.article_text(ev, k, outlet, rng)[0].splitlines()
        paras += [p for p in "\n".join(more[5:]).split("\n\n") if p.strip() and "\u00a9" not in p]
    body: list[str] = []
    count = 0
    for p in paras:
        if count >= n_words:
            break
        body.append(p)
        count += len(p.split())
    slug = "-".join(w.lower() for w in title.split()[:6] if w.isalnum())
    url = f"https://{outlet.lower().replace(' ', '')}.example/{published:%Y/%m/%d}/{slug}-{eid}-{k}"
    author = byline.removeprefix("By ").split(",")[0]
    meta = {"title": title, "url": url, "outlet": outlet, "author": author}
    meta["published"] = published.isoformat()
    front = "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in meta.items()) + "---\n\n"
    return front + "\n\n".join(body) + "\n"


def write_batch(
    folder: Path, seed: int, items: Sequence[tuple[int, int, str, datetime, int]], offset: int
) -> tuple[list[Path], dict[str, int]]:
    """Write one batch's files; returns them and file name -> event."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    truth: dict[str, int] = {}
    for i, (eid, k, outlet, published, n_words) in enumerate(items):
        path = folder / f"{offset + i:07d}_e{eid}_{k}.md"
        if not path.exists():
            path.write_text(render(seed, eid, k, outlet, published, n_words), encoding="utf-8")
        paths.append(path)
        truth[path.name] = eid
    return paths, truth


def cpu(usage: resource.struct_rusage) -> float:
    """User plus system seconds."""
    return usage.ru_utime + usage.ru_stime


def rss_mb() -> float:
    """Current resident memory of this process in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def db_bytes(path: Path) -> int:
    """Bytes of the database with its WAL and shared-memory files."""
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists())


def stats_ms(samples: Sequence[float]) -> dict[str, float]:
    """p50/p95/max in milliseconds."""
    s = sorted(samples)
    return {
        "p50": round(statistics.median(s) * 1000, 2),
        "p95": round(s[min(len(s) - 1, round(0.95 * (len(s) - 1)))] * 1000, 2),
        "max": round(s[-1] * 1000, 2),
    }


def latency(db: Path, samples: int, now: datetime) -> dict[str, Any]:
    """/stories page 1 and /brief (top story) through the chat command layer."""
    from bot.chat.commands import Caller, Commands
    from bot.config import Settings
    from bot.store import Store

    async def run() -> dict[str, Any]:
        with Store(db) as store:
            commands = Commands(store, Settings.from_env({}), clock=lambda: now)
            caller = Caller(chat_id=1, user_id=1)

            async def timed(cmd: str) -> float:
                t0 = time.perf_counter()
                reply = await commands.handle(cmd, caller)
                assert reply.paragraphs, cmd
                return time.perf_counter() - t0

            t0 = time.perf_counter()
            await timed("/brief")  # the top story's views, computed once like the views thread
            first_brief = time.perf_counter() - t0
            await timed("/stories")
            stories = [await timed("/stories") for _ in range(samples)]
            brief = [await timed("/brief") for _ in range(samples)]
            return {
                "stories_page1_ms": stats_ms(stories),
                "brief_top_ms": stats_ms(brief),
                "brief_top_first_s": round(first_brief, 2),
            }

    return asyncio.run(run())


def main(argv: Sequence[str] | None = None) -> int:
    """Ingest batch by batch, measure after each, write JSON."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--total", type=int, default=100_000)
    p.add_argument("--batch", type=int, default=10_000)
    p.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--samples", type=int, default=50)
    p.add_argument("--keep-files", action="store_true", help="keep each batch's files")
    p.add_argument("--out", type=Path, default=HERE / "results" / "scale.json")
    p.add_argument(
        "--profile",
        type=Path,
        help="write a cProfile of the saving process per batch into this folder (slows it)",
    )
    args = p.parse_args(argv)

    from ingest import cluster_quality  # bench/ingest.py

    for module in ("bot.chat.commands", "bot.config"):  # now: a long run keeps the code it began with
        importlib.import_module(module)
    from bot.sources.ingest import IngestReport, ingest_paths
    from bot.store import Store

    args.workdir.mkdir(parents=True, exist_ok=True)
    db = args.workdir / f"scale_s{args.seed}.db"
    for f in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        f.unlink(missing_ok=True)
    items = plan(args.total, args.seed)
    truth: dict[str, int] = {}
    assigned: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    print(
        f"{'articles':>8} {'main ms/a':>9} {'workers ms/a':>12} {'wall a/s':>8} {'DB MB':>7} "
        f"{'RSS MB':>7} {'peak MB':>7} {'cache hit':>9} {'stories p50/p95':>16} "
        f"{'/brief p50/p95':>15} {'purity':>6}",
        flush=True,
    )
    store = Store(db)
    try:
        for start in range(0, args.total, args.batch):
            chunk = items[start : start + args.batch]
            folder = args.workdir / f"batch_{start // args.batch:03d}"
            paths, batch_truth = write_batch(folder, args.seed, chunk, start)
            truth.update(batch_truth)
            cache = store.story_cache
            hits0, misses0 = cache.hits, cache.misses
            self0 = resource.getrusage(resource.RUSAGE_SELF)
            kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            profiler = cProfile.Profile(time.process_time) if args.profile else None
            if profiler is not None:
                profiler.enable()
            report = ingest_paths(store, [str(x) for x in paths], IngestReport())
            if profiler is not None:
                profiler.disable()
                args.profile.mkdir(parents=True, exist_ok=True)
                profiler.dump_stats(args.profile / f"batch_{start // args.batch:03d}.prof")
            wall = time.perf_counter() - t0
            main_ms = (cpu(resource.getrusage(resource.RUSAGE_SELF)) - cpu(self0)) * 1000 / len(paths)
            kids_ms = (
                (cpu(resource.getrusage(resource.RUSAGE_CHILDREN)) - cpu(kids0)) * 1000 / len(paths)
            )
            for r in report.ingested:
                if r.story_id is not None and r.duplicate_of is None:
                    assigned[Path(r.input).name] = r.story_id
            store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            lookups = (cache.hits - hits0) + (cache.misses - misses0)
            done = start + len(chunk)
            now = max(c[3] for c in items[:done]) + timedelta(hours=1)
            lat = latency(db, args.samples, now)
            quality = cluster_quality(assigned, truth)
            row = {
                "articles": done,
                "batch": len(chunk),
                "errors": len(report.errors),
                "duplicates": sum(1 for r in report.ingested if r.duplicate_of is not None),
                "main_cpu_ms_per_article": round(main_ms, 2),
                "workers_cpu_ms_per_article": round(kids_ms, 2),
                "wall_articles_per_s": round(len(chunk) / wall, 1),
                "db_mb": round(db_bytes(db) / 1_048_576, 1),
                "rss_mb": round(rss_mb(), 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "story_cache_hit_rate": round((cache.hits - hits0) / lookups, 3) if lookups else None,
                "load_average": os.getloadavg(),
                **lat,
                "cluster": quality,
            }
            rows.append(row)
            print(
                f"{done:>8} {main_ms:>9.2f} {kids_ms:>12.2f} {row['wall_articles_per_s']:>8.1f} "
                f"{row['db_mb']:>7.1f} {row['rss_mb']:>7.1f} {row['peak_rss_mb']:>7.1f} "
                f"{row['story_cache_hit_rate'] or 0:>9.3f} "
                f"{lat['stories_page1_ms']['p50']:>7.2f}/{lat['stories_page1_ms']['p95']:<8.2f} "
                f"{lat['brief_top_ms']['p50']:>6.2f}/{lat['brief_top_ms']['p95']:<8.2f} "
                f"{quality['purity']:>6.3f}   load {row['load_average'][0]:.1f}",
                flush=True,
            )
            if not args.keep_files:
                for x in paths:
                    x.unlink()
                folder.rmdir()
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(
                json.dumps({"total": args.total, "cpus": os.cpu_count(), "batches": rows}, indent=2)
            )
    finally:
        store.close()
    first, last = rows[0], rows[-1]
    ratio = last["main_cpu_ms_per_article"] / max(first["main_cpu_ms_per_article"], 1e-9)
    print(f"main CPU per article, last batch / first batch: {ratio:.2f}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
