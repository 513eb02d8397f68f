"""Live sources wired to the store: ingest a URL (page or feed), run a feed polling round."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import httpx

from bot.config import Settings
from bot.sources.feeds import FeedState, PolledEntry, backoff_delay, is_due, poll_feeds
from bot.sources.fetch import FetchError, FetchLimits, FetchResult, fetch_url, make_client
from bot.sources.ingest import (
    IngestReport,
    Prepared,
    headline_doc,
    parse_bytes,
    prepare,
    save_article,
)
from bot.sources.sandbox import prepared_off_loop, shared_sandbox
from bot.store import Feed, Store
from bot.store.backoff import EntryBackoffs
from summarizer.errors import InputError
from summarizer.models import CleanDoc
from summarizer.read.decode import decode_bytes
from summarizer.read.feeds import FeedEntry, parse_feed
from summarizer.read.urls import normalize_url

log = logging.getLogger(__name__)
T = TypeVar("T")


def limits_from(settings: Settings) -> FetchLimits:
    """Fetch limits from settings."""
    return FetchLimits(
        timeout=settings.fetch_timeout,
        max_bytes=settings.fetch_max_bytes,
        concurrency=settings.fetch_concurrency,
        allow=settings.fetch_allow,
    )


def _looks_like_feed(result: FetchResult) -> bool:
    ctype = result.content_type.lower()
    if (
        any(k in ctype for k in ("rss", "atom", "feed+json", "/xml", "+xml"))
        and "xhtml" not in ctype
    ):
        return True
    head = result.content[:512].lstrip().lower()
    return head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")) or (
        head.startswith(b"{") and b"jsonfeed.org" in result.content[:2048]
    )


def _looks_like_html(content: bytes) -> bool:
    head = content[:4096].lower()
    return any(tag in head for tag in (b"<html", b"<!doctype html", b"<body", b"<head"))


def doc_from_page(page: FetchResult) -> CleanDoc:
    """Extract an article from a fetched HTML page."""
    return parse_bytes(page.content, "html", page.final_url or page.url)


def doc_from_entry(entry: FeedEntry, page: FetchResult | None) -> CleanDoc:
    """The article of a feed entry: its page when extractable, else the entry's own content."""
    doc: CleanDoc | None = None
    if page is not None:
        try:
            doc = doc_from_page(page)
        except InputError as exc:
            log.info("page %s: %s; using the feed's own content", entry.url, exc)
    if doc is None:
        body = entry.content_html or entry.summary
        try:
            doc = parse_bytes(
                f"<html><body><article>{body}</article></body></html>".encode(), "html", entry.url
            )
        except InputError:
            doc = headline_doc(entry.title, body)  # headline-only: kept as a short article
    return replace(
        doc,
        url=entry.url,
        title=doc.title or entry.title,
        author=doc.author or entry.author,
        published=doc.published or entry.published,
    )


def prepare_entry(entry: FeedEntry, page: FetchResult | None) -> Prepared:
    """A feed entry's article, cleaned and fingerprinted (runs in a sandbox worker)."""
    return prepare(doc_from_entry(entry, page))


def page_doc(page: FetchResult) -> CleanDoc:
    """A fetched page's article; "not a readable page" when it is not text (sandbox worker)."""
    try:
        decode_bytes(page.content)
    except InputError as exc:
        raise InputError(f"not a readable page: {exc}") from None
    return doc_from_page(page)


async def _in_sandbox(fn: Callable[..., T], *args: object) -> T:
    """``fn(*args)`` in the shared sandbox, off the event loop, within the time budget."""
    return await asyncio.to_thread(shared_sandbox().run, fn, *args)


async def fetch_doc(
    url: str, settings: Settings, client: httpx.AsyncClient | None = None
) -> CleanDoc:
    """Fetch one article page (the /add path); raises InputError with a one-line reason."""
    docs = await fetch_url_docs(url, settings, client)
    if not docs:
        raise InputError("the feed has no entries")
    first = docs[0]
    if isinstance(first, str):
        raise InputError(first)
    return first[1]


async def fetch_url_docs(
    url: str, settings: Settings, client: httpx.AsyncClient | None = None
) -> list[tuple[str, CleanDoc] | str]:
    """The articles behind a URL: one for a page, one per entry for a feed (errors as strings)."""
    limits = limits_from(settings)
    http = client or make_client(limits)
    try:
        try:
            fetched = await fetch_url(http, url, limits)
        except FetchError as exc:
            raise InputError(str(exc)) from None
        if _looks_like_feed(fetched):
            try:
                parsed = await _in_sandbox(parse_feed, fetched.content, fetched.final_url)
            except InputError as exc:
                if not _looks_like_html(fetched.content):
                    raise InputError(f"malformed feed: {exc}") from None
                parsed = None
            if parsed is not None:
                entries = parsed.entries[: settings.feed_max_entries]
                return await _entry_docs(http, entries, limits)
        doc = await _in_sandbox(page_doc, fetched)  # decoding a 10 MB page is work too
        return [(url, replace(doc, url=doc.url or fetched.final_url))]
    finally:
        if client is None:
            await http.aclose()


