"""An article's briefing parts: everything article-local a story's briefing needs, computed once.

A briefing splits every article into sentences, filters them, and reads each kept sentence's
concepts, clauses, actor, names and terms before anything is compared across articles. All of
that depends on the article alone, so it is computed once (``article_parts``), stored
(``dumps``/``loads``: JSON compressed against the article's own text, tagged with
``parts_format``) and reused by every
later view of every story the article joins; ``candidates`` rebuilds exactly the candidate
sentences ``sentences.extract_all`` would pick (capped stories included) from the parts.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any

from summarizer.brief.coherence import SourceText, subject_reference
from summarizer.brief.concepts import Weights, concepts, weights_of
from summarizer.brief.facts import SentenceFacts, Unit, sentence_facts
from summarizer.brief.ranking import lexical_terms, lexrank_words
from summarizer.brief.sentences import (
    CHARS_PER_SENTENCE,
    MAX_CANDIDATES,
    MIN_PER_ARTICLE,
    Candidate,
    join_open_quotes,
    keep,
    paragraph_sentences,
    quality,
    sentence_key,
)
from summarizer.models import Article, Quote
from summarizer.nlp.text import fold, paragraphs, words

# The layout of stored parts and the code that fills them: bump it whenever either changes
# (the fitted data files are fingerprinted separately, see ``parts_format``).
FORMAT = 2


Concepts = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Row:
    """One sentence of the article as briefings split it (quotes split by Punkt rejoined)."""

    paragraph: int
    key: int  # rows with the same fold() share a key: repeated lines are never candidates
    usable: bool  # not the headline, and ``sentences.keep`` accepts it
    text: str = ""  # usable rows only (the rest are never shown or compared)
    n_words: int = 0
    quality: float = 0.0


@dataclass(frozen=True)
class Detail:
    """What comparing a usable row with other sentences needs."""

    facts: SentenceFacts
    terms: tuple[str, ...]  # ``ranking.lexical_terms``
    dangling: bool  # its subject is an unnamed "he" or bare role
    rank_words: tuple[str, ...]  # ``ranking.lexrank_words``


class ArticleParts:
    """A briefing's article-local work on one article. Parts read from storage decode a row's
    detail and a sentence's concepts only when asked (a big story uses each article's leading
    sentences only)."""

    def __init__(
        self,
        paragraph_chars: tuple[int, ...],
        rows: tuple[Row, ...],
        body: tuple[str, ...],
        every: tuple[str, ...],
        details: Callable[[int], Detail],
        concepts_of: Callable[[int], Concepts],
    ) -> None:
        self.paragraph_chars = paragraph_chars  # length of each paragraph (capped positions)
        self.rows = rows
        self.body = body  # the body's sentences as coherence reads them
        self.every = every  # headline and body sentences, as "only one outlet" compares them
        self._details = details  # row number -> detail (usable rows)
        self._concepts = concepts_of  # number in ``every`` -> concepts
        self._detail_cache: dict[int, Detail] = {}

    def detail(self, k: int) -> Detail:
        """The detail of usable row ``k``."""
        found = self._detail_cache.get(k)
        if found is None:
            found = self._detail_cache[k] = self._details(k)
        return found

    def every_concepts(self) -> list[Concepts]:
        """The concepts of each sentence of ``every``."""
        return [self._concepts(k) for k in range(len(self.every))]

    @cached_property
    def every_weights(self) -> list[tuple[str, Weights]]:
        """Every headline and body sentence with its concept weights (built on first use)."""
        return [(t, weights_of(c)) for t, c in zip(self.every, self.every_concepts(), strict=True)]

    def source(self, quotes: Callable[[], Sequence[Quote]]) -> SourceText:
        """The article as coherence reads it, with its quotes asked for on need."""
        return SourceText(self.body, quotes)

    def _content(self) -> tuple[Any, ...]:
        details = tuple(self.detail(k) if r.usable else None for k, r in enumerate(self.rows))
        return (self.paragraph_chars, self.rows, self.body, self.every, details,
                self.every_concepts())

    def __eq__(self, other: object) -> bool:
        """Same parts (everything decoded and compared)."""
        return isinstance(other, ArticleParts) and self._content() == other._content()

    __hash__ = None  # type: ignore[assignment]  # mutable caches: not hashable


def article_parts(article: Article) -> ArticleParts:
    """The article's parts (pure: its title and text only)."""
    title_key = fold(article.title)
    paras = paragraphs(article.text)
    raw = [
        (p_no, sent)
        for p_no, para in enumerate(paras)
        for sent in join_open_quotes(paragraph_sentences(para))
    ]
    ids: dict[str, int] = {}
    rows: list[Row] = []
    details: dict[int, Detail] = {}
    for p_no, sent in raw:
        key = sentence_key(sent)
        number = ids.setdefault(key, len(ids))
        if (title_key and key.rstrip(".") == title_key) or not keep(sent, key):
            rows.append(Row(p_no, number, False))
            continue
        details[len(rows)] = Detail(
            sentence_facts(sent),
            lexical_terms(sent),
            subject_reference(sent) is not None,
            lexrank_words(sent),
        )
        rows.append(Row(p_no, number, True, sent, len(words(sent)), quality(sent, key)))
    body = tuple(s for p in paras for s in paragraph_sentences(p))
    every = tuple(
        s for p in paragraphs(f"{article.title}\n\n{article.text}") for s in paragraph_sentences(p)
    )
    found = [concepts(s) for s in every]
    return ArticleParts(
        tuple(len(p) for p in paras), tuple(rows), body, every, details.__getitem__,
        found.__getitem__,
    )


