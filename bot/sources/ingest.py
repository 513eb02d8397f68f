"""Read inputs, clean them, store each article atomically, assign it to a story.

``read_*`` functions do I/O, ``save_article`` writes, the summarizer does everything in between.
"""

from __future__ import annotations

import hashlib
import html
import logging
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.sources.sandbox import Sandbox, shared_sandbox
from bot.store import Store
from summarizer.clean.cleaner import clean_document
from summarizer.errors import InputError
from summarizer.models import Article, CleanDoc
from summarizer.nlp.text import fold, words
from summarizer.read.decode import decode_bytes
from summarizer.read.urls import normalize_url
from summarizer.stories import assign, cluster, duplicates, records
from summarizer.stories.signals import Signals
from summarizer.stories.signals import extract as extract_signals

log = logging.getLogger(__name__)

KINDS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
}
MAX_FILE_BYTES = 10 * 1024 * 1024
MIN_WORDS = 25


@dataclass(frozen=True)
class Ingested:
    """One input that became (or matched) a stored article."""

    id: int
    input: str
    title: str
    outlet: str
    story_id: int | None
    duplicate_of: int | None

    def as_dict(self) -> dict[str, object]:
        """The CLI's JSON shape."""
        return {
            "id": self.id,
            "input": self.input,
            "title": self.title,
            "outlet": self.outlet,
            "story_id": self.story_id,
            "duplicate_of": self.duplicate_of,
        }


@dataclass
class IngestReport:
    """What an ingest run did: stored articles and per-input errors."""

    ingested: list[Ingested] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    def add_error(self, name: str, error: str) -> None:
        """Record a one-line error for an input."""
        line = " ".join(error.split())[:300] if error else "failed"
        self.errors.append({"input": printable_name(name), "error": line or "failed"})

    def as_dict(self) -> dict[str, object]:
        """The CLI's JSON shape."""
        return {"ingested": [i.as_dict() for i in self.ingested], "errors": self.errors}


def printable_name(name: str) -> str:
    """A file name fit for JSON, SQLite and terminals: undecodable bytes become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def content_hash(text: str) -> str:
    """Hash of the folded word sequence: the same text in another format hashes the same."""
    return hashlib.sha256(" ".join(words(fold(text))).encode()).hexdigest()


# --- reading -----------------------------------------------------------------------------------


def iter_files(path: Path, on_error: Callable[[str, str], None] | None = None) -> Iterator[Path]:
    """Files below a folder, recursively, in a stable order, hidden files and folders skipped.

    A folder that cannot be listed is passed to ``on_error(name, reason)`` instead of vanishing.
    """

    def failed(exc: OSError) -> None:
        if on_error is not None:
            on_error(str(exc.filename or path), f"cannot read folder: {exc.strerror or exc}")

    for root, dirs, files in os.walk(path, onerror=failed):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def read_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> CleanDoc:
    """Read and clean one file, or raise InputError with a one-line reason."""
    return parse_bytes(read_bytes(path, max_bytes), KINDS.get(path.suffix.lower(), ""), str(path))


def read_bytes(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of one regular file of a known kind (never blocks on a pipe or device)."""
    if path.suffix.lower() not in KINDS:
        raise InputError(
            f"unsupported file type {path.suffix or '(none)'!r}: use .txt, .md or .html"
        )
    try:
        # O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file (a pipe, socket or device): skipped")
        if info.st_size > max_bytes:
            raise InputError(
                f"file too large: {info.st_size / 1_048_576:.1f} MB "
                f"(limit {max_bytes / 1_048_576:.0f} MB)"
            )
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    return data


def parse_bytes(data: bytes, kind: str, name: str) -> CleanDoc:
    """Decode and clean raw bytes of a known kind."""
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"input too large (limit {MAX_FILE_BYTES // 1_048_576} MB)")
    if kind not in KINDS.values():
        raise InputError(f"unsupported input kind {kind!r}: use .txt, .md or .html")
    text = decode_bytes(data)
    doc = clean_document(text, kind, name=name)
    if not words(doc.text[:WORD_CHECK_CHARS]):  # a short real item is still an article
        raise InputError("no article text found")
    return doc


#: The word-count check reads this much text: enough for any short article, and a 10 MB text
#: is not split into 1.5 million word strings just to count past 25.
WORD_CHECK_CHARS = 20_000


def prepare_bytes(data: bytes, kind: str, name: str) -> Prepared:
    """Decode, clean and fingerprint raw bytes (the work that runs in a sandbox worker)."""
    return prepare(parse_bytes(data, kind, name))


async def prepare_upload(data: bytes, kind: str, name: str) -> Prepared:
    """``prepare_bytes`` in the shared sandbox, off the event loop (a document sent to the bot)."""
    import asyncio

    return await asyncio.to_thread(shared_sandbox().run, prepare_bytes, data, kind, name)