async def _entry_docs(
    http: httpx.AsyncClient, entries: tuple[FeedEntry, ...], limits: FetchLimits
) -> list[tuple[str, CleanDoc] | str]:
    # The gate covers fetch and extraction, so at most `concurrency` pages are held at once.
    gate = asyncio.Semaphore(limits.concurrency)

    async def one(entry: FeedEntry) -> tuple[str, CleanDoc] | str:
        async with gate:
            page: FetchResult | None = None
            try:
                page = await fetch_url(http, entry.url, limits)
            except FetchError as exc:
                log.info("page %s: %s", entry.url, exc)
            try:
                return entry.url, await _in_sandbox(doc_from_entry, entry, page)
            except InputError as exc:
                return f"{entry.url}: {exc}"

    return list(await asyncio.gather(*(one(e) for e in entries)))


async def ingest_urls(
    store: Store, urls: list[str], settings: Settings, report: IngestReport
) -> None:
    """Ingest URLs (pages or feeds) into the store; one bad URL never stops the others."""
    for url in urls:
        try:
            docs = await fetch_url_docs(url, settings)
        except InputError as exc:
            report.add_error(url, str(exc))
            continue
        for item in docs:
            if isinstance(item, str):
                report.add_error(url, item)
                continue
            name, doc = item
            try:
                report.ingested.append(save_article(store, await prepared_off_loop(doc), name))
            except InputError as exc:
                report.add_error(name, str(exc))
            except Exception as exc:  # one bad entry never stops the others
                log.exception("entry %s failed", name)
                report.add_error(name, f"internal error: {type(exc).__name__}")


@dataclass
class PollReport:
    """What one polling round did."""

    feeds: int = 0
    polled: int = 0
    not_modified: int = 0
    report: IngestReport = field(default_factory=IngestReport)
    feed_errors: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """JSON shape for `briefbot poll --json`."""
        return {
            "feeds": self.feeds,
            "polled": self.polled,
            "not_modified": self.not_modified,
            "feed_errors": self.feed_errors,
            **self.report.as_dict(),
        }


def _state(feed: Feed) -> FeedState:
    return FeedState(
        url=feed.url,
        etag=feed.etag,
        last_modified=feed.last_modified,
        failures=feed.failures,
        next_poll_at=feed.next_poll_at,
        last_error=feed.last_error,
    )


def _known(store: Store, backoffs: EntryBackoffs, now: datetime) -> Callable[[str], bool]:
    """Entries not to fetch this round: already stored, or backing off after a failure."""

    def known(url: str) -> bool:
        if backoffs.entry_waiting(url, now):
            return True
        try:
            return store.find_by_url(normalize_url(url)) is not None
        except ValueError:
            return False

    return known


async def poll_round(
    store: Store,
    settings: Settings,
    now: datetime | None = None,
    client: httpx.AsyncClient | None = None,
) -> PollReport:
    """Poll every due feed once, ingest new entries, persist each feed's state."""
    for url in settings.feeds:
        store.add_feed(url)
    now = now or datetime.now(UTC)
    states = [_state(r) for r in store.feeds()]
    out = PollReport(feeds=len(states))
    if not states:
        return out
    backoffs = EntryBackoffs(store.conn)  # failed entries wait like feeds, across restarts
    known = _known(store, backoffs, now)
    interval = timedelta(minutes=settings.feed_interval_minutes)

    async def save(_feed: int, polled: PolledEntry) -> None:
        url = polled.entry.url
        if await _save_polled(store, polled, out.report):
            backoffs.entry_succeeded(url)
        else:
            failures = backoffs.entry_failures(url)[0] + 1
            backoffs.entry_failed(url, failures, now + backoff_delay(failures, interval), now)

    results = await poll_feeds(
        states,
        limits_from(settings),
        known_url=known,
        now=now,
        client=client,
        interval=interval,
        max_entries=settings.feed_max_entries,
        on_entry=save,  # each page is saved as it arrives, never gathered
    )
    for before, res in zip(states, results, strict=True):
        if res.state == before and not res.entries and not is_due(before, now):
            continue  # not due
        out.polled += 1
        out.not_modified += int(res.not_modified)
        if res.error:
            out.feed_errors.append({"input": before.url, "error": res.error})
        s = res.state
        store.save_feed_state(
            s.url, s.etag, s.last_modified, s.failures, s.next_poll_at, s.last_error
        )
    return out


async def _save_polled(store: Store, polled: PolledEntry, report: IngestReport) -> bool:
    """Extract and fingerprint in the sandbox (off the event loop), then save on this thread."""
    try:
        prepared = await _in_sandbox(prepare_entry, polled.entry, polled.page)
        report.ingested.append(save_article(store, prepared, polled.entry.url))
        return True
    except InputError as exc:
        report.add_error(polled.entry.url, str(exc))
    except Exception as exc:  # one bad entry never stops the others
        log.exception("entry %s failed", polled.entry.url)
        report.add_error(polled.entry.url, f"internal error: {type(exc).__name__}")
    return False
