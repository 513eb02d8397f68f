"""Read inputs, clean them, store each article atomically, assign it to a story.

``read_*`` functions do I/O, ``save_article`` writes, the summarizer does everything in between.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.store import Store
from summarizer import cluster
from summarizer.clean import clean_document
from summarizer.decode import decode_bytes
from summarizer.errors import InputError
from summarizer.models import Article, CleanDoc
from summarizer.text import fold, words
from summarizer.urls import normalize_url

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
        self.errors.append({"input": name, "error": error.splitlines()[0] if error else "failed"})

    def as_dict(self) -> dict[str, object]:
        """The CLI's JSON shape."""
        return {"ingested": [i.as_dict() for i in self.ingested], "errors": self.errors}


def content_hash(text: str) -> str:
    """Hash of the folded word sequence: the same text in another format hashes the same."""
    return hashlib.sha256(" ".join(words(fold(text))).encode()).hexdigest()


# --- reading -----------------------------------------------------------------------------------


def iter_files(path: Path) -> Iterator[Path]:
    """Files below a folder, recursively, in a stable order, hidden files and folders skipped."""
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def read_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> CleanDoc:
    """Read and clean one file, or raise InputError with a one-line reason."""
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"unsupported file type {path.suffix or '(none)'!r}: use .txt, .md or .html"
        )
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"file too large: {size / 1_048_576:.1f} MB (limit {max_bytes / 1_048_576:.0f} MB)"
            )
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from None
    return parse_bytes(data, kind, str(path))


def parse_bytes(data: bytes, kind: str, name: str) -> CleanDoc:
    """Decode and clean raw bytes of a known kind."""
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"input too large (limit {MAX_FILE_BYTES // 1_048_576} MB)")
    text = decode_bytes(data)
    doc = clean_document(text, kind, name=name)
    if len(words(doc.text)) < MIN_WORDS:
        raise InputError("no article text found (fewer than 25 words after cleaning)")
    return doc


# --- saving ------------------------------------------------------------------------------------


def save_article(store: Store, doc: CleanDoc, input_name: str) -> Ingested:
    """Store one clean article in one transaction: duplicate check, story assignment, indexes."""
    url_key = ""
    if doc.url:
        try:
            url_key = normalize_url(doc.url)
        except ValueError:
            url_key = ""
    chash = content_hash(doc.text)
    with store.transaction():
        dup = store.find_by_url(url_key) if url_key else None
        dup = dup or store.find_by_hash(chash)
        sh = cluster.shingles(doc.text)
        bands = cluster.lsh_bands(cluster.minhash(sh))
        if dup is None:
            dup = cluster.best_duplicate(sh, store.lsh_candidates(bands))
        if dup is not None:
            original = store.article(dup)
            assert original is not None
            return Ingested(
                id=original.id,
                input=input_name,
                title=original.title,
                outlet=original.outlet,
                story_id=original.story_id,
                duplicate_of=original.id,
            )
        counts = cluster.term_counts(doc.title, doc.text)
        dfs, n_docs = store.term_dfs(counts)
        vec = cluster.weighted_vector(counts, dfs, n_docs)
        ents = cluster.entities(doc.title, doc.text)
        candidates = store.story_candidates(cluster.query_terms(vec, known=dfs))
        story_id, _score = cluster.choose_story(vec, ents, doc.published, candidates)
        if story_id is None:
            story_id = store.create_story()
            centroid: dict[str, float] = {}
            story_ents: set[str] = set()
        else:
            chosen = next(c for c in candidates if c.story_id == story_id)
            centroid = dict(chosen.centroid)
            story_ents = set(chosen.entities)
        article = Article(
            id=0,
            title=doc.title,
            text=doc.text,
            outlet=doc.outlet,
            author=doc.author,
            published=doc.published,
            url=doc.url,
            content_hash=chash,
            story_id=story_id,
            images=doc.images,
        )
        aid = store.insert_article(
            article=article,
            url_key=url_key,
            input_name=input_name,
            terms=vec,
            entities=ents,
            bands=bands,
            term_set=counts.keys(),
        )
        _refresh_story_index(store, story_id, centroid, vec, story_ents | set(ents))
    return Ingested(aid, input_name, doc.title, doc.outlet, story_id, None)


def _refresh_story_index(
    store: Store, story_id: int, centroid: dict[str, float], vec: dict[str, float], ents: set[str]
) -> None:
    new_centroid = cluster.merge_centroid(centroid, vec)
    members = store.story_member_vectors(story_id)
    rep = cluster.representative({aid: v for aid, (_, v) in members.items()}, new_centroid)
    store.update_story(
        story_id,
        title=members[rep][0],
        centroid=new_centroid,
        entities=sorted(ents)[:200],
        index_terms=cluster.query_terms(new_centroid, cluster.INDEX_TERMS),
    )


# --- orchestration -----------------------------------------------------------------------------


def ingest_paths(
    store: Store, inputs: Iterable[str], report: IngestReport | None = None
) -> IngestReport:
    """Ingest files and folders; one bad input never stops the others."""
    report = report or IngestReport()
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            for file in iter_files(path):
                ingest_one_file(store, file, report)
        elif path.exists():
            ingest_one_file(store, path, report)
        else:
            report.add_error(raw, "no such file or folder")
    return report


def ingest_one_file(store: Store, path: Path, report: IngestReport) -> None:
    """Read, clean and save one file, recording the result or the error."""
    name = str(path)
    try:
        doc = read_file(path)
        report.ingested.append(save_article(store, doc, name))
    except InputError as exc:
        report.add_error(name, str(exc))
    except Exception as exc:  # one bad input never stops the others
        log.exception("ingest failed for %s", name)
        report.add_error(name, f"internal error: {type(exc).__name__}: {exc}")
