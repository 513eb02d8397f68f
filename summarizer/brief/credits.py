"""Who carries a fact: credits of briefing sentences and honest "only one outlet" claims.

A sentence is credited to every outlet with a sentence that states its fact, in full or in part
(``facts.carry`` either way, or the same fact group). "Only X" is claimed for a fact only when no
sentence of any other outlet, kept or not (quotes, questions, captions included), shares even
part of it: precision first, when unsure nothing is claimed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol

import numpy as np

from summarizer.brief import coherence
from summarizer.brief.concepts import Weights, concepts, partial_overlap_of, weights_of
from summarizer.brief.facts import FactMatrix, params
from summarizer.brief.parts import ArticleParts
from summarizer.brief.sentences import Candidate
from summarizer.models import Article, BriefSentence
from summarizer.nlp.text import fold, straighten_quotes

MAX_EXCLUSIVES = 3
_QUOTE_RE = re.compile(r'"([^"]+)"')


class GroupLike(Protocol):
    """What the exclusives need of a fact group."""

    rep: int
    support: int
    score: float
    article_ids: tuple[int, ...]
    outlets: tuple[str, ...]


def carriers(fm: FactMatrix, reps: np.ndarray, members: Sequence[set[int]]) -> list[set[int]]:
    """Per group: every sentence stating (part of) its wording's fact, the wording included."""
    if len(reps) == 0:
        return []
    limit = params().carry
    # (groups, sentences): either carries (part of) the other's fact. Group members count only
    # when they carry the wording's fact too: a loose group never credits an outlet with a
    # fact its sentence does not state.
    both = np.maximum(fm.carry[reps], fm.carry[:, reps].T) >= limit
    ks, idx = np.nonzero(both)
    bounds = np.searchsorted(ks, np.arange(len(reps) + 1))
    found = idx.tolist()
    return [
        set(found[bounds[k] : bounds[k + 1]]) | {int(reps[k])} for k in range(len(members))
    ]


def wording_outlet(cand: Candidate) -> str:
    """The outlet whose words are shown, when the sentence carries a direct quote (else "")."""
    quoted = _QUOTE_RE.findall(straighten_quotes(cand.text))
    return cand.outlet.strip() if any(len(q.split()) >= 3 for q in quoted) else ""


def _other_sentences(
    articles: Sequence[Article],
    outlet: str,
    article_id: int,
    seen: set[str],
    parts: Mapping[int, ArticleParts],
) -> Iterator[Weights]:
    """Every sentence (headline included) of every article from another source that is not a
    candidate already compared (``seen``: candidate texts), as concept weights."""
    key = fold(outlet)
    for a in articles:
        if a.id == article_id or (key and fold(a.outlet) == key):
            continue
        yield from (w for s, w in parts[a.id].every_weights if s not in seen)


def exclusives(
    groups: Sequence[GroupLike],
    cands: Sequence[Candidate],
    fm: FactMatrix,
    used: Sequence[int],
    articles: Sequence[Article],
    n_sources: int,
    shown: Sequence[str],
    parts: Mapping[int, ArticleParts],
    sources: Mapping[int, coherence.SourceText],
) -> list[BriefSentence]:
    """Well-ranked facts only one source states, that no other source states even in part
    (``parts``: every article's, ``sources``: as coherence reads them)."""
    if n_sources < 2:
        return []
    limit = params().only
    taken: list[int] = list(used)
    out: list[BriefSentence] = []
    seen = {c.text for c in cands}
    for g in sorted(groups, key=lambda g: (-g.score, g.rep)):
        if len(out) >= MAX_EXCLUSIVES:
            break
        if g.support != 1 or len(g.article_ids) != 1:
            continue
        c = cands[g.rep]
        if c.quality < 0.85 or c.n_words < 8 or g.rep in taken:
            continue
        related = fm.related(g.rep)
        if taken and float(related[taken].max()) >= limit:
            continue  # the briefing (or an earlier exclusive) already says it
        others = [k for k in range(len(cands)) if cands[k].article_id not in g.article_ids]
        if others and float(related[others].max()) >= limit:
            continue
        rest = _other_sentences(articles, c.outlet, c.article_id, seen, parts)
        if partial_overlap_of(weights_of(concepts(c.text)), rest) >= limit:
            continue
        text = c.text
        if coherence.subject_reference(text) is not None:
            fixed = coherence.fix_one(text, sources[c.article_id], shown)
            if fixed is None:
                continue
            text = fixed
        out.append(BriefSentence(text, g.article_ids, g.outlets, round(g.score, 6)))
        taken.append(g.rep)
    return out
