"""Merge the quotes of a story's articles: one entry per quote, one name per speaker."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from summarizer.models import Article, Quote, QuoteVariant, StoryQuote
from summarizer.nlp.text import fold
from summarizer.quotes.speakers import same_person, word_set

_PUNCT_RE = re.compile(r"[^\w\s]+")
_SPACE_RE = re.compile(r"\s+")
_STOP = word_set(
    "a an the and or but of to in on at for with by from is are was were be been it that this "
    "we i you he she they them us our my your his her their as so not no do"
)


@dataclass(frozen=True)
class _Entry:
    """One quote of one article."""

    article_id: int
    outlet: str
    quote: Quote
    key: str  # the wording key (fold + punctuation removed)


def wording_key(text: str) -> str:
    """Two wordings with the same key are the same wording."""
    return _SPACE_RE.sub(" ", _PUNCT_RE.sub(" ", fold(text).replace("'", "").replace(".", ""))).strip()


def _speaker_names(entries: list[_Entry]) -> dict[str, str]:
    """Map every speaker spelling to the canonical spelling of its person."""
    counts = Counter(e.quote.speaker for e in entries if e.quote.speaker)
    names = sorted(counts, key=lambda n: (-len(n.split()), -counts[n], n))
    groups: list[list[str]] = []
    for name in names:
        full = [g for g in groups if all(same_person(name, m) for m in g if len(m.split()) > 1)
                and any(same_person(name, m) for m in g)]
        if full:
            max(full, key=lambda g: sum(counts[m] for m in g)).append(name)
        else:
            groups.append([name])
    mapping: dict[str, str] = {}
    for group in groups:
        best = max(group, key=lambda n: (len(n.split()) > 1, sum(
            counts[m] for m in group if m == n), len(n), n))
        common = _common_name(group)
        if common and len(common.split()) < len(best.split()):
            best = common
        for name in group:
            mapping[name] = best
    return mapping


def _common_name(group: list[str]) -> str:
    """The longest run of final words (2 or more) shared by every multi-word spelling.

    Different outlets' leftover titles ("Councillor X Y", "Councilmember X Y") drop away.
    """
    multi = [n.split() for n in group if len(n.split()) > 1]
    if len(multi) < 2:
        return ""
    n = 0
    while all(len(m) > n for m in multi) and len({m[-1 - n] for m in multi}) == 1:
        n += 1
    return " ".join(multi[0][-n:]) if n >= 2 else ""


def _content(key: str) -> set[str]:
    return {w for w in key.split() if w not in _STOP}


def _same_quote(a: _Entry, b: _Entry, same_speaker: bool) -> bool:
    """Whether two quotes report the same words (or the same moment in other words)."""
    if a.key == b.key:
        return True
    if not a.key or not b.key:
        return False
    short, long_ = sorted((a.key, b.key), key=len)
    if len(short.split()) >= 3 and f" {short} " in f" {long_} ":
        return True
    if not same_speaker or min(len(a.key.split()), len(b.key.split())) < 4:
        return False
    wa, wb = a.key.split(), b.key.split()
    if SequenceMatcher(None, wa, wb, autojunk=False).ratio() >= 0.55:
        return True
    ca, cb = _content(a.key), _content(b.key)
    return bool(ca and cb) and len(ca & cb) / min(len(ca), len(cb)) >= 0.6


def _cluster(entries: list[_Entry], names: dict[str, str]) -> list[list[_Entry]]:
    """Union-find over quotes with the same (or an unknown) speaker."""
    parent = list(range(len(entries)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(entries):
        sa = names.get(a.quote.speaker, "")
        for j in range(i + 1, len(entries)):
            b = entries[j]
            sb = names.get(b.quote.speaker, "")
            if sa and sb and sa != sb:
                continue
            if _same_quote(a, b, sa == sb or not (sa and sb)):
                parent[find(j)] = find(i)
    groups: dict[int, list[_Entry]] = {}
    for i, e in enumerate(entries):
        groups.setdefault(find(i), []).append(e)
    return list(groups.values())


def _variants(group: list[_Entry]) -> list[QuoteVariant]:
    """One variant per distinct wording, most widely carried first."""
    by_key: dict[str, list[_Entry]] = {}
    for e in group:
        by_key.setdefault(e.key, []).append(e)
    out = [
        QuoteVariant(
            text=min(es, key=lambda e: (e.article_id, e.quote.start)).quote.text,
            article_ids=tuple(sorted({e.article_id for e in es})),
            outlets=tuple(sorted({e.outlet for e in es if e.outlet})),
        )
        for es in by_key.values()
    ]
    out.sort(key=lambda v: (-len(v.article_ids), -len(v.text), v.article_ids, v.text))
    return out


def _story_quote(group: list[_Entry], names: dict[str, str]) -> StoryQuote:
    variants = _variants(group)
    main = variants[0]
    first = min(group, key=lambda e: (e.article_id, e.quote.start))
    speakers = Counter(names[e.quote.speaker] for e in group if e.quote.speaker)
    speaker = min(speakers, key=lambda n: (-speakers[n], n)) if speakers else ""
    roles = Counter(e.quote.role for e in group if e.quote.role and names.get(
        e.quote.speaker) == speaker)
    role = min(roles, key=lambda r: (-roles[r], r)) if roles else ""
    context = next((e.quote.context for e in group if e.key == wording_key(main.text)), "")
    return StoryQuote(
        text=main.text,
        speaker=speaker,
        role=role,
        article_ids=tuple(sorted({e.article_id for e in group})),
        outlets=tuple(sorted({e.outlet for e in group if e.outlet})),
        context=context or first.quote.context,
        variants=tuple(variants) if len(variants) > 1 else (),
    )


def merge_story_quotes(items: Sequence[tuple[Article, Sequence[Quote]]]) -> list[StoryQuote]:
    """Merge per-article quotes: same quote across outlets, same speaker across spellings."""
    entries = [
        _Entry(article.id, article.outlet, q, wording_key(q.text))
        for article, quotes in sorted(items, key=lambda it: it[0].id)
        for q in quotes
        if q.text.strip()
    ]
    names = _speaker_names(entries)
    merged = [_story_quote(g, names) for g in _cluster(entries, names)]
    per_speaker = Counter(sq.speaker for sq in merged)

    def order(sq: StoryQuote) -> tuple[int, int, str, int, tuple[int, ...], str]:
        return (not sq.speaker, -per_speaker[sq.speaker], sq.speaker, -len(sq.article_ids),
                sq.article_ids, sq.text)

    return sorted(merged, key=order)
