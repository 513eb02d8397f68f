"""Multi-source extractive briefing of one story.

1. Every article's body is split into real sentences; captions, headings, fragments, questions,
   bare quotes and boilerplate are dropped (``summarizer.brief.sentences``).
2. Sentences telling the same fact in several articles are grouped (cosine of stemmed
   content-word TF-IDF vectors, leader clustering; ``summarizer.nlp.similarity``). A group is one
   fact; its wording is the best-formed member, its sources every article/outlet in it.
3. sumy's LexRank (vectorised, ``summarizer.brief.ranking``) ranks the group wordings. The score mixes
   that centrality with source support (how many outlets carry the fact) and position (news
   leads with the news).
4. Maximal-marginal-relevance selection fills the word budget without repeating a fact; the
   best sentence leads, the rest follow in their average article order.
5. Single-source facts that rank well but were not used become "exclusives"; each outlet's
   headline becomes a framing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from summarizer.brief.ranking import lexrank_scores
from summarizer.brief.sentences import Candidate, extract_all
from summarizer.models import Article, Briefing, BriefSentence, Framing
from summarizer.nlp.similarity import (
    containment_matrix,
    cosine_matrix,
    group_near_duplicates,
    terms,
)
from summarizer.nlp.text import fold

GROUP_THRESHOLD = 0.42  # cosine at which two sentences tell the same fact
CONTAIN_THRESHOLD = 0.75  # share of the shorter sentence's terms found in the longer one
CONTAIN_MIN_TERMS = 5
CONTAIN_MAX_TERMS = 14
ATTRIBUTE = 0.4  # an unselected group this close to a selected one also carries its fact
REDUNDANT = 0.25  # a selected sentence this similar to an earlier one repeats it
MMR_LAMBDA = 0.8
W_CENTRAL, W_SUPPORT, W_POSITION = 0.30, 0.45, 0.25
MAX_EXCLUSIVES = 3
MAX_RANKED = 800  # LexRank runs on at most this many group wordings (best priors first)
MAX_CANDIDATES = 2500  # bound on sentences compared pairwise (the similarity matrix is dense)
MIN_PER_ARTICLE = 4


@dataclass
class _Group:
    members: list[int]
    rep: int
    article_ids: tuple[int, ...]
    outlets: tuple[str, ...]
    support: int  # distinct sources (outlets; articles without an outlet count alone)
    ledes: int  # articles that open with this fact (their first kept sentence is in the group)
    position: float  # positional prior in [0, 1]
    order_key: float  # mean relative position in the articles
    score: float = 0.0


def _source_key(c: Candidate) -> str:
    return fold(c.outlet) if c.outlet.strip() else f"#{c.article_id}"


def _article_order(articles: Sequence[Article]) -> list[Article]:
    """Articles oldest first (undated last), ties by id: a deterministic reading order."""

    def key(a: Article) -> tuple[int, datetime, int]:
        if a.published is None:
            return (1, datetime.min, a.id)
        return (0, a.published.replace(tzinfo=None), a.id)

    return sorted(articles, key=key)


def _similarity(cands: Sequence[Candidate]) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Pairwise "same fact" similarity: cosine, or containment when one restates the other."""
    docs = [terms(c.text) for c in cands]
    sim = cosine_matrix(docs)
    sizes = np.array([len(set(d)) for d in docs])
    # Only a short sentence can be mostly contained in another: compare those rows only.
    short = np.flatnonzero((sizes >= CONTAIN_MIN_TERMS) & (sizes <= CONTAIN_MAX_TERMS))
    if len(docs) > 1 and len(short):
        contain = containment_matrix(docs, short.tolist())
        big_enough = sizes[None, :] >= CONTAIN_MIN_TERMS
        boost = np.where(big_enough & (contain >= CONTAIN_THRESHOLD), contain * 0.6, 0.0)
        boost = boost.astype(sim.dtype)
        sim[short, :] = np.maximum(sim[short, :], boost)
        sim[:, short] = np.maximum(sim[:, short], boost.T)
    return sim, docs


def _choose_rep(
    members: list[int],
    cands: Sequence[Candidate],
    sim: np.ndarray,
    docs: Sequence[Sequence[str]],
) -> int:
    """The best-formed wording: clean, central to the group, early in its article."""
    if len(members) == 1:
        return members[0]
    sub = sim[np.ix_(members, members)]
    centrality = (sub.sum(axis=1) - 1.0) / (len(members) - 1)
    union: set[str] = set()
    for i in members:
        union.update(docs[i])

    def key(k: int) -> tuple[float, int, int]:
        c = cands[members[k]]
        coverage = len(set(docs[members[k]])) / max(1, len(union))
        value = c.quality * (0.5 + 0.25 * float(centrality[k]) + 0.25 * coverage)
        value -= 0.01 * c.index
        return (-round(value, 6), c.article_id, c.index)

    return members[min(range(len(members)), key=key)]


