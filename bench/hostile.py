"""Hostile inputs for bench/robustness.py: generated attack files and a hostile HTTP server.

Everything here is our own invention (random words, nesting, bombs); nothing comes from a dev set.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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


# --- attack files -----------------------------------------------------------------------------------


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


def write_big_files(folder: Path, rng: random.Random) -> list[Path]:
    """A 10 MB plain text and a 10 MB HTML page of ordinary paragraphs (bounded-work checks)."""
    folder.mkdir(parents=True)
    paras: list[str] = []
    total = 0
    while total < 10 * 1_048_576:
        paras.append(prose(rng, 60))
        total += len(paras[-1]) + 7
    text = ("Ten megabyte report\n\n" + "\n\n".join(paras)).encode()[: 10 * 1_048_576 - 10]
    head = "<html><head><title>Ten megabyte page</title></head><body><article><h1>Ten</h1>"
    page = (head + "".join(f"<p>{p}</p>" for p in paras)).encode()[: 10 * 1_048_576 - 100]
    out = [folder / "text-10mb.txt", folder / "page-10mb.html"]
    out[0].write_bytes(text)
    out[1].write_bytes(page + b"</p></article></body></html>")
    return out


# --- a hostile HTTP server -------------------------------------------------------------------

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
                rss([(f"M{i}", srv.url(f"/mb/{i}")) for i in range(20)]),
                headers=(("Content-Type", "application/rss+xml"),),
            ),
            "20 entries with 1 MB pages",
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
    for i in range(20):
        srv.routes[f"/mb/{i}"] = Answer(mb, headers=html)
    admin.routes["/admin"] = Answer(b"<html><body><p>internal admin secrets</p></body></html>")
    return {path: what for path, (_, what) in routes.items()}
