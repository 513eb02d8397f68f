"""Read inputs, clean them, store each article atomically, assign it to a story.

``read_*`` functions do I/O; ``prepared`` fingerprints a clean article (in a sandbox worker),
``saving.save_article`` stores it, ``mending`` merges and splits stories; the summarizer does
everything in between.
"""

from __future__ import annotations

import html
import logging
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.sources.batches import Prefetch, save_batched
from bot.sources.mending import merge_stories, split_article
from bot.sources.prepared import FEATURE_CHARS, Prepared, content_hash, prepare
from bot.sources.sandbox import Sandbox, shared_sandbox
from bot.sources.saving import Ingested, save_article
from bot.store import Store
from summarizer.clean.cleaner import clean_document
from summarizer.errors import InputError
from summarizer.models import CleanDoc
from summarizer.nlp.text import has_words
from summarizer.read.decode import decode_bytes

__all__ = [
    "FEATURE_CHARS",
    "IngestReport",
    "Ingested",
    "Prepared",
    "content_hash",
    "ingest_paths",
    "merge_stories",
    "prepare",
    "save_article",
    "split_article",
]

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


@dataclass
class IngestReport:
    """What an ingest run did: stored articles and per-input errors."""

    ingested: list[Ingested] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    def add_error(self, name: str, error: str) -> None:
        """Record a one-line error for an input."""
        line = " ".join(error.split())[:300] if error else "failed"
        self.errors.append({"input": printable_name(name), "error": line or "failed"})

    def lost(self, first: int, reason: str) -> None:
        """Saved articles from number ``first`` on were undone after all: they become errors."""
        for item in self.ingested[first:]:
            self.add_error(item.input, f"not saved: {reason}")
        del self.ingested[first:]

    def as_dict(self) -> dict[str, object]:
        """The CLI's JSON shape."""
        return {"ingested": [i.as_dict() for i in self.ingested], "errors": self.errors}


def printable_name(name: str) -> str:
    """A file name fit for JSON, SQLite and terminals: undecodable bytes become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


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
    if len(text) > MAX_READ_CHARS:  # bounded work and memory: longer than any article
        log.warning(
            "%s: only the first %d of %d characters are read", name, MAX_READ_CHARS, len(text)
        )
        cut = text.rfind("\n\n", MAX_READ_CHARS // 2, MAX_READ_CHARS)  # at a paragraph break
        text = text[: cut if cut > 0 else MAX_READ_CHARS]
    doc = clean_document(text, kind, name=name)
    if not has_words(doc.text[:WORD_CHECK_CHARS]):  # a short real item is still an article
        raise InputError("no article text found")
    return doc


#: Characters of a decoded input that are cleaned and stored: over ten times a long read
#: (the longest of 375 real dev pages is 1.6 MB of HTML), so only junk-sized inputs are cut.
MAX_READ_CHARS = 2_000_000


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


def warm_up(html: bool = True) -> None:
    """Load what reading needs once: trafilatura (unless told no HTML comes), the word-frequency
    list, the stop words, the stemmer and the line model (~0.5 s of processor time, ~45 MB).
    Called before the reader workers are forked, they share it instead of each loading it again
    for every batch."""
    if html:
        import trafilatura  # noqa: F401

    from summarizer.clean.model import load_model
    from summarizer.nlp.terms import stem
    from summarizer.stories.cluster import stop_words
    from summarizer.stories.signals import zipf

    load_model()
    stop_words()
    stem("read")
    zipf("read")


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
    costs its own error and nothing else; saving stays on this thread, in input order, in short
    batch transactions (``batches``).
    ``read`` replaces ``prepare_file`` (a module-level function, for tests and benchmarks).
    """
    report = report or IngestReport()
    files = collect_files(inputs, report)
    if not files:
        return report
    n_workers = min(workers or (os.cpu_count() or 1), max(1, len(files) // 8))
    own = sandbox is None
    box = sandbox or Sandbox(workers=n_workers)
    done = report

    def save(item: tuple[Path, Prepared | InputError]) -> None:
        _save_prepared(store, item[0], item[1], done)

    try:
        if own:  # in this process, once: the workers forked below start warm
            warm_up(html=any(KINDS.get(f.suffix.lower()) == "html" for f in files))
        box.start()  # every worker forked before the prefetch thread exists
        stream = Prefetch(box.map(read or prepare_file, files))
        try:
            save_batched(store, stream, save, lambda: len(done.ingested), done.lost)
        finally:
            if own:
                box.close()
            stream.close()
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
