"""Multi-source extractive briefing of one story.

1. Every article's body is split into real sentences; captions, headings, fragments, questions,
   bare quotes and boilerplate are dropped (``summarizer.brief.sentences``).
2. Sentences telling the same fact in several articles are grouped (``summarizer.brief.facts``:
   paraphrase-aware concept overlap weighted by word rarity; leader clustering). A group is one fact; its wording is the best-formed member that reads on
   its own; its sources are every outlet with a sentence that states the fact (``credits``).
3. sumy's LexRank (vectorised, ``summarizer.brief.ranking``) ranks the group wordings. The score mixes
   that centrality with reach (how many outlets print similar words: looser than the credits,
   which stay strict) and position (news leads with the news).
4. Maximal-marginal-relevance selection fills the word budget without repeating a fact (no
   chosen sentence carries another's fact) or mostly repeating words already shown (lexical
   cosine, as in classic MMR); the fact most outlets open with leads, the rest
   follow in their average article order. A "he"/"the minister" subject whose person is not
   named earlier is replaced by the name in brackets, or the sentence is dropped (``coherence``).
5. Single-source facts no other outlet states even in part become "exclusives"; each outlet's
   headline becomes a framing.

Everything done to one article alone (splitting, filters, concepts, terms) comes from its parts
(``summarizer.brief.parts``): given, e.g. stored by an earlier view, or computed here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import numpy as np

from summarizer.brief import coherence
from summarizer.brief.credits import carriers, exclusives, wording_outlet
from summarizer.brief.facts import FactMatrix, fact_matrix_of, params
from summarizer.brief.parts import ArticleParts, Detail, article_parts, candidates
from summarizer.brief.ranking import lexical_similarity_of, lexrank_scores_of
from summarizer.brief.sentences import MAX_CANDIDATES as MAX_CANDIDATES  # re-exported
from summarizer.brief.sentences import MIN_PER_ARTICLE, Candidate
from summarizer.brief.sentences import extract_all as extract_all  # re-exported for tests
from summarizer.models import Article, Briefing, BriefSentence, Framing, Quote
from summarizer.nlp.similarity import group_near_duplicates
from summarizer.nlp.text import fold
from summarizer.quotes.extract import extract_quotes

MMR_LAMBDA = 0.8
STORY_MIX = 0.3  # wording: share of story-wide centrality (FIT plateau 0.2-0.5; lower keeps main quotes)
W_CENTRAL, W_SUPPORT, W_POSITION, W_LEDE = 0.35, 0.50, 0.20, 0.0  # best mean ROUGE-2 on FIT
REACH = 0.35  # lexical similarity at which another source's sentence counts toward a group's reach
LEXICAL_REPEAT = 0.25  # a wording this similar to a chosen group's sentences mostly repeats it
LEDE_SENTENCES = 3  # an article's first sentences: where it puts its central facts
MAX_RANKED = 800  # LexRank runs on at most this many group wordings (best priors first)


@dataclass
class _Group:
    members: list[int]
    rep: int
    article_ids: tuple[int, ...]
    outlets: tuple[str, ...]
    support: int  # distinct sources carrying the fact (outlets; outlet-less articles alone)
    ledes: int  # distinct sources stating it in their first sentences
    position: float  # positional prior in [0, 1]
    order_key: float  # mean relative position in the articles
    score: float = 0.0
    text: str = ""  # the wording shown (the rep's text, a subject possibly replaced by a name)
    carrier_ids: set[int] = field(default_factory=set)
    reach: int = 0  # distinct sources printing similar words (ranking only, never credited)
    lede_reach: int = 0  # the same among their first sentences


@lru_cache(maxsize=4096)
def _outlet_key(outlet: str) -> str:
    return fold(outlet) if outlet.strip() else ""


def _source_key(c: Candidate) -> str:
    return _outlet_key(c.outlet) or f"#{c.article_id}"


def _article_order(articles: Sequence[Article]) -> list[Article]:
    """Articles oldest first (undated last), ties by id: a deterministic reading order."""

    def key(a: Article) -> tuple[int, datetime, int]:
        if a.published is None:
            return (1, datetime.min, a.id)
        return (0, a.published.replace(tzinfo=None), a.id)

    return sorted(articles, key=key)


def _similarity(
    rows: Sequence[Detail],
) -> tuple[np.ndarray, FactMatrix, list[tuple[str, ...]]]:
    """"Same fact" scores, the fact matrix and each candidate's concepts."""
    facts = [r.facts for r in rows]
    fm = fact_matrix_of(facts)
    docs = [tuple(k for k, _ in f.whole.concepts) for f in facts]
    return fm.same, fm, docs


