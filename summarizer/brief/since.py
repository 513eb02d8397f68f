"""What is new in a story: the facts no earlier article stated, and the outlets new to it.

An article is "new" by the caller's rule (after a time, or not yet seen by a chat). Every
candidate sentence of the story is grouped into facts as the briefing does (``facts.same``,
leader clustering); a fact's sources are its group and every sentence that shares at least
``known`` of its wording's weight either way (``facts.carry``; ``data/since.json``, fitted by
bench/eval_since.py). A fact is new when all its sources are new articles, i.e. the earliest
article stating it is a new one. New facts are ordered by how many outlets carry them, then by how
early their articles put them, shown once each (no new fact repeating another), within about
``words`` words; a "he"/"the minister" subject is named or the sentence left out (``coherence``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources

import numpy as np

from summarizer.brief import coherence
from summarizer.brief.credits import wording_outlet
from summarizer.brief.facts import fact_matrix, params
from summarizer.brief.sentences import Candidate, extract_all
from summarizer.models import Article, BriefSentence, Framing
from summarizer.nlp.similarity import group_near_duplicates
from summarizer.nlp.text import fold

_DATA = "data/since.json"


@lru_cache(maxsize=1)
def known_share() -> float:
    """The fitted share of a sentence's weight another must state (or it of the other's) for
    the two to be told as one fact in an update."""
    raw = json.loads(resources.files("summarizer.brief").joinpath(_DATA).read_text("utf-8"))
    return float(raw["known"])


#: Bound on sentences compared pairwise: past it, each article keeps its leading sentences.
MAX_CANDIDATES = 2500
MIN_PER_ARTICLE = 4


@dataclass(frozen=True)
class Update:
    """The new part of a story: new facts with their outlets, new outlets' headlines."""

    story_id: int
    title: str
    sentences: tuple[BriefSentence, ...]
    new_outlets: tuple[Framing, ...]
    article_ids: tuple[int, ...]  # the new articles

    @property
    def empty(self) -> bool:
        """Nothing new to tell."""
        return not self.sentences and not self.new_outlets


def article_time(article: Article) -> datetime | None:
    """When an article appeared: its publish time, else when it was ingested (UTC-aware)."""
    t = article.published or article.ingested_at
    if t is None:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def after(since: datetime) -> Callable[[Article], bool]:
    """The rule "appeared after ``since``" (an undated article never counts as new)."""
    bound = since if since.tzinfo else since.replace(tzinfo=UTC)

    def rule(article: Article) -> bool:
        t = article_time(article)
        return t is not None and t > bound

    return rule


def _ordered(articles: Sequence[Article]) -> list[Article]:
    """Oldest first (undated last), ties by id."""
    far = datetime.max.replace(tzinfo=UTC)
    return sorted(articles, key=lambda a: (article_time(a) or far, a.id))


def _capped(cands: list[Candidate], n_articles: int) -> list[Candidate]:
    """Each article's leading sentences when a story is too large to compare all pairs."""
    if len(cands) <= MAX_CANDIDATES or n_articles == 0:
        return cands
    per_article = max(MIN_PER_ARTICLE, MAX_CANDIDATES // n_articles)
    return [c for c in cands if c.index < per_article]


def _new_outlets(ordered: Sequence[Article], new_ids: set[int]) -> tuple[Framing, ...]:
    """The first new headline of each outlet that had no earlier article."""
    old = {fold(a.outlet) for a in ordered if a.id not in new_ids and a.outlet.strip()}
    seen: set[str] = set()
    out: list[Framing] = []
    for a in ordered:
        key = fold(a.outlet)
        if a.id in new_ids and a.outlet.strip() and key not in old and key not in seen:
            seen.add(key)
            out.append(Framing(outlet=a.outlet, article_id=a.id, title=a.title))
    return tuple(out)


def story_update(
    story_id: int,
    title: str,
    articles: Sequence[Article],
    is_new: Callable[[Article], bool],
    words: int = 120,
) -> Update:
    """The facts first reported by a new article (about ``words`` words, each credited to the
    articles and outlets stating it) and the outlets that had no earlier article."""
    ordered = _ordered(articles)
    new_ids = {a.id for a in ordered if is_new(a)}
    if not new_ids:
        return Update(story_id, title, (), (), ())
    outlets = _new_outlets(ordered, new_ids)
    new_sorted = tuple(sorted(new_ids))
    cands = _capped(extract_all([a for a in ordered if not a.short]), len(ordered))
    if not any(c.article_id in new_ids for c in cands):
        return Update(story_id, title, (), outlets, new_sorted)
    fm = fact_matrix([c.text for c in cands])
    p = params()
    known = known_share()
    order = sorted(range(len(cands)), key=lambda i: (cands[i].index, -cands[i].quality, i))
    groups = group_near_duplicates(fm.same, order, p.same)
    fresh: list[tuple[int, set[int]]] = []
    for members in groups:
        rep = max(members, key=lambda i: (cands[i].quality, -cands[i].index))
        # Who states the fact: the group, and every sentence sharing enough of the wording's
        # weight either way (fitted on the seeds' fact alignment by bench/eval_since.py).
        shared = np.maximum(fm.carry[rep], fm.carry[:, rep])
        sources = {*members, *np.flatnonzero(shared >= known).tolist()}
        if all(cands[i].article_id in new_ids for i in sources):
            # Credited: the group and every sentence stating most of the wording's weight.
            found = set(members) | set(np.flatnonzero(fm.carry[rep] >= p.carry).tolist())
            fresh.append((rep, found))

    def rank(item: tuple[int, set[int]]) -> tuple[int, int, float, int]:
        rep, found = item
        support = len({fold(cands[i].outlet) or f"#{cands[i].article_id}" for i in found})
        return (-support, cands[rep].index, -cands[rep].quality, rep)

    by_id = {a.id: a for a in ordered}
    chosen: list[int] = []
    shown: list[BriefSentence] = []
    used = 0
    for rep, found in sorted(fresh, key=rank):
        if any(fm.carry[rep, j] >= p.repeat for j in chosen):
            continue  # repeats a new fact already shown
        c = cands[rep]
        wording = coherence.fix_one(c.text, by_id[c.article_id], [s.text for s in shown])
        if wording is None:
            continue
        n = len(wording.split())
        if shown and used + n > words:
            break
        ids = tuple(sorted({cands[i].article_id for i in found}))
        names = tuple(sorted({by_id[a].outlet for a in ids if by_id[a].outlet.strip()}, key=fold))
        shown.append(BriefSentence(wording, ids, names, 0.0, wording_outlet(c)))
        chosen.append(rep)
        used += n
    return Update(story_id, title, tuple(shown), outlets, new_sorted)
