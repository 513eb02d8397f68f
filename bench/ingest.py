"""Ingest throughput through the real path: ingest_paths into a fresh SQLite file.

    python bench/ingest.py [--sizes 1000 10000] [--out bench/results/ingest.json]
                           [--workdir /tmp/briefbot-bench] [--seed 1] [--batch 1000]
                           [--time-limit 600] [--no-refresh] [--tracemalloc]

For each size, a synthetic corpus (bench/synth.py: events of 3-8 articles from different outlets,
~400-700 words, over 60 days) is ingested by ``bot.sources.ingest.ingest_paths`` (read, decode, clean,
duplicate check, story assignment, FTS triggers) in batches of ``--batch`` files, each size in its
own child process so peak memory (ru_maxrss) is per size. Reported: total articles/s, articles/s
and CPU ms per article (this process, the saver, and the reader workers) of every batch as the
database grows (first vs last shows whether cost per article stays flat; CPU time is what to
compare on a shared machine),
peak RSS, database size, cluster quality against the generator's ground truth, then the time of
computing every story's briefing and quotes (the body of ``bot.chat.views.refresh_dirty``, per story,
so the distribution is visible). A size that exceeds ``--time-limit`` seconds of ingest stops
early and reports its partial throughput. The 10,000-article database is kept for
bench/latency.py (``--db``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
import bot  # noqa: E402,F401  (before numpy, as in briefbot: one BLAS thread per process)

DEFAULT_WORKDIR = Path("/tmp/briefbot-bench")


def corpus(workdir: Path, n: int, seed: int) -> tuple[list[Path], dict[str, int]]:
    """The corpus for ``n`` articles (generated once per (n, seed), then reused)."""
    from synth import write_corpus

    folder = workdir / f"corpus_{n}_s{seed}"
    manifest = folder / "manifest.json"
    if not manifest.exists():
        write_corpus(folder, n, seed)
    truth: dict[str, int] = json.loads(manifest.read_text())
    paths = sorted(p for p in folder.glob("*.txt"))
    return paths, truth


def db_size(path: Path) -> int:
    """Bytes of the database and its WAL/SHM files."""
    return sum(
        p.stat().st_size for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()
    )


def cluster_quality(assigned: dict[str, int], truth: dict[str, int]) -> dict[str, Any]:
    """Purity (story -> majority event) and how many events were split or merged."""
    by_story: dict[int, Counter[int]] = defaultdict(Counter)
    by_event: dict[int, set[int]] = defaultdict(set)
    for name, sid in assigned.items():
        ev = truth[name]
        by_story[sid][ev] += 1
        by_event[ev].add(sid)
    pure = sum(c.most_common(1)[0][1] for c in by_story.values())
    # Completeness: share of an event's articles in that event's largest story.
    ev_counts: dict[int, Counter[int]] = defaultdict(Counter)
    for name, sid in assigned.items():
        ev_counts[truth[name]][sid] += 1
    complete = sum(c.most_common(1)[0][1] for c in ev_counts.values())
    n = max(1, len(assigned))
    sizes = sorted((sum(c.values()) for c in by_story.values()), reverse=True)
    return {
        "events": len(by_event),
        "stories": len(by_story),
        "purity": round(pure / n, 4),
        "completeness": round(complete / n, 4),
        "events_split": sum(1 for s in by_event.values() if len(s) > 1),
        "stories_merging_events": sum(1 for c in by_story.values() if len(c) > 1),
        "largest_story": sizes[0] if sizes else 0,
    }


def run_one(
    n: int, workdir: Path, seed: int, batch: int, time_limit: float, refresh: bool, trace: bool
) -> dict[str, Any]:
    """Ingest one corpus into a fresh DB (in this process) and measure."""
    if trace:
        import tracemalloc

        tracemalloc.start()
    from bot.chat.views import refresh_story
    from bot.sources.ingest import IngestReport, ingest_paths
    from bot.store import Store

    paths, truth = corpus(workdir, n, seed)
    db = workdir / f"ingest_{n}_s{seed}.db"
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    store = Store(db)
    report = IngestReport()
    batches: list[dict[str, Any]] = []
    t_start = time.perf_counter()
    partial = False
    def cpu(who: int) -> float:
        usage = resource.getrusage(who)
        return usage.ru_utime + usage.ru_stime

    for i in range(0, len(paths), batch):
        chunk = [str(p) for p in paths[i : i + batch]]
        t0 = time.perf_counter()
        main0, kids0 = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
        ingest_paths(store, chunk, report)
        dt = time.perf_counter() - t0
        # CPU per article: this process (the saver) and the reader workers, which exit (and are
        # accounted) at the end of each ingest_paths call. Unlike the rate, a busy machine
        # barely moves them.
        main_ms = (cpu(resource.RUSAGE_SELF) - main0) * 1000 / len(chunk)
        kids_ms = (cpu(resource.RUSAGE_CHILDREN) - kids0) * 1000 / len(chunk)
        batches.append(
            {
                "from": i,
                "to": i + len(chunk),
                "seconds": round(dt, 3),
                "rate": round(len(chunk) / dt, 1),
                "main_cpu_ms": round(main_ms, 2),
                "workers_cpu_ms": round(kids_ms, 2),
                "load": round(os.getloadavg()[0], 1),
            }
        )
        print(
            f"  [{n}] batch {i:>6}-{i + len(chunk):<6} {len(chunk) / dt:7.1f} articles/s, "
            f"CPU ms/article main {main_ms:.2f} workers {kids_ms:.2f} (load {os.getloadavg()[0]:.1f})",
            file=sys.stderr,
            flush=True,
        )
        if time.perf_counter() - t_start > time_limit and i + batch < len(paths):
            partial = True
            break
    ingest_s = time.perf_counter() - t_start
    done = batches[-1]["to"]
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assigned = {
        Path(r.input).name: int(r.story_id)
        for r in report.ingested
        if r.story_id is not None and r.duplicate_of is None
    }
    result: dict[str, Any] = {
        "size": n,
        "ingested": done,
        "partial": partial,
        "stored": store.article_count(),
        "duplicates": sum(1 for r in report.ingested if r.duplicate_of is not None),
        "errors": len(report.errors),
        "ingest_seconds": round(ingest_s, 2),
        "articles_per_s": round(done / ingest_s, 1),
        "first_batch_rate": batches[0]["rate"],
        "last_batch_rate": batches[-1]["rate"],
        "main_cpu_ms": round(sum(b["main_cpu_ms"] * (b["to"] - b["from"]) for b in batches) / done, 2),
        "workers_cpu_ms": round(
            sum(b["workers_cpu_ms"] * (b["to"] - b["from"]) for b in batches) / done, 2
        ),
        "first_batch_main_cpu_ms": batches[0]["main_cpu_ms"],
        "last_batch_main_cpu_ms": batches[-1]["main_cpu_ms"],
        "batches": batches,
        "db_bytes": db_size(db),
        "db_path": str(db),
        "cluster": cluster_quality(assigned, truth),
    }
    result["maxrss_mb_after_ingest"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
    )
    if refresh:
        per: list[float] = []
        sizes: list[int] = []
        t0 = time.perf_counter()
        for sid in store.dirty_stories():  # == bot.chat.views.refresh_dirty, timed per story
            s0 = time.perf_counter()
            views = refresh_story(store, sid)
            if views is not None:
                per.append(time.perf_counter() - s0)
                sizes.append(store.story_article_count(sid))
        total = time.perf_counter() - t0
        per_sorted = sorted(per)
        slowest = max(range(len(per)), key=per.__getitem__) if per else 0
        result["refresh"] = {
            "stories": len(per),
            "seconds": round(total, 2),
            "stories_per_s": round(len(per) / total, 1) if total else 0,
            "per_story_ms_p50": round(statistics.median(per) * 1000, 1) if per else 0,
            "per_story_ms_p95": round(per_sorted[int(0.95 * (len(per) - 1))] * 1000, 1) if per else 0,
            "per_story_ms_max": round(per_sorted[-1] * 1000, 1) if per else 0,
            "slowest_story_articles": sizes[slowest] if per else 0,
        }
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        result["db_bytes_with_views"] = db_size(db)
    result["maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if trace:
        import tracemalloc

        result["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1_048_576, 1)
    store.close()
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Run every size in a child process, print a table, write JSON."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    p.add_argument("--out", type=Path, default=HERE / "results" / "ingest.json")
    p.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--batch", type=int, default=1000)
    p.add_argument("--time-limit", type=float, default=600.0, help="seconds of ingest per size")
    p.add_argument("--no-refresh", action="store_true", help="skip computing briefings")
    p.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (slow)")
    p.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)

    if args.child:
        res = run_one(
            args.child, args.workdir, args.seed, args.batch, args.time_limit,
            not args.no_refresh, args.tracemalloc,
        )
        print(json.dumps(res))
        return 0

    results = []
    for n in args.sizes:
        cmd = [sys.executable, __file__, "--child", str(n), "--workdir", str(args.workdir),
               "--seed", str(args.seed), "--batch", str(args.batch),
               "--time-limit", str(args.time_limit)]
        if args.no_refresh:
            cmd.append("--no-refresh")
        if args.tracemalloc:
            cmd.append("--tracemalloc")
        print(f"ingesting {n} articles ...", file=sys.stderr, flush=True)
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONHASHSEED": "0"}).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))

    hdr = (f"{'size':>6} {'art/s':>7} {'1st batch':>9} {'last batch':>10} "
           f"{'CPU ms main/workers (1st, last main)':>37} {'maxRSS MB':>9} "
           f"{'DB MB':>6} {'stories':>7} {'events':>6} {'purity':>6} {'complete':>8} "
           f"{'refresh s':>9} {'ms/story p50/p95/max':>22}")
    print(hdr)
    for r in results:
        ref = r.get("refresh", {})
        c = r["cluster"]
        print(
            f"{r['ingested']:>6}{'*' if r['partial'] else ' '}{r['articles_per_s']:>6.1f} "
            f"{r['first_batch_rate']:>9.1f} {r['last_batch_rate']:>10.1f} "
            f"{r['main_cpu_ms']:>10.2f}/{r['workers_cpu_ms']:<6.2f} "
            f"({r['first_batch_main_cpu_ms']:.2f}, {r['last_batch_main_cpu_ms']:.2f}){'':>6} "
            f"{r['maxrss_mb']:>9.1f} "
            f"{r['db_bytes'] / 1_048_576:>6.1f} {c['stories']:>7} {c['events']:>6} "
            f"{c['purity']:>6.3f} {c['completeness']:>8.3f} {ref.get('seconds', 0):>9.1f} "
            f"{ref.get('per_story_ms_p50', 0):>7.0f}/{ref.get('per_story_ms_p95', 0):.0f}/"
            f"{ref.get('per_story_ms_max', 0):.0f}"
        )
    if any(r["partial"] for r in results):
        print("* partial: stopped at --time-limit")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"results": results, "cpus": os.cpu_count()}, indent=2))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
