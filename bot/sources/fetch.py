"""HTTP fetching with limits: one overall deadline, a byte cap on the body, conditional GET.

``fetch_url`` never returns a half-read body: it gives a complete ``FetchResult`` (2xx or 304)
or raises ``FetchError`` with one clear line ("HTTP 500", "timed out after 15 s", ...).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import httpx

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
    """An ``AsyncClient`` that follows redirects and sends our User-Agent and timeouts."""
    return httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=10,
        timeout=httpx.Timeout(limits.timeout),
        headers={"User-Agent": limits.user_agent, "Accept": _ACCEPT},
        limits=httpx.Limits(
            max_connections=max(limits.concurrency * 2, 10),
            max_keepalive_connections=max(limits.concurrency, 5),
        ),
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
    """Read the (decoded) body, stopping as soon as it exceeds ``max_bytes``."""
    too_big = FetchError(f"response too large: more than {max_bytes:,} bytes")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:  # no need to read a byte of it
        raise too_big
    body = bytearray()
    async for chunk in response.aiter_bytes(_CHUNK):
        body += chunk
        if len(body) > max_bytes:
            raise too_big
    return bytes(body)
