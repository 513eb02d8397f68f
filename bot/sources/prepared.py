"""What ingest computes about a clean article before it touches the database (in a worker)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from summarizer.models import CleanDoc
from summarizer.nlp.text import fold, words
from summarizer.read.urls import normalize_url
from summarizer.stories import cluster, duplicates
from summarizer.stories.signals import Signals
from summarizer.stories.signals import extract as extract_signals

#: Characters of an article's text that duplicate fingerprints and story features look at.
FEATURE_CHARS = 200_000


def content_hash(text: str) -> str:
    """Hash of the folded word sequence: the same text in another format hashes the same."""
    return _words_hash(words(fold(text)))


def _words_hash(folded_words: list[str]) -> str:
    return hashlib.sha256(" ".join(folded_words).encode()).hexdigest()


@dataclass(frozen=True)
class Prepared:
    """A clean article plus everything about it that needs no database (computable in parallel)."""

    doc: CleanDoc
    url_key: str
    content_hash: str
    bands: tuple[str, ...]
    fingerprint: bytes  # its shingles (``duplicates.fingerprint``): compact to pass and to store
    signals: Signals  # the story-assignment evidence (summarizer.stories.signals)


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
    # The content hash and the shingles read the same folded words: fold and tokenise once.
    folded = words(fold(basis))
    feature = basis[:FEATURE_CHARS]
    sh = cluster.word_shingles(folded if len(feature) == len(basis) else words(fold(feature)))
    return Prepared(
        doc=doc,
        url_key=url_key,
        content_hash=_words_hash(folded),
        fingerprint=duplicates.fingerprint(sh),
        bands=tuple(duplicates.index_keys(feature, sh)),
        signals=signals,
    )