def headline_doc(title: str, teaser: str, **meta: Any) -> CleanDoc:
    """A headline-only feed item (title plus teaser, tags stripped): stored as a short article."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", teaser))
    if not title.strip() and not plain.strip():
        raise InputError("the feed entry has neither a headline nor any text")
    return CleanDoc(title=" ".join(title.split()), text=" ".join(plain.split()), **meta)


# --- saving ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """A clean article plus everything about it that needs no database (computable in parallel)."""

    doc: CleanDoc
    url_key: str
    content_hash: str
    shingles: frozenset[int]
    bands: tuple[str, ...]
    counts: dict[str, float]
    entities: frozenset[str]
    signals: Signals | None = None  # the story-assignment evidence (summarizer.stories.signals)


def prepare(doc: CleanDoc) -> Prepared:
    """Duplicate fingerprints and clustering features of a clean article (pure, CPU-bound)."""
    url_key = ""
    if doc.url:
        try:
            url_key = normalize_url(doc.url)
        except ValueError:
            url_key = ""
    # Fingerprints and features read a long prefix: a 10 MB text costs no more than a long article.
    head = doc.text[:FEATURE_CHARS]
    signals = extract_signals(doc.title, head, doc.published)
    # A headline-only item is identified by its headline too (all empty texts hash alike).
    basis = f"{doc.title}\n\n{doc.text}" if signals.short else doc.text
    sh = cluster.shingles(basis[:FEATURE_CHARS])
    return Prepared(
        doc=doc,
        url_key=url_key,
        content_hash=content_hash(basis),
        shingles=frozenset(sh),
        bands=tuple(duplicates.index_keys(basis[:FEATURE_CHARS], sh)),
        counts=dict(signals.counts),
        entities=signals.names,
        signals=signals,
    )


#: Characters of an article's text that duplicate fingerprints and story features look at.
FEATURE_CHARS = 200_000


def save_article(store: Store, item: CleanDoc | Prepared, input_name: str) -> Ingested:
    """Store one clean article in one transaction: duplicate check, story assignment, indexes."""
    prep = item if isinstance(item, Prepared) else prepare(item)
    doc = prep.doc
    with store.atomic():
        context = store.duplicate_context(prep.url_key, prep.content_hash, prep.bands)
        original = duplicates.find_duplicate(set(prep.shingles), context)
        if original is not None:
            return Ingested(
                id=original.id,
                input=input_name,
                title=original.title,
                outlet=original.outlet,
                story_id=original.story_id,
                duplicate_of=original.id,
            )
        sig = prep.signals or extract_signals(doc.title, doc.text, doc.published)
        dfs, n_docs = store.term_dfs(sig.counts)
        weighted = assign.weigh(sig, dfs, n_docs)
        candidates = store.story_states(assign.query_terms(weighted, dfs, n_docs))
        decision = assign.decide(weighted, doc.published, candidates)
        if decision.story_id is None:
            state = assign.StoryState(store.create_story(), {})
        else:
            state = next(c for c in candidates if c.story_id == decision.story_id)
        story_id = state.story_id
        article = Article(
            id=0,
            title=doc.title,
            text=doc.text,
            outlet=doc.outlet,
            author=doc.author,
            published=doc.published,
            url=doc.url,
            content_hash=prep.content_hash,
            story_id=story_id,
            images=doc.images,
            short=sig.short,
        )
        aid = store.insert_article(
            article=article,
            url_key=prep.url_key,
            input_name=input_name,
            terms=weighted.vec,
            entities=sig.names,
            bands=prep.bands,
            term_set=sig.counts.keys(),
        )
        store.set_article_evidence(aid, records.article_record(weighted), sig.short)
        state = assign.absorb(state, weighted, doc.published)
        ents = set(store.story_entities(story_id)) | set(sig.names)
        _refresh_story_index(store, state, aid, ents)
    return Ingested(aid, input_name, doc.title, doc.outlet, story_id, None)


EXACT_TITLE_MEMBERS = 24


def _refresh_story_index(
    store: Store, state: assign.StoryState, article_id: int, ents: set[str]
) -> None:
    """Update a story's centroid, decision state, index terms and headline after an article joined.

    The headline is the member closest to the centroid; for big stories only the current
    headline's article and the newcomer compete, so the cost per article stays flat.
    """
    story_id, new_centroid = state.story_id, dict(state.centroid)
    if store.story_article_count(story_id) < EXACT_TITLE_MEMBERS:
        members = store.story_member_vectors(story_id)
    else:
        members = store.story_member_vectors(
            story_id, only=(store.story_title_article(story_id), article_id)
        )
    rep = cluster.representative({aid: v for aid, (_, v) in members.items()}, new_centroid)
    store.update_story(
        story_id,
        title=members[rep][0],
        title_article=rep,
        centroid=new_centroid,
        entities=sorted(ents)[:200],
        index_terms=assign.index_terms(state),
    )
    store.set_story_state(story_id, records.state_record(state))


# --- mending (admins: /merge, /split, `briefbot merge|split`) ------------------------------------


def merge_stories(store: Store, keep: int, other: int) -> None:
    """Move every article of story ``other`` into ``keep``; ``keep`` is rebuilt, ``other`` emptied."""
    if keep == other:
        raise ValueError("a story cannot be merged into itself")
    stories = [store.story(keep), store.story(other)]
    for sid, story in zip((keep, other), stories, strict=True):
        if story is None:
            raise LookupError(f"there is no story #{sid}")
    moving = stories[1].article_ids if stories[1] else ()
    with store.atomic():
        store.move_articles(moving, keep)
        store.clear_story(other)
        _rebuild_story(store, keep)


def split_article(store: Store, story_id: int, article_id: int) -> int:
    """Move one article out of a story into a new story of its own; returns the new story's id."""
    story = store.story(story_id)
    if story is None:
        raise LookupError(f"there is no story #{story_id}")
    if article_id not in story.article_ids:
        raise LookupError(f"article {article_id} is not in story #{story_id}")
    if len(story.article_ids) == 1:
        raise ValueError(f"article {article_id} is the only article of story #{story_id}")
    with store.atomic():
        new_id = store.create_story()
        store.move_articles([article_id], new_id)
        _rebuild_story(store, story_id)
        _rebuild_story(store, new_id)
    return new_id