def _choose_rep(
    members: list[int],
    cands: Sequence[Candidate],
    sim: np.ndarray,
    docs: Sequence[Sequence[str]],
    story: np.ndarray,
    dangling: Sequence[bool],
) -> int:
    """The best-formed wording: clean, central to the group and to the story's wording, early
    in its article, and not opening on a "he" or a bare role when another member names its
    subject."""
    if len(members) == 1:
        return members[0]
    sub = sim[np.ix_(members, members)]
    centrality = (sub.sum(axis=1) - 1.0) / (len(members) - 1)
    near = story[members]
    centrality = (1 - STORY_MIX) * centrality + STORY_MIX * near / max(1e-9, float(near.max()))
    union: set[str] = set()
    for i in members:
        union.update(docs[i])

    def key(k: int) -> tuple[float, int, int]:
        c = cands[members[k]]
        coverage = len(set(docs[members[k]])) / max(1, len(union))
        value = c.quality * (0.5 + 0.25 * float(centrality[k]) + 0.25 * coverage)
        value -= 0.01 * c.index
        return (-round(value, 6), c.article_id, c.index)

    ranked = sorted(range(len(members)), key=key)
    # The best wording whose subject is not dangling, else the best one.
    for k in ranked:
        if not dangling[members[k]]:
            return members[k]
    return members[ranked[0]]


def _make_groups(
    cands: Sequence[Candidate],
    sim: np.ndarray,
    fm: FactMatrix,
    docs: Sequence[Sequence[str]],
    lexical: np.ndarray,
    dangling: Sequence[bool],
) -> list[_Group]:
    order = sorted(range(len(cands)), key=lambda i: (cands[i].index, -cands[i].quality, i))
    raw = group_near_duplicates(sim, order, params().same)
    story = lexical.sum(axis=1)  # how much of the story's wording a sentence shares
    groups: list[_Group] = []
    for members in raw:
        rep = _choose_rep(members, cands, sim, docs, story, dangling)
        best_index = min(cands[i].index for i in members)
        position = 1.0 / (1.0 + 0.35 * best_index)
        order_key = float(np.mean([cands[i].rel_pos for i in members]))
        group = _Group(members, rep, (), (), 0, 0, position, order_key, text=cands[rep].text)
        groups.append(group)
    _attach_carriers(groups, cands, fm)
    return groups


def _attach_carriers(groups: list[_Group], cands: Sequence[Candidate], fm: FactMatrix) -> None:
    """Each group's sources: its members plus every sentence that states the rep's fact."""
    reps = np.array([g.rep for g in groups], dtype=int)
    found = carriers(fm, reps, [set(g.members) for g in groups])
    for g, ids in zip(groups, found, strict=True):
        g.carrier_ids = ids
        g.article_ids = tuple(sorted({cands[i].article_id for i in ids}))
        g.outlets = tuple(
            sorted(
                {cands[i].outlet.strip() for i in ids if cands[i].outlet.strip()},
                key=lambda o: (fold(o), o),
            )
        )
        g.support = len({_source_key(cands[i]) for i in ids})
        g.ledes = len({_source_key(cands[i]) for i in ids if cands[i].index < LEDE_SENTENCES})


def _attach_reach(groups: list[_Group], cands: Sequence[Candidate], lexical: np.ndarray) -> None:
    """Each group's reach: sources with a sentence lexically close to its wording, or a member.

    Credits need the strict fact identity; ranking only needs to know how widely the content
    is reported, and paraphrases the fact test rejects still tell that (measured: ROUGE-2 on
    bench/eval_data, bench/eval_brief.py)."""
    for g in groups:
        near = set(np.flatnonzero(lexical[g.rep] >= REACH).tolist()) | set(g.members)
        g.reach = len({_source_key(cands[i]) for i in near})
        g.lede_reach = len({_source_key(cands[i]) for i in near if cands[i].index < LEDE_SENTENCES})