def _make_groups(
    cands: Sequence[Candidate], sim: np.ndarray, docs: Sequence[Sequence[str]]
) -> list[_Group]:
    order = sorted(range(len(cands)), key=lambda i: (cands[i].index, -cands[i].quality, i))
    raw = group_near_duplicates(sim, order, GROUP_THRESHOLD)
    groups: list[_Group] = []
    for members in raw:
        rep = _choose_rep(members, cands, sim, docs)
        ids = tuple(sorted({cands[i].article_id for i in members}))
        outlets = tuple(
            sorted(
                {cands[i].outlet.strip() for i in members if cands[i].outlet.strip()},
                key=lambda o: (fold(o), o),
            )
        )
        support = len({_source_key(cands[i]) for i in members})
        best_index = min(cands[i].index for i in members)
        position = 1.0 / (1.0 + 0.35 * best_index)
        order_key = float(np.mean([cands[i].rel_pos for i in members]))
        ledes = len({cands[i].article_id for i in members if cands[i].index == 0})
        groups.append(_Group(members, rep, ids, outlets, support, ledes, position, order_key))
    return groups


def _score(groups: list[_Group], cands: Sequence[Candidate], n_sources: int) -> None:
    # Bound the O(n^2) step: rank the groups with the best support/position priors.
    ranked = sorted(range(len(groups)), key=lambda k: (-groups[k].support, -groups[k].position, k))
    ranked = sorted(ranked[:MAX_RANKED])
    central = np.zeros(len(groups))
    central[ranked] = lexrank_scores([cands[groups[k].rep].text for k in ranked])
    denom = math.log1p(n_sources) if n_sources > 1 else 1.0
    for g, c in zip(groups, central, strict=True):
        support = math.log1p(g.support - 1) / denom if n_sources > 1 else 0.0
        prior = W_CENTRAL * float(c) + W_SUPPORT * support + W_POSITION * g.position
        g.score = cands[g.rep].quality * prior


def _select(
    groups: list[_Group], cands: Sequence[Candidate], sim: np.ndarray, budget: int
) -> list[_Group]:
    """MMR: repeatedly take the best score minus redundancy that still fits the budget."""
    order = sorted(range(len(groups)), key=lambda k: (-groups[k].score, groups[k].rep))
    if not order:
        return []
    reps = np.array([groups[k].rep for k in order])
    scores = np.array([groups[k].score for k in order])
    top = scores[0] if scores[0] > 0 else 1.0
    redundancy = np.zeros(len(order))  # max similarity of each rep to anything chosen
    open_ = np.ones(len(order), dtype=bool)
    chosen: list[_Group] = []
    used = 0
    while True:
        value = MMR_LAMBDA * scores / top - (1 - MMR_LAMBDA) * redundancy
        value[~open_ | (redundancy >= REDUNDANT)] = -np.inf
        pick = int(np.argmax(value))  # first maximum: ties go to the better-ranked group
        if value[pick] == -np.inf:
            break
        open_[pick] = False
        group = groups[order[pick]]
        n = cands[group.rep].n_words
        if chosen and used + n > budget * 1.1:
            if budget - used < 8:
                break
            continue
        chosen.append(group)
        redundancy = np.maximum(
            redundancy, sim[np.ix_(reps, np.asarray(group.members))].max(axis=1)
        )
        used += n
        if used >= budget:
            break
    if not chosen:
        return []
    # The central fact leads: a fact several outlets open with beats a better-scored detail.
    lead = max(chosen, key=lambda g: (g.ledes >= 2, g.score))
    rest = [g for g in chosen if g is not lead]
    rest.sort(key=lambda g: (g.order_key, g.rep))
    return [lead, *rest]


