"""An article's briefing parts: everything article-local a story's briefing needs, computed once.

A briefing splits every article into sentences, filters them, and reads each kept sentence's
concepts, clauses, actor, names, terms and LexRank words before anything is compared across
articles. All of that depends on the article alone, so it is computed once (``article_parts``),
stored (``summarizer.brief.parts_codec``) and reused by every later view of every story the
article joins; ``candidates`` rebuilds exactly the candidate sentences ``sentences.extract_all``
would pick (capped stories included) from the parts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from summarizer.brief.coherence import SourceText, subject_reference
from summarizer.brief.concepts import Weights, concepts, weights_of
from summarizer.brief.facts import SentenceFacts, sentence_facts
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