def _rebuild_story(store: Store, story_id: int) -> None:
    """Recompute a story's state, title and derived fields from its members (drops its views)."""
    members = store.story_members(story_id)
    state = assign.rebuild(
        story_id, [(records.weighted_from_record(vec, ev), when) for _, _, vec, ev, when, _ in members]
    )
    vectors = {aid: vec for aid, _, vec, _, _, _ in members}
    rep = cluster.representative(vectors, state.centroid)
    store.update_story(
        story_id,
        title=next(title for aid, title, *_ in members if aid == rep),
        title_article=rep,
        centroid=dict(state.centroid),
        entities=sorted({e for *_, ents in members for e in ents})[:200],
        index_terms=assign.index_terms(state),
    )
    store.set_story_state(story_id, records.state_record(state))


def prepare_file(path: Path) -> Prepared:
    """Read, clean and prepare one file (the work that runs in a sandbox worker)."""
    return prepare(read_file(path))


# --- orchestration -----------------------------------------------------------------------------


def collect_files(inputs: Iterable[str], report: IngestReport) -> list[Path]:
    """The files named by ``inputs`` (folders expanded); missing inputs become errors."""
    files: list[Path] = []
    for raw in inputs:
        path = Path(raw)
        try:
            is_dir = path.is_dir()
            exists = is_dir or os.path.lexists(path)
        except (OSError, ValueError) as exc:  # a name too long, a NUL byte, no permission
            report.add_error(raw, f"cannot read: {exc}")
            continue
        if is_dir:
            if not os.access(path, os.R_OK | os.X_OK):
                report.add_error(raw, "cannot read folder: permission denied")
                continue
            files.extend(iter_files(path, report.add_error))
        elif exists:
            files.append(path)
        else:
            report.add_error(raw, "no such file or folder")
    return files


def ingest_paths(
    store: Store,
    inputs: Iterable[str],
    report: IngestReport | None = None,
    *,
    workers: int = 0,
    sandbox: Sandbox | None = None,
    read: Callable[[Path], Prepared] | None = None,
) -> IngestReport:
    """Ingest files and folders; one bad input never stops the others.

    Every file is read, cleaned and fingerprinted in a sandbox worker process (``workers``:
    0 = one per core, at most one per file) with a time and memory budget, so a hostile file
    costs its own error and nothing else; saving stays on this thread, in input order.
    ``read`` replaces ``prepare_file`` (a module-level function, for tests and benchmarks).
    """
    report = report or IngestReport()
    files = collect_files(inputs, report)
    if not files:
        return report
    n_workers = min(workers or (os.cpu_count() or 1), max(1, len(files) // 8))
    own = sandbox is None
    box = sandbox or Sandbox(workers=n_workers)
    try:
        for path, prepared in box.map(read or prepare_file, files):
            _save_prepared(store, path, prepared, report)
    finally:
        if own:
            box.close()
    return report


def _save_prepared(
    store: Store, path: Path, prepared: Prepared | Exception, report: IngestReport
) -> None:
    name = printable_name(str(path))
    if isinstance(prepared, Exception):
        report.add_error(name, str(prepared))
        return
    try:
        report.ingested.append(save_article(store, prepared, name))
    except InputError as exc:
        report.add_error(name, str(exc))
    except Exception as exc:  # one bad input never stops the others
        log.exception("ingest failed for %s", name)
        report.add_error(name, f"internal error: {type(exc).__name__}: {exc}")


def ingest_one_file(store: Store, path: Path, report: IngestReport) -> None:
    """Read, clean and save one file in the shared sandbox, recording the result or the error."""
    try:
        prepared: Prepared | Exception = shared_sandbox().run(prepare_file, path)
    except InputError as exc:
        prepared = exc
    _save_prepared(store, path, prepared, report)
