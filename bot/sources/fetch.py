"""HTTP fetching with limits: one overall deadline, a byte cap on the body, conditional GET.

``fetch_url`` never returns a half-read body: it gives a complete ``FetchResult`` (2xx or 304)
or raises ``FetchError`` with one clear line ("HTTP 500", "timed out after 15 s", ...).

The byte cap holds at every step: the raw (still compressed) stream is read up to the cap, and
each ``Content-Encoding`` step is decompressed with the same cap, so ``gzip, gzip`` bombs stop
at ``max_bytes``. Clients made by ``make_client`` refuse internal addresses (``guard.py``).
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from dataclasses import dataclass

import httpx

from bot.sources.guard import AddressPolicy, BlockedAddress, guarded_transport

__all__ = ["FetchError", "FetchLimits", "FetchResult", "fetch_url", "make_client"]

log = logging.getLogger(__name__)

_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "text/html;q=0.9, application/xhtml+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, "
    "*/*;q=0.5"
)
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A fetch that failed; the message is one line fit for a user or a log."""


@dataclass(frozen=True)
class FetchLimits:
    """Limits for every request: total seconds, body bytes, simultaneous requests, User-Agent."""

    timeout: float = 15.0
    max_bytes: int = 5_000_000
    concurrency: int = 4
    user_agent: str = "briefbot/0.1 (+https://github.com/briefbot)"
    #: Hosts or CIDRs that may be fetched although internal (BRIEFBOT_FETCH_ALLOW).
    allow: tuple[str, ...] = ()


@dataclass(frozen=True)
class FetchResult:
    """A complete response. ``not_modified`` is True for 304, and then ``content`` is empty."""

    url: str
    final_url: str
    status: int
    content: bytes
    content_type: str
    etag: str
    last_modified: str
    not_modified: bool


def make_client(limits: FetchLimits) -> httpx.AsyncClient:
    """An ``AsyncClient`` that follows redirects, sends our User-Agent, refuses internal hosts."""
    pool = httpx.Limits(
        max_connections=max(limits.concurrency * 2, 10),
        max_keepalive_connections=max(limits.concurrency, 5),
    )
    return httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=10,
        timeout=httpx.Timeout(limits.timeout),
        headers={
            "User-Agent": limits.user_agent,
            "Accept": _ACCEPT,
            "Accept-Encoding": "gzip, deflate",  # what _decode can undo
        },
        transport=guarded_transport(AddressPolicy.from_allow(limits.allow), pool),
        trust_env=False,  # an environment proxy would bypass the address check
    )


async def fetch_url(
    client: httpx.AsyncClient,
    url: str,
    limits: FetchLimits,
    etag: str = "",
    last_modified: str = "",
) -> FetchResult:
    """GET ``url`` (conditionally when ``etag``/``last_modified`` are given) within ``limits``."""
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with asyncio.timeout(limits.timeout):
            return await _get(client, url, limits, headers)
    except BlockedAddress as exc:
        raise FetchError(str(exc)) from None
    except TimeoutError:
        raise FetchError(f"timed out after {limits.timeout:g} s") from None
    except httpx.TimeoutException:
        raise FetchError(f"timed out after {limits.timeout:g} s") from None
    except httpx.TooManyRedirects:
        raise FetchError("too many redirects") from None
    except httpx.InvalidURL as exc:
        raise FetchError(f"invalid URL: {exc}") from None
    except httpx.UnsupportedProtocol:
        raise FetchError("unsupported URL scheme (only http and https)") from None
    except httpx.HTTPError as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise FetchError(f"connection failed: {detail}") from None


async def _get(
    client: httpx.AsyncClient, url: str, limits: FetchLimits, headers: dict[str, str]
) -> FetchResult:
    async with client.stream("GET", url, headers=headers) as response:
        status = response.status_code
        if status != 304 and not 200 <= status < 300:
            raise FetchError(f"HTTP {status}")
        content = b"" if status == 304 else await _read_capped(response, limits.max_bytes)
        return FetchResult(
            url=url,
            final_url=str(response.url),
            status=status,
            content=content,
            content_type=response.headers.get("content-type", ""),
            etag=response.headers.get("etag", ""),
            last_modified=response.headers.get("last-modified", ""),
            not_modified=status == 304,
        )


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """Read the raw body and undo its content codings, never holding more than ``max_bytes``."""
    too_big = FetchError(f"response too large: more than {max_bytes:,} bytes")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:  # no need to read a byte of it
        raise too_big
    codings = [c.strip().lower() for c in response.headers.get("content-encoding", "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    for coding in codings:
        if coding not in _DECODERS:
            raise FetchError(f"unsupported content encoding {coding!r}")
    if len(codings) > 3:
        raise FetchError("too many content encodings")
    body = bytearray()
    async for chunk in response.aiter_raw(_CHUNK):
        body += chunk
        if len(body) > max_bytes:
            raise too_big
    data = bytes(body)
    for coding in reversed(codings):
        data = _decompress_capped(data, coding, max_bytes)
    return data


_DECODERS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


def _decompress_capped(data: bytes, coding: str, max_bytes: int) -> bytes:
    """Undo one content coding, stopping as soon as the output passes ``max_bytes``."""
    too_big = FetchError(f"response too large: more than {max_bytes:,} bytes once decompressed")
    wbits = _DECODERS[coding]
    out = bytearray()
    rest = data
    try:
        while rest:
            try:
                decoder = zlib.decompressobj(wbits)
                out += decoder.decompress(rest, max_bytes + 1 - len(out))
            except zlib.error:
                if coding != "deflate" or out:
                    raise
                wbits = -zlib.MAX_WBITS  # "deflate" sent as a raw stream, as some servers do
                decoder = zlib.decompressobj(wbits)
                out += decoder.decompress(rest, max_bytes + 1 - len(out))
            if len(out) > max_bytes or decoder.unconsumed_tail:
                raise too_big
            # A gzip body may hold several members one after another.
            rest = decoder.unused_data if decoder.eof else b""
    except zlib.error as exc:
        raise FetchError(f"corrupt {coding} body: {exc}") from None
    return bytes(out)
