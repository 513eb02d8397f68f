"""A small configurable HTTP server on 127.0.0.1 for feed and page tests (standard library only).

Routes map a path (query ignored) to a ``Route``: a static body with a content type and status,
optional ETag / Last-Modified validators (answered with 304 when the request's
If-None-Match / If-Modified-Since match), a delay before answering (slow routes), or a large
streamed body (``stream_bytes``, sent with or without Content-Length). Every request is
recorded, and the server counts how many requests are in flight at once.

Usage::

    with FeedServer() as server:
        server.add("/feed.xml", Route(body=b"...", content_type="application/rss+xml"))
        url = server.url("/feed.xml")
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Route:
    """How the server answers one path."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str = ""
    last_modified: str = ""
    delay: float = 0.0
    stream_bytes: int = 0  # > 0: send this many filler bytes in chunks instead of ``body``
    send_length: bool = True  # False: stream without Content-Length (chunked)
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Request:
    """One recorded request."""

    method: str
    path: str  # without the query
    headers: dict[str, str] = field(default_factory=dict)
    target: str = ""  # the request target as sent, query included


class FeedServer:
    """A ``ThreadingHTTPServer`` on an ephemeral loopback port, run in a background thread."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # --- configuration and inspection ---------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on this server."""
        return self.base_url + path

    def add(self, path: str, route: Route) -> None:
        """Serve ``route`` at ``path`` (replacing any earlier route)."""
        with self._lock:
            self.routes[path] = route

    def requests_for(self, path: str) -> list[Request]:
        """Recorded requests for ``path``, oldest first."""
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def reset_stats(self) -> None:
        """Forget recorded requests and the in-flight maximum."""
        with self._lock:
            self.requests.clear()
            self.max_in_flight = self.in_flight

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> FeedServer:
        """Start serving in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; sleeping handlers wake up and give up."""
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- called by the handler ----------------------------------------------------------------

    def _begin(self, request: Request) -> Route | None:
        with self._lock:
            self.requests.append(request)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            return self.routes.get(request.path)

    def _end(self) -> None:
        with self._lock:
            self.in_flight -= 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    owner: FeedServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        owner = self.server.owner
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = Request("GET", urlsplit(self.path).path, headers, self.path)
        route = owner._begin(request)
        try:
            self._answer(owner, request, route)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (size limit, timeout)
        finally:
            owner._end()

    def _answer(self, owner: FeedServer, request: Request, route: Route | None) -> None:
        if route is None:
            self._send(404, "text/plain", b"not found")
            return
        if route.delay and owner._stop.wait(route.delay):
            self.close_connection = True
            return
        if route.status == 200 and self._not_modified(request, route):
            self.send_response(304)
            self._validators(route)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if route.stream_bytes:
            self._stream(route)
            return
        self._send(route.status, route.content_type, route.body, route)

    @staticmethod
    def _not_modified(request: Request, route: Route) -> bool:
        inm = request.headers.get("if-none-match", "")
        ims = request.headers.get("if-modified-since", "")
        if route.etag and inm:
            return route.etag in [tag.strip() for tag in inm.split(",")] or inm.strip() == "*"
        return bool(route.last_modified and ims and ims == route.last_modified)

    def _validators(self, route: Route) -> None:
        if route.etag:
            self.send_header("ETag", route.etag)
        if route.last_modified:
            self.send_header("Last-Modified", route.last_modified)

    def _send(
        self, status: int, content_type: str, body: bytes, route: Route | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if route is not None:
            self._validators(route)
            for name, value in route.headers:
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, route: Route) -> None:
        chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        if route.send_length:
            self.send_header("Content-Length", str(route.stream_bytes))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        left = route.stream_bytes
        while left > 0 and not self.server.owner._stop.is_set():
            part = chunk[: min(left, len(chunk))]
            left -= len(part)
            if route.send_length:
                self.wfile.write(part)
            else:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
        if not route.send_length:
            self.wfile.write(b"0\r\n\r\n")