def _score(
    groups: list[_Group],
    cands: Sequence[Candidate],
    n_sources: int,
    rank_words: Sequence[Sequence[str]],
) -> None:
    # Bound the O(n^2) step: rank the groups with the best support/position priors.
    ranked = sorted(range(len(groups)), key=lambda k: (-groups[k].support, -groups[k].position, k))
    ranked = sorted(ranked[:MAX_RANKED])
    central = np.zeros(len(groups))
    central[ranked] = lexrank_scores_of([rank_words[groups[k].rep] for k in ranked])
    denom = math.log1p(n_sources) if n_sources > 1 else 1.0
    for g, c in zip(groups, central, strict=True):
        support = math.log1p(g.reach - 1) / denom if n_sources > 1 else 0.0
        lede = math.log1p(g.lede_reach) / math.log1p(n_sources) if n_sources > 1 else 0.0
        prior = W_CENTRAL * float(c) + W_SUPPORT * support + W_POSITION * g.position
        g.score = cands[g.rep].quality * (prior + W_LEDE * lede)


def _select(
    groups: list[_Group],
    cands: Sequence[Candidate],
    fm: FactMatrix,
    lexical: np.ndarray,
    budget: int,
    banned: set[int],
) -> list[_Group]:
    """MMR: repeatedly take the best score minus redundancy (lexical similarity to the chosen
    groups' sentences) that still fits the budget; a group that shares a fact with a chosen one
    (``fm.related`` >= the repeat threshold) or mostly repeats its words is never taken."""
    order = [
        k
        for k in sorted(range(len(groups)), key=lambda k: (-groups[k].score, groups[k].rep))
        if groups[k].rep not in banned
    ]
    if not order:
        return []
    limit = params().repeat
    reps = np.array([groups[k].rep for k in order])
    scores = np.array([groups[k].score for k in order])
    top = scores[0] if scores[0] > 0 else 1.0
    redundancy = np.zeros(len(order))  # max relatedness of each rep to anything chosen
    overlap = np.zeros(len(order))  # max lexical similarity to any sentence of a chosen group
    open_ = np.ones(len(order), dtype=bool)
    chosen: list[_Group] = []
    used = 0
    while True:
        value = MMR_LAMBDA * scores / top - (1 - MMR_LAMBDA) * overlap
        value[~open_ | (redundancy >= limit) | (overlap >= LEXICAL_REPEAT)] = -np.inf
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
        redundancy = np.maximum(redundancy, fm.related(group.rep)[reps])
        overlap = np.maximum(overlap, lexical[np.ix_(reps, np.asarray(group.members))].max(axis=1))
        used += n
        if used >= budget:
            break
    if not chosen:
        return []
    # The central fact leads: the fact most outlets open with beats a better-scored detail.
    lead = max(chosen, key=lambda g: (g.ledes, g.score))
    rest = [g for g in chosen if g is not lead]
    rest.sort(key=lambda g: (g.order_key, g.rep))
    return [lead, *rest]


def _coherent(
    chosen: list[_Group], cands: Sequence[Candidate], by_id: Mapping[int, coherence.SourceText]
) -> list[int]:
    """Fix each chosen wording's dangling subject in place; return the reps to drop."""
    texts = [cands[g.rep].text for g in chosen]
    sources = [by_id[cands[g.rep].article_id] for g in chosen]
    fixed = coherence.make_coherent(texts, sources)
    dropped: list[int] = []
    for g, new in zip(chosen, fixed, strict=True):
        if new is None:
            dropped.append(g.rep)
        else:
            g.text = new
    return dropped


def _framings(articles: Sequence[Article]) -> tuple[Framing, ...]:
    """One headline per outlet (its first article in reading order), sorted by outlet."""
    seen: dict[str, Framing] = {}
    for a in _article_order(articles):
        key = fold(a.outlet) if a.outlet.strip() else f"#{a.id}"
        if key not in seen and a.title.strip():
            seen[key] = Framing(outlet=a.outlet.strip(), article_id=a.id, title=a.title.strip())
    return tuple(sorted(seen.values(), key=lambda f: (fold(f.outlet), f.outlet, f.article_id)))


