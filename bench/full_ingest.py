"""Wall time of a full `briefbot ingest` (reading, saving and every story's views) on N articles.

    python bench/full_ingest.py [--n 10000] [--seed 1] [--src CHECKOUT] [--workdir DIR]

The real command line, as a user runs it: ``briefbot --db DB ingest FOLDER`` over a synthetic
corpus (bench/synth.py: events of 3-8 outlets, ~400-700 words, 60 days), into a fresh database;
it returns once every changed story's briefing and quotes are cached. ``--src`` runs another
checkout of the code (e.g. ``git worktree add /tmp/old <commit>``) with the same interpreter,
so two versions are compared on the same corpus and machine. Reported: wall seconds, articles per second, stories, stories whose
views are still missing (should be 0), and the machine's load average before and after; run it
on a quiet machine: wall time is what it measures.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bot_under_load import briefbot  # noqa: E402
from synth import write_corpus  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--src", type=Path, help="run this checkout's code instead of the installed one")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/briefbot-full-ingest"))
    args = ap.parse_args(argv)
    corpus = args.workdir / f"corpus-{args.n}-{args.seed}"
    if not corpus.is_dir():
        write_corpus(corpus, args.n, args.seed)
        (corpus / "manifest.json").unlink()
    db = args.workdir / "full.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    cmd, env = briefbot(args.src)
    env["BRIEFBOT_LOG_LEVEL"] = "ERROR"
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    done = subprocess.run(
        [*cmd, "--db", str(db), "ingest", str(corpus)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        cwd=args.workdir,  # not the repository: `python -m bot` puts the working directory first
        check=False,
    )
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        print(done.stderr.decode(errors="replace")[-2000:], file=sys.stderr)
    with sqlite3.connect(db) as conn:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        stories = conn.execute("SELECT count(*) FROM stories WHERE article_count > 0").fetchone()[0]
        missing = conn.execute(
            "SELECT count(*) FROM stories WHERE article_count > 0 AND briefing IS NULL"
        ).fetchone()[0]
    result = {
        "src": str(args.src or "installed"),
        "n": args.n,
        "exit": done.returncode,
        "wall_s": round(wall, 1),
        "articles_per_s": round(articles / wall, 1),
        "articles": articles,
        "stories": stories,
        "views_missing": missing,
        "load_before": round(load_before, 1),
        "load_after": round(os.getloadavg()[0], 1),
        "cores": len(os.sched_getaffinity(0)),
    }
    print(json.dumps(result))
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
