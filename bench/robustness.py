"""Robustness: replay hostile inputs and every dev-set feed; count errors, crashes, hangs, memory.

Four runs, each on the real code paths:

1. ``files``: our own generated attack files (impossible dates, YAML alias bombs, JSON nested
   100,000 deep, 100k ``<p>``, a 10 MB text, binary junk, a named pipe, a non-UTF-8 file name,
   broken links, ...) plus good files, ingested by the real ``briefbot ingest --json`` process;
1b. ``big``: a 10 MB text and a 10 MB HTML page, each alone through ``briefbot ingest --json``
   (wall and processor time, peak memory: the bounded-work check);
2. ``http``: a hostile HTTP server on 127.0.0.1 (decompression bombs, endless and dripping
   bodies, redirect loops, redirects and entry links to internal addresses, feeds with 10,000
   entries or 1 MB pages, malformed and deeply nested feeds) through ``fetch_url_docs`` and a
   ``poll_round``, with a second server on 127.0.0.2 standing for an internal admin page;
3. ``devset``: every file of ``../shared/devsets/feeds`` served over local HTTP and ingested as
   a URL (skipped when the folder is absent).

Outcomes per input: stored (at least one article), clear error (one line, not an internal
error), crash (traceback, internal error, missing from the report, invalid JSON), hang (over
its time bound). Peak memory is the largest sum of resident memory over this process and every
descendant (sampled every 0.1 s). Usage: ``python bench/robustness.py [--only files,big,http,devset]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from hostile import (  # noqa: E402
    Answer,
    Hostile,
    hostile_routes,
    write_attack_files,
    write_big_files,
)

DEVSET = ROOT.parent / "shared" / "devsets" / "feeds"
RESULTS = ROOT / "bench" / "results" / "robustness.json"
# --- memory -------------------------------------------------------------------------------------


class PeakMemory:
    """Samples the summed PSS of this process and all its descendants in a background thread.

    PSS (proportional set size) splits pages shared by forked workers between them, so the sum
    is the memory the tree really uses (summed RSS would count the shared imports once per
    worker); RSS is the fallback where smaps_rollup is missing.
    """

    def __init__(self) -> None:
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.1):
            parents: dict[int, int] = {}
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                try:
                    with open(f"/proc/{entry}/stat", "rb") as fh:
                        parents[int(entry)] = int(fh.read().rsplit(b")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
            tree, grew = {me}, True
            while grew:
                grew = False
                for pid, ppid in parents.items():
                    if ppid in tree and pid not in tree:
                        tree.add(pid)
                        grew = True
            self.peak_mb = max(self.peak_mb, sum(_pss_mb(pid) for pid in tree))

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _pss_mb(pid: int) -> float:
    """Proportional set size of a process in MB (RSS where PSS is not available)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * 4096 / 1_048_576
    except (OSError, IndexError, ValueError):
        return 0.0


@dataclass
class Tally:
    """Outcomes of one run."""

    name: str
    tried: int = 0
    stored: int = 0
    errors: int = 0
    crashes: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    aborted_batches: int = 0
    peak_mb: float = 0.0
    seconds: float = 0.0
    notes: dict[str, object] = field(default_factory=dict)

    def outcome(self, name: str, stored: bool, error: str | None) -> None:
        """Count one input: stored, a clear error, or a crash."""
        self.tried += 1
        if stored:
            self.stored += 1
        elif error is not None and "internal error" not in error and "\n" not in error:
            self.errors += 1
        else:
            self.crashes.append(f"{name}: {error}")


# --- 1. files