def _cap(cands: list[Candidate], n_articles: int) -> list[Candidate]:
    """Each article's leading sentences when a story has more than MAX_CANDIDATES (the rule
    ``extract_all(..., cap=True)`` applies before splitting)."""
    if len(cands) <= MAX_CANDIDATES or n_articles == 0:
        return cands
    per_article = max(MIN_PER_ARTICLE, MAX_CANDIDATES // n_articles)
    return [c for c in cands if c.index < per_article]


def _parts(
    articles: Sequence[Article], known: Mapping[int, ArticleParts] | None
) -> dict[int, ArticleParts]:
    """Every article's parts: the known ones, the others computed now."""
    known = known or {}
    return {a.id: known.get(a.id) or article_parts(a) for a in articles}


def _sources(
    articles: Sequence[Article],
    parts: Mapping[int, ArticleParts],
    quotes: Mapping[int, Sequence[Quote]] | None,
) -> dict[int, coherence.SourceText]:
    """Each article as coherence reads it (its quotes: the known ones, else extracted on need)."""
    known = quotes or {}

    def quotes_of(a: Article) -> Callable[[], Sequence[Quote]]:
        found = known.get(a.id)
        return (lambda: found) if found is not None else (lambda: extract_quotes(a.text))

    return {a.id: parts[a.id].source(quotes_of(a)) for a in articles}


def build_briefing(
    story_id: int,
    title: str,
    articles: Sequence[Article],
    words: int = 120,
    parts: Mapping[int, ArticleParts] | None = None,
    quotes: Mapping[int, Sequence[Quote]] | None = None,
) -> Briefing:
    """The story's briefing: about ``words`` words of verbatim sentences, each credited to every
    article and outlet carrying its fact, plus one framing per outlet and single-source facts.

    ``parts``: articles' stored parts (``summarizer.brief.parts``; the missing ones are computed);
    ``quotes``: articles' extracted quotes, if known. Neither changes the result, only its cost.
    """
    ordered = _article_order(articles)
    framings = _framings(ordered)
    every = _parts(ordered, parts)
    found = candidates([a for a in ordered if not a.short], every)
    if not found:
        return Briefing(story_id=story_id, title=title, sentences=(), framings=framings)
    cands = [c for c, _ in found]
    rows = [r for _, r in found]
    sim, fm, docs = _similarity(rows)
    lexical = lexical_similarity_of([r.terms for r in rows])
    groups = _make_groups(cands, sim, fm, docs, lexical, [r.dangling for r in rows])
    n_sources = len({_source_key(c) for c in cands})
    _attach_reach(groups, cands, lexical)
    _score(groups, cands, n_sources, [r.rank_words for r in rows])
    sources = _sources(ordered, every, quotes)
    banned: set[int] = set()
    chosen: list[_Group] = []
    for _ in range(4):  # a dropped dangling sentence frees budget for the next best fact
        chosen = _select(groups, cands, fm, lexical, max(1, words), banned)
        dropped = _coherent(chosen, cands, sources)
        if not dropped:
            break
        banned.update(dropped)
    chosen = [g for g in chosen if g.rep not in banned]
    sentences = tuple(
        BriefSentence(
            g.text, g.article_ids, g.outlets, round(g.score, 6), wording_outlet(cands[g.rep])
        )
        for g in chosen
    )
    used = [i for g in chosen for i in g.carrier_ids]
    extra = exclusives(
        groups, cands, fm, used, ordered, n_sources, [s.text for s in sentences], every, sources
    )
    return Briefing(
        story_id=story_id,
        title=title,
        sentences=sentences,
        framings=framings,
        exclusives=tuple(extra),
    )


def fact_groups(articles: Sequence[Article]) -> list[tuple[str, int]]:
    """Every candidate sentence with the number of its fact group (for evaluation)."""
    ordered = _article_order(articles)
    found = candidates(ordered, _parts(ordered, None))
    if not found:
        return []
    cands = [c for c, _ in found]
    rows = [r for _, r in found]
    sim, fm, docs = _similarity(rows)
    out: list[tuple[str, int]] = []
    lexical = lexical_similarity_of([r.terms for r in rows])
    dangling = [r.dangling for r in rows]
    for k, g in enumerate(_make_groups(cands, sim, fm, docs, lexical, dangling)):
        out.extend((cands[i].text, k) for i in g.members)
    return out
