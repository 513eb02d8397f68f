"""Robustness: replay hostile inputs and every dev-set feed; count errors, crashes, hangs, memory.

Three runs, each on the real code paths:

1. ``files``: our own generated attack files (impossible dates, YAML alias bombs, JSON nested
   100,000 deep, 100k ``<p>``, a 10 MB text, binary junk, a named pipe, a non-UTF-8 file name,
   broken links, ...) plus good files, ingested by the real ``briefbot ingest --json`` process;
2. ``http``: a hostile HTTP server on 127.0.0.1 (decompression bombs, endless and dripping
   bodies, redirect loops, redirects and entry links to internal addresses, feeds with 10,000
   entries or 1 MB pages, malformed and deeply nested feeds) through ``fetch_url_docs`` and a
   ``poll_round``, with a second server on 127.0.0.2 standing for an internal admin page;
3. ``devset``: every file of ``../shared/devsets/feeds`` served over local HTTP and ingested as
   a URL (skipped when the folder is absent).

Outcomes per input: stored (at least one article), clear error (one line, not an internal
error), crash (traceback, internal error, missing from the report, invalid JSON), hang (over
its time bound). Peak memory is the largest sum of resident memory over this process and every
descendant (sampled every 0.1 s). Usage: ``python bench/robustness.py [--only files,http,devset]``.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEVSET = ROOT.parent / "shared" / "devsets" / "feeds"
RESULTS = ROOT / "bench" / "results" / "robustness.json"
WORDS = (
    "harbour board tide gauge ferry timetable mayor council vote spring budget bridge toll "
    "Vellmar port inspector quarry windows claims residents meeting approved delayed"
).split()


def prose(rng: random.Random, n_words: int) -> str:
    """Invented sentences of ordinary words."""
    out = []
    for _ in range(max(1, n_words // 12)):
        out.append(" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + ".")
    return " ".join(out)


# --- memory -------------------------------------------------------------------------------------


class PeakMemory:
    """Samples the summed RSS of this process and all its descendants in a background thread."""

    def __init__(self) -> None:
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.1):
            parents: dict[int, int] = {}
            rss: dict[int, float] = {}
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                try:
                    with open(f"/proc/{entry}/stat", "rb") as fh:
                        fields = fh.read().rsplit(b")", 1)[1].split()
                    parents[int(entry)] = int(fields[1])
                    rss[int(entry)] = int(fields[21]) * 4096 / 1_048_576
                except (OSError, IndexError, ValueError):
                    continue
            tree, grew = {me}, True
            while grew:
                grew = False
                for pid, ppid in parents.items():
                    if ppid in tree and pid not in tree:
                        tree.add(pid)
                        grew = True
            self.peak_mb = max(self.peak_mb, sum(rss.get(p, 0.0) for p in tree))

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


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


# --- 1. files -----------------------------------------------------------------------------------


def write_attack_files(folder: Path, rng: random.Random) -> dict[str, str]:
    """Our own hostile (and some good) files; name -> what it tests."""
    folder.mkdir(parents=True)
    article = "\n\n".join(prose(rng, 60) for _ in range(6))
    files: dict[str, bytes] = {}
    for i in range(12):
        files[f"good-{i:02d}.txt"] = f"Good story {i}\n\n{prose(rng, 300)}".encode()
    files["date-feb-30.md"] = (
        f"---\ntitle: Leap\ndate: 2024-02-30\ntags: [a, b]\n---\n\n{article}"
    ).encode()
    bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        bomb.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    bomb += ["title: *i", "author: *i", "tags: *i"]
    files["yaml-alias-bomb.md"] = ("---\n" + "\n".join(bomb) + f"\n---\n\n{article}").encode()
    files["yaml-deep.md"] = (
        "---\nx: " + "[" * 100_000 + "]" * 100_000 + f"\n---\n{article}"
    ).encode()
    body = "".join(f"<p>{prose(rng, 40)}</p>" for _ in range(6))

    def with_ld(block: str) -> bytes:
        script = f'<script type="application/ld+json">{block}</script>'
        return f"<html><head>{script}</head><body><article>{body}</article></body></html>".encode()

    files["jsonld-deep-list.html"] = with_ld("[" * 100_000 + "]" * 100_000)
    files["jsonld-deep-object.html"] = with_ld('{"a":' * 100_000 + "1" + "}" * 100_000)
    files["jsonld-300k-items.html"] = with_ld(json.dumps([{"@type": "Thing"}] * 300_000))
    files["p-100k.html"] = (
        "<html><body><article>"
        + "".join(f"<p>{prose(rng, 12)}</p>" for _ in range(100_000))
        + "</article></body></html>"
    ).encode()[: 10 * 1_048_576]
    files["div-nested-100k.html"] = (
        "<html><body>" + "<div>" * 100_000 + body + "</div>" * 100_000 + "</body></html>"
    ).encode()
    big: list[str] = []
    total = 0
    while total < 10 * 1_048_576 - 2_000:
        big.append(prose(rng, 60))
        total += len(big[-1]) + 2
    files["text-10mb.txt"] = "\n\n".join(big).encode()[: 10 * 1_048_576 - 10]
    files["one-line-9mb.txt"] = " ".join(big).encode()[: 9 * 1_048_576]
    files["too-large-11mb.txt"] = b"word " * (11 * 1_048_576 // 5)
    files["binary.html"] = bytes(rng.getrandbits(8) for _ in range(200_000))
    files["nul-bytes.txt"] = b"text\x00" * 10_000
    files["controls.txt"] = bytes(range(1, 32)) * 2000
    files["empty.txt"] = b""
    files["bom-only.txt"] = b"\xef\xbb\xbf"
    files["utf16.txt"] = ("Tide gauge\n\n" + article).encode("utf-16")
    files["unclosed-comment.html"] = b"<html><body><!-- " + article.encode() * 50
    files["script-only.html"] = b"<html><script>" + b"var a=1;" * 100_000 + b"</script></html>"
    files["attrs.html"] = b"<p " + b" ".join(b"a%d=x" % i for i in range(200_000)) + b">x</p>"
    files["report.pdf"] = b"%PDF-1.4 not really"
    files[os.fsdecode(b"caf\xe9-latin1-name.txt")] = f"Cafe\n\n{article}".encode()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    os.mkfifo(folder / "pipe-named.txt")
    (folder / "broken-link.txt").symlink_to(folder / "nowhere.txt")
    (folder / "folder-named.txt").mkdir()
    (folder / "folder-named.txt" / "inner.txt").write_text(f"Inner\n\n{prose(rng, 300)}")
    return {p.name: p.name for p in folder.rglob("*") if not p.is_dir()}


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


# --- 2. a hostile HTTP server -------------------------------------------------------------------

Body = bytes | Callable[[], Iterator[bytes]]


@dataclass(frozen=True)
class Answer:
    """One route: status, headers, and a body (bytes, or a generator of chunks sent chunked)."""

    body: Body = b""
    status: int = 200
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)


class Hostile(ThreadingHTTPServer):
    """A threaded HTTP server answering from a route table and counting requests."""

    daemon_threads = True
    request_queue_size = 256

    def __init__(self, host: str) -> None:
        super().__init__((host, 0), _Handler)
        self.routes: dict[str, Answer] = {}
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()
        threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def url(self, path: str, host: str | None = None) -> str:
        """Absolute URL of ``path`` (optionally spelling the host differently)."""
        name = host or str(self.server_address[0])
        return f"http://{name}:{self.server_address[1]}{path}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Hostile

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        with self.server.lock:
            self.server.hits[path] = self.server.hits.get(path, 0) + 1
        answer = self.server.routes.get(path, Answer(b"not found", 404))
        try:
            self.send_response(answer.status)
            for k, v in answer.headers:
                self.send_header(k, v)
            if isinstance(answer.body, bytes):
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)
                return
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for chunk in answer.body():
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def endless() -> Iterator[bytes]:
    chunk = b"<p>" + b"y" * 65_000 + b"</p>"
    for _ in range(1_000_000):
        yield chunk


def drip() -> Iterator[bytes]:
    for _ in range(600):
        time.sleep(0.5)
        yield b"<"


def rss(items: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{t}</title><link>{u}</link><description>{t}</description></item>"
        for t, u in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{body}</channel></rss>'.encode()


def hostile_routes(srv: Hostile, admin: Hostile, rng: random.Random) -> dict[str, str]:
    """Fill the route table; path -> what it tests (the inputs of the http run)."""
    html = (("Content-Type", "text/html"),)
    page = "<html><body><article>" + "".join(f"<p>{prose(rng, 40)}</p>" for _ in range(6))
    zeros = b"\0" * 200_000_000
    ap = admin.server_address[1]
    internal = [
        f"http://127.0.0.2:{ap}/admin",
        f"http://2130706434:{ap}/admin",
        f"http://0x7f000002:{ap}/admin",
        f"http://[::ffff:127.0.0.2]:{ap}/admin",
        f"http://[::1]:{ap}/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/admin",
    ]
    routes: dict[str, tuple[Answer, str]] = {
        "/bomb-gzip-gzip": (
            Answer(
                gzip.compress(gzip.compress(zeros)),
                headers=(*html, ("Content-Encoding", "gzip, gzip")),
            ),
            "200 MB behind two gzip layers",
        ),
        "/bomb-deflate": (
            Answer(zlib.compress(zeros, 9), headers=(*html, ("Content-Encoding", "deflate"))),
            "200 MB deflate",
        ),
        "/endless": (Answer(endless), "a body that never ends"),
        "/drip": (Answer(drip), "one byte every half second"),
        "/loop": (Answer(b"", 302, (("Location", "/loop"),)), "redirect loop"),
        "/binary": (
            Answer(bytes(rng.getrandbits(8) for _ in range(100_000)), headers=html),
            "binary as HTML",
        ),
        "/corrupt-gzip": (
            Answer(b"\x1f\x8b\x08junkjunk", headers=(*html, ("Content-Encoding", "gzip"))),
            "corrupt gzip",
        ),
        "/brotli": (
            Answer(b"\x1b\x00", headers=(*html, ("Content-Encoding", "br"))),
            "unrequested brotli",
        ),
        "/p-60k.html": (
            Answer(
                (
                    "<html><body><article>"
                    + "".join(f"<p>{prose(rng, 10)}</p>" for _ in range(60_000))
                ).encode()[:4_900_000],
                headers=html,
            ),
            "60k <p> (quadratic extraction)",
        ),
        "/malformed.xml": (
            Answer(
                b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</chan',
                headers=(("Content-Type", "application/rss+xml"),),
            ),
            "malformed feed",
        ),
        "/deep.json": (
            Answer(
                b'{"version":"https://jsonfeed.org/version/1.1","items":'
                + b"[" * 100_000
                + b"]" * 100_000
                + b"}",
                headers=(("Content-Type", "application/feed+json"),),
            ),
            "JSON Feed 100k deep",
        ),
        "/laughs.xml": (
            Answer(
                b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                + b"".join(
                    b'<!ENTITY %c "%s">' % (98 + i, (b"&%c;" % (97 + i)) * 10) for i in range(8)
                )
                + b']><rss version="2.0"><channel><title>&i;</title><item><title>&i;</title><link>http://x.example/1</link></item></channel></rss>',
                headers=(("Content-Type", "application/rss+xml"),),
            ),
            "billion laughs",
        ),
        "/internal-entries.xml": (
            Answer(
                rss([(f"Entry {i}", u) for i, u in enumerate(internal)]),
                headers=(("Content-Type", "application/rss+xml"),),
            ),
            "entries linking to internal addresses",
        ),
        "/feed-10k.xml": (
            Answer(
                rss([(f"E{i}", srv.url(f"/small/{i}")) for i in range(10_000)]),
                headers=(("Content-Type", "application/rss+xml"),),
            ),
            "10,000 entries",
        ),
        "/feed-1mb-pages.xml": (
            Answer(
                rss([(f"M{i}", srv.url(f"/mb/{i}")) for i in range(40)]),
                headers=(("Content-Type", "application/rss+xml"),),
            ),
            "40 entries with 1 MB pages",
        ),
    }
    for i, target in enumerate(internal):
        routes[f"/to-internal-{i}"] = (
            Answer(b"", 302, (("Location", target),)),
            f"redirect to {target}",
        )
    for path, (answer, _) in routes.items():
        srv.routes[path] = answer
    small = (page + "</article></body></html>").encode()
    for i in range(10_000):
        srv.routes[f"/small/{i}"] = Answer(small, headers=html)
    mb = (page + "".join(f"<p>{prose(rng, 30)}</p>" for _ in range(4_000)))[:1_000_000].encode()
    for i in range(40):
        srv.routes[f"/mb/{i}"] = Answer(mb, headers=html)
    admin.routes["/admin"] = Answer(b"<html><body><p>internal admin secrets</p></body></html>")
    return {path: what for path, (_, what) in routes.items()}


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
        docs: list[Any] = await asyncio.wait_for(fetch(url, settings), 180)
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


async def run_devset() -> Tally:
    """Every file of ../shared/devsets/feeds served on 127.0.0.1 and ingested as a URL."""
    from bot.config import Settings
    from bot.sources.live import fetch_url_docs
    from bot.sources.sandbox import shared_sandbox

    tally = Tally("devset feeds over HTTP")
    files = sorted(p for p in DEVSET.rglob("*") if p.is_file() and p.suffix in (".xml", ".json"))
    srv = Hostile("127.0.0.1")
    for p in files:
        ctype = "application/json" if p.suffix == ".json" else "application/xml"
        srv.routes["/" + p.relative_to(DEVSET).as_posix()] = Answer(
            p.read_bytes(), headers=(("Content-Type", ctype),)
        )
    settings = Settings(fetch_allow=("127.0.0.1",), fetch_timeout=3.0, feed_max_entries=20)
    start = time.monotonic()
    with PeakMemory() as mem:
        for p in files:
            await _one_url(
                tally, srv.url("/" + p.relative_to(DEVSET).as_posix()), settings, fetch_url_docs
            )
    shared_sandbox().close()
    tally.seconds, tally.peak_mb = time.monotonic() - start, mem.peak_mb
    srv.shutdown()
    tally.notes = {k: v for k, v in tally.notes.items() if "internal" in str(v)}
    return tally


def main() -> int:
    """Run the chosen parts and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="files,http,devset")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    tallies: list[Tally] = []
    with tempfile.TemporaryDirectory(prefix="briefbot-robust-") as tmp:
        work = Path(tmp)
        if "files" in parts:
            tallies.append(run_files(work))
        if "http" in parts:
            tallies.append(asyncio.run(run_http(work)))
        if "devset" in parts:
            if DEVSET.is_dir():
                tallies.append(asyncio.run(run_devset()))
            else:
                print(f"skipped devset: {DEVSET} not found")
    head = f"{'run':28} {'tried':>6} {'errors':>7} {'stored':>7} {'crashes':>8} {'hangs':>6} {'aborted':>8} {'peak MB':>8} {'s':>6}"
    print(head)
    for t in tallies:
        print(
            f"{t.name:28} {t.tried:6} {t.errors:7} {t.stored:7} {len(t.crashes):8} {len(t.hangs):6} {t.aborted_batches:8} {t.peak_mb:8.0f} {t.seconds:6.0f}"
        )
    for t in tallies:
        for line in t.crashes + t.hangs:
            print(f"  {t.name}: {line[:300]}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps([t.__dict__ for t in tallies], indent=1, default=str, ensure_ascii=False)
    )
    bad = any(t.crashes or t.hangs or t.aborted_batches or t.peak_mb >= 600 for t in tallies)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
