"""Pure feed parsing: the bytes of an RSS 0.9x/1.0/2.0, Atom or JSON Feed document -> entries.

XML feeds go through feedparser (given bytes, never a URL, so it does no network I/O);
JSON Feed 1.0/1.1 is read with ``json`` because feedparser does not know it.
Entry URLs are made absolute against the feed and normalised with ``normalize_url``;
entries without a usable http(s) link are skipped (nothing to fetch or deduplicate),
and an entry repeating an earlier entry's URL in the same feed is dropped.
"""

from __future__ import annotations

import calendar
import html
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from summarizer.errors import InputError
from summarizer.read.dates import UNKNOWN_ZONE, parse_date, zone_known
from summarizer.read.urls import normalize_url

__all__ = ["FeedEntry", "ParsedFeed", "parse_feed"]

_JSON_FEED_VERSION = "https://jsonfeed.org/version/"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class FeedEntry:
    """One feed item; ``url`` is absolute and normalised, unknown fields are empty / ``None``."""

    url: str
    title: str = ""
    published: datetime | None = None
    author: str = ""
    content_html: str = ""
    summary: str = ""


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed: its title and its entries in document order."""

    title: str
    entries: tuple[FeedEntry, ...]


def parse_feed(data: bytes, base_url: str) -> ParsedFeed:
    """Parse a feed document; raise ``InputError`` when ``data`` is not a usable feed."""
    if not data.strip():
        raise InputError("empty feed: the server sent no content")
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return _parse_json_feed(data, base_url)
    return _parse_xml_feed(data, base_url)


# --- XML (feedparser) -------------------------------------------------------------------------


def _parse_xml_feed(data: bytes, base_url: str) -> ParsedFeed:
    # A content-type without charset lets feedparser honour the XML declaration's encoding;
    # content-location is the base for relative links in the feed and in entry HTML.
    parsed = feedparser.parse(
        data,
        response_headers={"content-type": "application/xml", "content-location": base_url},
    )
    raw_entries = parsed.get("entries") or []
    if not raw_entries:
        if parsed.get("bozo"):
            reason = _one_line(str(parsed.get("bozo_exception") or "unreadable XML"))
            raise InputError(f"not a readable feed: {reason}")
        if not parsed.get("version"):
            raise InputError("not an RSS, Atom or JSON feed")
    feed_info: Mapping[str, Any] = parsed.get("feed") or {}
    entries = (_xml_entry(raw, base_url) for raw in raw_entries)
    return ParsedFeed(title=_text(feed_info.get("title")), entries=_unique(entries))


def _xml_entry(raw: Mapping[str, Any], base_url: str) -> FeedEntry | None:
    url = _entry_link(raw, base_url)
    if url is None:
        return None
    summary = _text(raw.get("summary"))
    content = _best_content(raw.get("content") or [])
    return FeedEntry(
        url=url,
        title=_text(raw.get("title")),
        published=_entry_date(raw, "published") or _entry_date(raw, "updated"),
        author=_text(raw.get("author")),
        content_html=content,
        summary=summary,
    )


def _entry_link(raw: Mapping[str, Any], base_url: str) -> str | None:
    candidates: list[str] = []
    for link in raw.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            candidates.append(link["href"])
    candidates.append(_text(raw.get("link")))
    guid = _text(raw.get("id"))
    if raw.get("guidislink", False) or guid.startswith(("http://", "https://")):
        candidates.append(guid)
    return _first_url(candidates, base_url)


def _best_content(contents: Iterable[Mapping[str, Any]]) -> str:
    """The longest HTML content block, else the longest of any type (escaped as HTML)."""
    html_blocks: list[str] = []
    text_blocks: list[str] = []
    for block in contents:
        value = _text(block.get("value"))
        if not value:
            continue
        if (block.get("type") or "text/html") in _HTML_TYPES:
            html_blocks.append(value)
        else:
            text_blocks.append(_text_to_html(value))
    return max(html_blocks or text_blocks or [""], key=len)


def _entry_date(raw: Mapping[str, Any], key: str) -> datetime | None:
    """An entry's date: feedparser's, except when the feed gave no zone (feedparser then takes an
    ISO time as UTC and drops an RFC 822 one): that time is kept in ``UNKNOWN_ZONE``."""
    ours = parse_date(raw.get(key)) if isinstance(raw.get(key), str) else None
    if ours is not None and not zone_known(ours):
        return ours
    return _struct_to_datetime(raw.get(f"{key}_parsed")) or ours


def _struct_to_datetime(value: object) -> datetime | None:
    """feedparser's dates are UTC ``time.struct_time`` values."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