def _candidates(
    article: Article, parts: ArticleParts, limit: int | None
) -> list[tuple[Candidate, Detail]]:
    """``sentences.extract_candidates(article, limit)``, from the parts (the same rules: a
    repeated line is no candidate; with ``limit``, only the leading paragraphs that give that
    many count, and positions are relative to the estimated full count)."""
    n_paras = len(parts.paragraph_chars)
    rows = list(enumerate(parts.rows))
    if limit is None:
        counts = Counter(r.key for r in parts.rows)
        kept = [(k, r) for k, r in rows if r.usable and counts[r.key] == 1]
        total = len(kept)
    else:
        paras: list[str] | None = None
        stop = min(n_paras, max(1, limit // 2))
        while True:
            later = ""
            if stop < n_paras:
                paras = paragraphs(article.text) if paras is None else paras
                later = fold("\n".join(paras[stop:]))
            head = [(k, r) for k, r in rows if r.paragraph < stop]
            counts = Counter(r.key for _, r in head)
            kept = [
                (k, r)
                for k, r in head
                if r.usable and counts[r.key] == 1 and not (later and sentence_key(r.text) in later)
            ]
            if len(kept) >= limit or stop >= n_paras:
                break
            stop = min(n_paras, 2 * stop)
        done = sum(parts.paragraph_chars[:stop])
        whole = sum(parts.paragraph_chars)
        total = max(len(kept), round(len(kept) * whole / max(1, done)))
        kept = kept[:limit]
    return [
        (
            Candidate(
                article.id, article.outlet, r.text, i, r.paragraph, i / total, r.n_words, r.quality
            ),
            parts.detail(k),
        )
        for i, (k, r) in enumerate(kept)
    ]


def candidates(
    articles: Sequence[Article], parts: Mapping[int, ArticleParts]
) -> list[tuple[Candidate, Detail]]:
    """``sentences.extract_all(articles, cap=True)`` from the articles' parts, each candidate
    with its row's detail (the same cap: a story of more than MAX_CANDIDATES sentences keeps each
    article's leading ones)."""
    if not articles:
        return []
    per_article = max(MIN_PER_ARTICLE, MAX_CANDIDATES // len(articles))
    size = sum(len(a.text) for a in articles) / CHARS_PER_SENTENCE
    out: list[tuple[Candidate, Detail]] = []
    if size <= 2 * MAX_CANDIDATES:
        for k, a in enumerate(articles):
            out.extend(_candidates(a, parts[a.id], None))
            if len(out) > MAX_CANDIDATES:
                out = [cr for cr in out if cr[0].index < per_article]
                return out + [
                    cr for b in articles[k + 1 :] for cr in _candidates(b, parts[b.id], per_article)
                ]
        return out
    return [cr for a in articles for cr in _candidates(a, parts[a.id], per_article)]


@cache
def parts_format() -> int:
    """The format number stored with parts: FORMAT and a fingerprint of the fitted data that
    concepts depend on (a refit makes every stored part stale, so it is recomputed)."""
    data = resources.files("summarizer.brief").joinpath("data")
    crc = 0
    for name in ("facts.json", "paraphrase.json"):
        try:
            crc = zlib.crc32(data.joinpath(name).read_bytes(), crc)
        except (FileNotFoundError, OSError):
            crc = zlib.crc32(name.encode(), crc)
    return (FORMAT << 32) | crc


class _Strings:
    """A string table: every distinct string of one article's parts is stored once."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, s: str) -> int:
        """The index of a string (added on first sight)."""
        return self.index.setdefault(s, len(self.index))

    def concepts(self, found: Sequence[tuple[str, float]]) -> list[float | int]:
        """A concept list as [name, weight, name, weight, ...] (weights are floats)."""
        index = self.index
        flat: list[float | int] = []
        for c, w in found:
            flat.append(index.setdefault(c, len(index)))
            flat.append(w)
        return flat

    def unit(self, u: Unit, concepts_at: int) -> list[Any]:
        """A unit whose concepts are stored under one of the table's texts (``concepts_at``),
        or inline (``concepts_at`` -1)."""
        head = [concepts_at] if concepts_at >= 0 else [self.concepts(u.concepts)]
        return [*head, self(u.actor), [self(s) for s in u.surnames], int(u.negated)]


def _zdict(article: Article) -> bytes:
    """The article's words as zlib's preset dictionary: the sentences in the parts are copies
    of them, so they are stored as references (about a third smaller than plain zlib)."""
    return f"{article.title}\n\n{article.text}".encode()[-32768:]  # zlib's window


def dumps(parts: ArticleParts, article: Article) -> bytes:
    """The article's parts as compact bytes (JSON with one string table, compressed)."""
    table = _Strings()
    known: dict[int, list[float | int]] = {}
    every = []
    for text, found in zip(parts.every, parts.every_concepts(), strict=True):
        at = table(text)
        if at not in known:
            known[at] = table.concepts(found)
        every.append(at)
    rows: list[Any] = []
    for k, r in enumerate(parts.rows):
        if not r.usable:
            rows.append([r.paragraph, r.key])
            continue
        d = parts.detail(k)
        at = table(r.text)
        if at not in known:
            known[at] = table.concepts(d.facts.whole.concepts)
        rows.append([
            r.paragraph, r.key, at, r.n_words, r.quality, int(d.dangling),
            [table(t) for t in d.terms],
            table.unit(d.facts.whole, at),
            [table.unit(u, -1) for u in d.facts.clauses],
            [table(w) for w in d.rank_words],
        ])
    doc = {
        "p": list(parts.paragraph_chars),
        "r": rows,
        "b": [table(s) for s in parts.body],
        "e": every,
        "c": [[k, v] for k, v in known.items()],
        "s": list(table.index),
    }
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    packer = zlib.compressobj(6, zdict=_zdict(article))
    return packer.compress(raw) + packer.flush()


def loads(data: bytes, article: Article) -> ArticleParts:
    """The article's parts from ``dumps`` bytes (same ``parts_format``); ValueError if
    unreadable."""
    try:
        unpacker = zlib.decompressobj(zdict=_zdict(article))
        raw = unpacker.decompress(data) + unpacker.flush()
        if not unpacker.eof:
            raise ValueError("truncated")
        return _decode(json.loads(raw))
    except (zlib.error, ValueError, KeyError, IndexError, TypeError) as exc:
        raise ValueError(f"unreadable article parts: {exc}") from exc


_ROW_FIELDS = 10  # a usable row as ``dumps`` writes it


class _Decoder:
    """Stored parts decoded on demand: rows at once, details and concepts when asked."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.s: list[str] = doc["s"]
        self.raw_rows: list[list[Any]] = doc["r"]
        self.known: dict[int, list[Any]] = {int(k): v for k, v in doc["c"]}
        self.every: list[int] = doc["e"]
        self.cache: dict[int, Concepts] = {}
        if any(len(r) not in (2, _ROW_FIELDS) for r in self.raw_rows):
            raise ValueError("rows of another layout")

    def parts(self, paragraph_chars: list[int], body: list[int]) -> ArticleParts:
        """The parts, their rows decoded."""
        s = self.s
        rows = tuple(
            Row(r[0], r[1], True, s[r[2]], r[3], r[4]) if len(r) > 2 else Row(r[0], r[1], False)
            for r in self.raw_rows
        )
        return ArticleParts(
            tuple(paragraph_chars), rows, tuple(s[k] for k in body),
            tuple(s[k] for k in self.every), self.detail, self.every_concepts,
        )

    def concepts(self, flat: list[Any]) -> Concepts:
        """A stored concept list."""
        s = self.s
        return tuple(zip([s[k] for k in flat[::2]], flat[1::2], strict=True))

    def concepts_at(self, at: int) -> Concepts:
        """The concepts stored for string ``at``."""
        found = self.cache.get(at)
        if found is None:
            found = self.cache[at] = self.concepts(self.known[at])
        return found

    def every_concepts(self, k: int) -> Concepts:
        """The concepts of sentence ``k`` of ``every``."""
        return self.concepts_at(self.every[k])

    def unit(self, u: list[Any]) -> Unit:
        """A stored unit."""
        s = self.s
        found = self.concepts_at(u[0]) if isinstance(u[0], int) else self.concepts(u[0])
        return Unit(found, s[u[1]], tuple([s[k] for k in u[2]]), bool(u[3]))

    def detail(self, k: int) -> Detail:
        """The detail of usable row ``k``."""
        _, _, _, _, _, dangling, terms, whole, clauses, ranked = self.raw_rows[k]
        s = self.s
        facts = SentenceFacts(self.unit(whole), tuple([self.unit(u) for u in clauses]))
        return Detail(
            facts, tuple([s[t] for t in terms]), bool(dangling), tuple([s[w] for w in ranked])
        )


def _decode(doc: dict[str, Any]) -> ArticleParts:
    return _Decoder(doc).parts(doc["p"], doc["b"])