def run_files(work: Path) -> Tally:
    """The attack folder through the real `briefbot ingest --json` process."""
    tally = Tally("files (generated attacks)")
    folder = work / "attacks"
    names = write_attack_files(folder, random.Random(16))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "TELEGRAM_"))}
    env.update(LANG="C.UTF-8", PYTHONPATH=str(ROOT))
    cmd = [
        sys.executable,
        "-m",
        "bot",
        "--db",
        str(work / "files.db"),
        "ingest",
        "--json",
        str(folder),
    ]
    start = time.monotonic()
    with PeakMemory() as mem:
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, timeout=900, cwd=work)
        except subprocess.TimeoutExpired:
            tally.hangs.append("the whole batch")
            tally.aborted_batches += 1
            return tally
    tally.seconds, tally.peak_mb = time.monotonic() - start, mem.peak_mb
    try:
        report = json.loads(proc.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        tally.aborted_batches += 1
        tally.crashes.append(proc.stderr.decode(errors="replace")[-500:])
        return tally
    if b"Traceback" in proc.stderr:
        tally.crashes.append("traceback on stderr")
    stored = {Path(i["input"]).name for i in report["ingested"]}
    errors = {Path(e["input"]).name: e["error"] for e in report["errors"]}
    for name in sorted(names):
        shown = (
            os.fsdecode(os.fsencode(name))
            .encode("utf-8", "surrogateescape")
            .decode("utf-8", "replace")
        )
        tally.outcome(shown, shown in stored, errors.get(shown))
        if shown in errors:
            tally.notes[shown] = errors[shown]
    tally.notes["stored"] = sorted(stored)
    return tally


# --- 1b. one 10 MB input at a time


def run_big(work: Path) -> Tally:
    """A 10 MB text and a 10 MB page, each alone through `briefbot ingest --json`: time, memory."""
    import resource

    tally = Tally("big (10 MB text, 10 MB HTML)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "TELEGRAM_"))}
    env.update(LANG="C.UTF-8", PYTHONPATH=str(ROOT))
    for path in write_big_files(work / "big", random.Random(10)):
        cmd = [sys.executable, "-m", "bot", "--db", str(work / f"{path.stem}.db")]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        with PeakMemory() as mem:
            try:
                proc = subprocess.run(
                    [*cmd, "ingest", "--json", str(path)], env=env, capture_output=True, timeout=900
                )
            except subprocess.TimeoutExpired:
                tally.tried += 1
                tally.hangs.append(path.name)
                continue
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        seconds = time.monotonic() - start
        tally.seconds += seconds
        tally.peak_mb = max(tally.peak_mb, mem.peak_mb)
        try:
            report = json.loads(proc.stdout.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            tally.aborted_batches += 1
            tally.crashes.append(proc.stderr.decode(errors="replace")[-500:])
            continue
        error = report["errors"][0]["error"] if report["errors"] else None
        tally.outcome(path.name, bool(report["ingested"]), error)
        tally.notes[path.name] = {
            "wall_s": round(seconds, 1),
            "cpu_s": round(cpu, 1),
            "peak_mb": round(mem.peak_mb),
            "outcome": "stored" if report["ingested"] else error,
            "load": round(os.getloadavg()[0], 1),
        }
    return tally


# --- 2. a hostile HTTP server


async def run_http(work: Path) -> Tally:
    """Every hostile route as an ingested URL, then one poll round over the feeds."""
    from bot.config import Settings
    from bot.sources.live import fetch_url_docs, poll_round
    from bot.sources.sandbox import shared_sandbox
    from bot.store import Store

    tally = Tally("http (hostile server)")
    srv, admin = Hostile("127.0.0.1"), Hostile("127.0.0.2")
    what = hostile_routes(srv, admin, random.Random(7))
    settings = Settings(fetch_allow=("127.0.0.1",), fetch_timeout=5.0)
    start = time.monotonic()
    with PeakMemory() as mem:
        for path in what:
            await _one_url(tally, srv.url(path), settings, fetch_url_docs)
        feeds = [p for p in what if p.endswith((".xml", ".json"))]
        with Store(str(work / "poll.db")) as store:
            for path in feeds:
                store.add_feed(srv.url(path))
            try:
                report = await asyncio.wait_for(poll_round(store, settings), 600)
                tally.notes["poll"] = {
                    "polled": report.polled,
                    "stored": len(report.report.ingested),
                    "errors": len(report.report.errors) + len(report.feed_errors),
                }
                tally.crashes += [
                    f"poll {e['input']}: {e['error']}"
                    for e in report.report.errors
                    if "internal error" in e["error"]
                ]
            except TimeoutError:
                tally.hangs.append("poll round")
            except Exception as exc:
                tally.aborted_batches += 1
                tally.crashes.append(f"poll round: {type(exc).__name__}: {exc}")
    shared_sandbox().close()
    tally.seconds, tally.peak_mb = time.monotonic() - start, mem.peak_mb
    tally.notes["internal_requests"] = sum(admin.hits.values())
    tally.notes["feed_10k_pages_fetched"] = sum(
        v for k, v in srv.hits.items() if k.startswith("/small/")
    )
    srv.shutdown()
    admin.shutdown()
    return tally


async def _one_url(tally: Tally, url: str, settings: Any, fetch: Callable[..., Any]) -> None:
    from summarizer.errors import InputError

    try:
        docs: list[Any] = await asyncio.wait_for(fetch(url, settings), 600)
    except TimeoutError:
        tally.tried += 1
        tally.hangs.append(url)
        return
    except InputError as exc:
        tally.outcome(url, False, str(exc))
        tally.notes[url.rsplit("/", 1)[1]] = str(exc)
        return
    except Exception as exc:
        tally.outcome(url, False, f"internal error: {type(exc).__name__}: {exc}")
        return
    assert isinstance(docs, list)
    good = [d for d in docs if not isinstance(d, str)]
    bad = [d for d in docs if isinstance(d, str)]
    tally.outcome(url, bool(good), bad[0] if bad else None if good else "no entries")
    tally.notes[url.rsplit("/", 1)[1]] = f"{len(good)} docs, {len(bad)} errors" + (
        f" ({bad[0]})" if bad else ""
    )


# --- 3. the dev-set feeds over HTTP -------------------------------------------------------------


async def run_devset(devset: Path) -> Tally:
    """Every file of ../shared/devsets/feeds served on 127.0.0.1 and ingested as a URL."""
    from bot.config import Settings
    from bot.sources.live import fetch_url_docs
    from bot.sources.sandbox import shared_sandbox

    tally = Tally("devset feeds over HTTP")
    files = sorted(p for p in devset.rglob("*") if p.is_file() and p.suffix in (".xml", ".json"))
    srv = Hostile("127.0.0.1")
    for p in files:
        ctype = "application/json" if p.suffix == ".json" else "application/xml"
        srv.routes["/" + p.relative_to(devset).as_posix()] = Answer(
            p.read_bytes(), headers=(("Content-Type", ctype),)
        )
    settings = Settings(fetch_allow=("127.0.0.1",), fetch_timeout=3.0, feed_max_entries=20)
    start = time.monotonic()
    gate = asyncio.Semaphore(16)  # feeds at once: most of the time goes to failing DNS lookups

    async def one(p: Path) -> None:
        async with gate:
            await _one_url(
                tally, srv.url("/" + p.relative_to(devset).as_posix()), settings, fetch_url_docs
            )

    with PeakMemory() as mem:
        await asyncio.gather(*(one(p) for p in files))
    shared_sandbox().close()
    tally.seconds, tally.peak_mb = time.monotonic() - start, mem.peak_mb
    srv.shutdown()
    tally.notes = {k: v for k, v in tally.notes.items() if "internal" in str(v)}
    return tally


def main() -> int:
    """Run the chosen parts and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="files,big,http,devset")
    parser.add_argument("--devset", type=Path, default=DEVSET, help="the feeds dev set folder")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    tallies: list[Tally] = []
    with tempfile.TemporaryDirectory(prefix="briefbot-robust-") as tmp:
        work = Path(tmp)
        if "files" in parts:
            tallies.append(run_files(work))
        if "big" in parts:
            tallies.append(run_big(work))
        if "http" in parts:
            tallies.append(asyncio.run(run_http(work)))
        if "devset" in parts:
            if args.devset.is_dir():
                tallies.append(asyncio.run(run_devset(args.devset)))
            else:
                print(f"skipped devset: {args.devset} not found")
    head = f"{'run':28} {'tried':>6} {'errors':>7} {'stored':>7} {'crashes':>8} {'hangs':>6} {'aborted':>8} {'peak MB':>8} {'s':>6}"
    print(head)
    for t in tallies:
        print(
            f"{t.name:28} {t.tried:6} {t.errors:7} {t.stored:7} {len(t.crashes):8} {len(t.hangs):6} {t.aborted_batches:8} {t.peak_mb:8.0f} {t.seconds:6.0f}"
        )
    for t in tallies:
        if t.name.startswith("big"):
            for name, note in t.notes.items():
                print(f"  {name}: {note}")
        for line in t.crashes + t.hangs:
            print(f"  {t.name}: {line[:300]}")
    out = RESULTS.with_name(f"robustness-{args.only.replace(',', '-')}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps([t.__dict__ for t in tallies], indent=1, default=str, ensure_ascii=False)
    )
    bad = any(t.crashes or t.hangs or t.aborted_batches or t.peak_mb >= 600 for t in tallies)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