def _credits(
    chosen: list[_Group], groups: list[_Group], cands: Sequence[Candidate], sim: np.ndarray
) -> list[tuple[tuple[int, ...], tuple[str, ...]]]:
    """Sources of each chosen sentence: its group plus unchosen groups that restate it
    (each credited to the one chosen sentence it is closest to)."""
    ids = [set(g.article_ids) for g in chosen]
    outlets = [set(g.outlets) for g in chosen]
    if chosen:
        # closeness[g, k]: highest similarity between a member of group g and of chosen k.
        group_of = np.zeros(len(cands), dtype=int)
        for k, g in enumerate(groups):
            group_of[g.members] = k
        per_cand = np.stack([sim[:, c.members].max(axis=1) for c in chosen], axis=1)
        closeness = np.zeros((len(groups), len(chosen)))
        np.maximum.at(closeness, group_of, per_cand)
        taken = {id(g) for g in chosen}
        for k, g in enumerate(groups):
            if id(g) in taken:
                continue
            best = int(np.argmax(closeness[k]))
            if closeness[k, best] >= ATTRIBUTE:
                ids[best].update(g.article_ids)
                outlets[best].update(g.outlets)
    return [
        (tuple(sorted(i)), tuple(sorted(o, key=lambda x: (fold(x), x))))
        for i, o in zip(ids, outlets, strict=True)
    ]


def _exclusives(
    groups: list[_Group],
    chosen: list[_Group],
    cands: Sequence[Candidate],
    sim: np.ndarray,
    n_sources: int,
) -> list[BriefSentence]:
    if n_sources < 2:
        return []
    taken = {id(g) for g in chosen}
    used: list[int] = [m for g in chosen for m in g.members]
    out: list[BriefSentence] = []
    for g in sorted(groups, key=lambda g: (-g.score, g.rep)):
        if len(out) >= MAX_EXCLUSIVES:
            break
        if id(g) in taken or g.support != 1 or len(g.article_ids) != 1:
            continue
        c = cands[g.rep]
        if c.quality < 0.85 or c.n_words < 8:
            continue
        if used and float(sim[g.rep, used].max()) >= REDUNDANT * 0.8:
            continue
        out.append(BriefSentence(c.text, g.article_ids, g.outlets, round(g.score, 6)))
        used.extend(g.members)
    return out


def _framings(articles: Sequence[Article]) -> tuple[Framing, ...]:
    """One headline per outlet (its first article in reading order), sorted by outlet."""
    seen: dict[str, Framing] = {}
    for a in _article_order(articles):
        key = fold(a.outlet) if a.outlet.strip() else f"#{a.id}"
        if key not in seen and a.title.strip():
            seen[key] = Framing(outlet=a.outlet.strip(), article_id=a.id, title=a.title.strip())
    return tuple(sorted(seen.values(), key=lambda f: (fold(f.outlet), f.outlet, f.article_id)))


def _cap(cands: list[Candidate], n_articles: int) -> list[Candidate]:
    """Bound the work on very large stories: keep each article's leading sentences.

    News puts its facts first, so a huge story keeps every article's first sentences (at least
    MIN_PER_ARTICLE each) instead of a quadratic matrix over tens of thousands of sentences.
    """
    if len(cands) <= MAX_CANDIDATES or n_articles == 0:
        return cands
    per_article = max(MIN_PER_ARTICLE, MAX_CANDIDATES // n_articles)
    return [c for c in cands if c.index < per_article]


def build_briefing(
    story_id: int, title: str, articles: Sequence[Article], words: int = 120
) -> Briefing:
    """The story's briefing: about ``words`` words of verbatim sentences, each credited to every
    article and outlet carrying its fact, plus one framing per outlet and single-source facts.
    """
    ordered = _article_order(articles)
    framings = _framings(ordered)
    cands = _cap(extract_all(ordered), len(ordered))
    if not cands:
        return Briefing(story_id=story_id, title=title, sentences=(), framings=framings)
    sim, docs = _similarity(cands)
    groups = _make_groups(cands, sim, docs)
    n_sources = len({_source_key(c) for c in cands})
    _score(groups, cands, n_sources)
    chosen = _select(groups, cands, sim, max(1, words))
    sentences = tuple(
        BriefSentence(cands[g.rep].text, ids, outlets, round(g.score, 6))
        for g, (ids, outlets) in zip(chosen, _credits(chosen, groups, cands, sim), strict=True)
    )
    exclusives = tuple(_exclusives(groups, chosen, cands, sim, n_sources))
    return Briefing(
        story_id=story_id,
        title=title,
        sentences=sentences,
        framings=framings,
        exclusives=exclusives,
    )


def fact_groups(articles: Sequence[Article]) -> list[tuple[str, int]]:
    """Every candidate sentence with the number of its fact group (for evaluation)."""
    cands = _cap(extract_all(_article_order(articles)), len(articles))
    if not cands:
        return []
    sim, docs = _similarity(cands)
    out: list[tuple[str, int]] = []
    for k, g in enumerate(_make_groups(cands, sim, docs)):
        out.extend((cands[i].text, k) for i in g.members)
    return out