# --- JSON Feed --------------------------------------------------------------------------------


def _parse_json_feed(data: bytes, base_url: str) -> ParsedFeed:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not a readable JSON feed: {_one_line(str(exc))}") from None
    except RecursionError:  # the C parser stops at the recursion limit: linear and safe
        raise InputError("not a readable JSON feed: nested too deeply") from None
    if not isinstance(doc, dict):
        raise InputError("not a JSON feed: the document is not a JSON object")
    version = doc.get("version")
    items = doc.get("items")
    if not (isinstance(version, str) and version.startswith(_JSON_FEED_VERSION)):
        raise InputError("not a JSON feed: no https://jsonfeed.org/version/ marker")
    if not isinstance(items, list):
        raise InputError("not a JSON feed: 'items' is missing or not a list")
    base = _text(doc.get("feed_url")) or base_url
    base = urljoin(base_url, base)
    feed_author = _json_author(doc)
    entries = (_json_entry(item, base, feed_author) for item in items if isinstance(item, dict))
    return ParsedFeed(title=_text(doc.get("title")), entries=_unique(entries))


def _json_entry(item: Mapping[str, Any], base_url: str, feed_author: str) -> FeedEntry | None:
    candidates = [_text(item.get("url")), _text(item.get("external_url"))]
    item_id = _text(item.get("id"))
    if item_id.startswith(("http://", "https://")):
        candidates.append(item_id)
    url = _first_url(candidates, base_url)
    if url is None:
        return None
    content = _text(item.get("content_html"))
    if not content and _text(item.get("content_text")):
        content = _text_to_html(_text(item.get("content_text")))
    published = _parse_rfc3339(_text(item.get("date_published"))) or _parse_rfc3339(
        _text(item.get("date_modified"))
    )
    return FeedEntry(
        url=url,
        title=_text(item.get("title")),
        published=published,
        author=_json_author(item) or feed_author,
        content_html=content,
        summary=_text(item.get("summary")),
    )


def _json_author(obj: Mapping[str, Any]) -> str:
    """JSON Feed 1.1 ``authors`` (list) or 1.0 ``author`` (object) -> names joined by ", "."""
    raw = obj.get("authors")
    people = raw if isinstance(raw, list) else [obj.get("author")]
    names = [_text(p.get("name")) for p in people if isinstance(p, dict)]
    return ", ".join(n for n in names if n)


def _parse_rfc3339(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return None
    if parsed.tzinfo is None:  # the spec requires an offset; without one the zone is unknown
        parsed = parsed.replace(tzinfo=UNKNOWN_ZONE)
    return parsed


# --- shared helpers ---------------------------------------------------------------------------


def _first_url(candidates: Iterable[str], base_url: str) -> str | None:
    for candidate in candidates:
        if not candidate:
            continue
        try:
            return normalize_url(urljoin(base_url, candidate.strip()))
        except ValueError:
            continue
    return None


def _unique(entries: Iterable[FeedEntry | None]) -> tuple[FeedEntry, ...]:
    seen: set[str] = set()
    out: list[FeedEntry] = []
    for entry in entries:
        if entry is not None and entry.url not in seen:
            seen.add(entry.url)
            out.append(entry)
    return tuple(out)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _text_to_html(text: str) -> str:
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def _one_line(message: str) -> str:
    return " ".join(message.split())[:200]
