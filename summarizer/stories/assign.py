"""Which story a new article joins: one happening, one story.

An article is compared with each candidate story twice: with the story's centroid (everything its
coverage says) and with the title-and-lead vectors of its latest members (how each outlet put the
happening), so a reaction piece worded unlike the first report still finds the member it resembles.
Terms are weighted by tf-idf in which the idf mixes the corpus' document frequencies with a
general-English rarity prior (``signals.rarity``), names and figures weighted up.

The recurring-event rule (``same_happening``) keeps different happenings apart even when they
share people, places and topic, like daily market reports, games on consecutive days, two debates
in one week or two polls:

1. The day of a report is the first day its title names, else the first its lead names
   ("Tuesday's debate", "on Monday", "March 10", "yesterday"), resolved against its publication
   time. The day of a story is that of its first member that names one. When both are known and
   differ, the article reports another happening unless it shares an identifying figure with the
   story (an amount or a count anywhere in the text, a score or a percentage in title or lead:
   "14 workers", "$2.1 million", "95,000 people", "52%"): a follow-up about the same happening
   repeats its specifics, the next day's market report or game or debate brings new ones. A
   happening that runs overnight is one happening: the days may also differ by one when the
   article names the story's day too ("overnight Tuesday ... before dawn Wednesday"; the small
   hours name the evening before, see ``days.day_references``). Either way, when both the story
   and the article give several results in title or lead (scores, percentages: a poll's two
   shares, a session's index moves) and share none, the article reports the next round even if
   it looks back at the story's figures ("Stocks rebound on Tuesday, a day after the Dow lost 310
   points; the Dow gains 0.6%, the Nasdaq 0.9%"). One stray percentage ("rainfall at 300% of
   normal") is not a round of results.
   A next-day report that only looks back ("on Wednesday, a day after the primary") is a new
   happening unless it shares a figure: the loser's staff lay-offs are not the primary.
2. A score (3-1, 102-99) identifies a result: when the article and the story both give scores in
   title or lead and share none, they report different games or votes, whatever day they name.
3. Reports that name no day (most headline-only items) are kept apart by time alone: the score
   decays with the gap to the story's coverage window and with the story's age.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from summarizer.stories import cluster
from summarizer.stories.params import Params, load_params
from summarizer.stories.signals import Signals

VECTOR_TERMS = 120
HEAD_TERMS = 40
CENTROID_TERMS = 250
MEMBER_HEADS = 8
INDEX_TERMS = 30
QUERY_TERMS = 20
RESULTS_OF_A_ROUND = 2  # results in title and lead that make a report a round of its own


@dataclass(frozen=True)
class StoryState:
    """What the decision needs to know about a candidate story."""

    story_id: int
    centroid: Mapping[str, float]  # sum of member vectors (not normalised)
    heads: tuple[Mapping[str, float], ...] = ()  # title-and-lead vectors of the latest members
    day: date | None = None
    results: frozenset[str] = frozenset()
    figures: frozenset[str] = frozenset()
    first_published: datetime | None = None
    last_published: datetime | None = None
    size: int = 0


@dataclass(frozen=True)
class Weighted:
    """An article's weighted vectors (full text and title-and-lead), ready to compare."""

    vec: dict[str, float]
    head: dict[str, float]
    signals: Signals = field(compare=False)


@dataclass(frozen=True)
class Decision:
    """The outcome for one article: the chosen story (None = open a new one) and why."""

    story_id: int | None
    score: float
    reason: str = ""


def term_weight(
    t: str, count: float, sig: Signals, dfs: Mapping[str, int], n_docs: int, p: Params
) -> float:
    """tf-idf of one term: sublinear tf times a corpus/prior idf mix, names and figures boosted."""
    corpus_idf = cluster.idf(dfs.get(t, 0), n_docs)
    prior = sig.prior.get(t, 1.0)
    mix = p.prior_mix * prior + (1.0 - p.prior_mix) * corpus_idf
    name_boost = p.short_name_boost if sig.short else p.name_boost
    boost = name_boost if t in sig.names else (p.figure_boost if t.startswith("#") else 1.0)
    return (1.0 + math.log(count)) * mix * boost if count > 0 else 0.0


def weigh(sig: Signals, dfs: Mapping[str, int], n_docs: int, p: Params | None = None) -> Weighted:
    """The article's L2-normalised vectors: the top terms of the whole text and of title and lead.

    Each term weighs ``term_weight``; its idf-and-boost factor is computed once for both vectors.
    """
    p = p or load_params()
    log_docs = math.log(n_docs + 1) + 1.0  # cluster.idf(df, n) = log(n + 1) - log(df + 1) + 1
    mix_prior, mix_corpus = p.prior_mix, 1.0 - p.prior_mix
    name_boost = p.short_name_boost if sig.short else p.name_boost
    prior, names, df = sig.prior, sig.names, dfs.get
    factor: dict[str, float] = {}
    for t in sig.counts.keys() | sig.head.keys():
        mix = mix_prior * prior.get(t, 1.0) + mix_corpus * (log_docs - math.log(df(t, 0) + 1))
        factor[t] = mix * (name_boost if t in names else (p.figure_boost if t[:1] == "#" else 1.0))

    def build(counts: Mapping[str, float], size: int) -> dict[str, float]:
        scored = {t: (1.0 + math.log(c)) * factor[t] for t, c in counts.items() if c > 0}
        if len(scored) > size:
            scored = dict(sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:size])
        return cluster.normalise(scored)

    return Weighted(build(sig.counts, VECTOR_TERMS), build(sig.head, HEAD_TERMS), sig)


def norm_cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two sparse vectors of any length (0.0 when either is empty)."""
    shared = a.keys() & b.keys()  # a C-level intersection: most candidate pairs share few terms
    if not shared:
        return 0.0
    dot = sum([a[t] * b[t] for t in shared])
    if dot == 0.0:
        return 0.0
    return dot / (math.hypot(*a.values()) * math.hypot(*b.values()))  # hypot: the norm, in C


def time_factor(published: datetime | None, story: StoryState) -> float:
    """1.0 inside the story's coverage window, decaying with the gap and with the story's age."""
    cand = cluster.StoryCandidate(
        story.story_id, {}, frozenset(), story.last_published, story.first_published
    )
    return cluster.time_factor(published, cand)


#: Hours a story's time factor stays 1.0 beyond its coverage window (``cluster.time_factor``).
RECENT_HOURS = 24.0
#: The largest text score ``score`` gives: a mix of cosines or a probability, at most 1 (the
#: margin covers rounding in the cosines).
SCORE_CEILING = 1.0 + 1e-9


def reach_hours(p: Params) -> float:
    """Hours from a story's coverage window beyond which ``decide`` can never choose it.

    ``decide`` joins a story only when score * time factor reaches the lower threshold; the
    score is at most ``SCORE_CEILING`` and the time factor at most
    exp(-(gap - RECENT_HOURS) / TIME_SCALE_HOURS), so beyond this gap the product is below every
    threshold. Infinite when a threshold is 0 (every story stays reachable).
    """
    floor = min(p.threshold, p.short_threshold)
    if floor <= 0.0:
        return math.inf
    return RECENT_HOURS + cluster.TIME_SCALE_HOURS * max(0.0, math.log(SCORE_CEILING / floor))


def min_shared_terms(n_terms: int, p: Params) -> int:
    """How many of an article's ``n_terms`` lookup terms a candidate story must be indexed under."""
    return max(1, math.ceil(p.min_shared * n_terms - 1e-9))  # 1e-9: 0.15 * 20 is 3, not 4


def within_reach(published: datetime | None, story: StoryState, reach: float) -> bool:
    """Whether ``decide`` could choose the story for an article published then (see
    ``reach_hours``): always when either time is unknown (the time factor is then 1.0)."""
    first, last = story.first_published, story.last_published
    if published is None or first is None or last is None:
        return True
    before = (first - published).total_seconds() / 3600.0
    after = (published - last).total_seconds() / 3600.0
    return before <= reach and after <= reach


def similarity(w: Weighted, story: StoryState, p: Params) -> float:
    """Text similarity of an article to a story: centroid cosine mixed with its best member heads."""
    central = norm_cosine(w.vec, story.centroid)
    heads = sorted((norm_cosine(w.head, h) for h in story.heads), reverse=True)
    if heads:
        top = heads[: p.top_heads]
        member = sum(top) / len(top)
    else:
        member = central
    return p.centroid_weight * central + (1.0 - p.centroid_weight) * member


def short_features(w: Weighted, story: StoryState, p: Params) -> tuple[float, float, float, float]:
    """Evidence for a headline-only item: centroid cosine, best heads, shared terms, spread.

    A headline has a handful of terms, so one shared word already gives a sizeable cosine (a
    "final" in a cup report and in an exam story). How many of its terms the story knows and how
    many of the story's latest members share one of them tell a shared happening from a shared word.
    """
    central = norm_cosine(w.vec, story.centroid)
    heads = sorted((norm_cosine(w.head, h) for h in story.heads), reverse=True)[: p.top_heads]
    member = sum(heads) / len(heads) if heads else central
    terms = w.head.keys() or w.vec.keys()
    in_heads = terms & set().union(*story.heads)
    shared = len((terms & story.centroid.keys()) | in_heads)
    spread = (
        sum([not h.keys().isdisjoint(in_heads) for h in story.heads]) / len(story.heads)
        if story.heads
        else 0.0
    )
    return central, member, math.log1p(shared), spread


def short_score(w: Weighted, story: StoryState, p: Params) -> float:
    """The fitted model's probability that a headline-only item reports the story's happening."""
    central, member, shared, spread = short_features(w, story, p)
    z = (
        p.short_bias
        + p.short_w_central * central
        + p.short_w_member * member
        + p.short_w_shared * shared
        + p.short_w_spread * spread
    )
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def score(w: Weighted, story: StoryState, p: Params) -> float:
    """The text score ``decide`` compares with the threshold (before the time factor)."""
    if w.signals.short and p.short_model:
        return short_score(w, story, p)
    return similarity(w, story, p)


def same_happening(sig: Signals, story: StoryState) -> tuple[bool, str]:
    """The recurring-event rule (module docstring): False with a reason when they differ."""
    if sig.day is not None and story.day is not None and sig.day != story.day:
        shares_figure = bool(sig.figures & story.figures or sig.results & story.results)
        overnight = abs((sig.day - story.day).days) == 1 and story.day in sig.days_named
        new_results = (
            len(sig.results) >= RESULTS_OF_A_ROUND
            and len(story.results) >= RESULTS_OF_A_ROUND
            and not sig.results & story.results
        )
        if new_results or not (shares_figure or overnight):
            return False, f"another day ({sig.day.isoformat()} vs {story.day.isoformat()})"
    scores_a = {r for r in sig.results if not r.endswith("%")}
    scores_b = {r for r in story.results if not r.endswith("%")}
    if scores_a and scores_b and not scores_a & scores_b:
        return False, "another score"
    return True, ""


def decide(
    w: Weighted,
    published: datetime | None,
    candidates: Iterable[StoryState],
    p: Params | None = None,
) -> Decision:
    """The best candidate story passing the threshold and the recurring-event rule, else a new one."""
    p = p or load_params()
    threshold = p.short_threshold if w.signals.short else p.threshold
    best: Decision | None = None
    refused = Decision(None, 0.0, "no candidate")
    for story in sorted(candidates, key=lambda s: s.story_id):
        value = score(w, story, p) * time_factor(published, story)
        if value < threshold:
            refused = (
                refused if refused.score >= value else Decision(None, value, "below threshold")
            )
            continue
        ok, why = same_happening(w.signals, story)
        if not ok:
            refused = refused if refused.score >= value else Decision(None, value, why)
        elif best is None or value > best.score:
            best = Decision(story.story_id, value, "similar")
    return best or refused


def absorb(story: StoryState, w: Weighted, published: datetime | None) -> StoryState:
    """The story after an article joined it (centroid sum, latest heads, day, figures, window)."""
    total: dict[str, float] = dict(story.centroid)
    for t, v in w.vec.items():
        total[t] = total.get(t, 0.0) + v
    top = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:CENTROID_TERMS]
    heads = (*story.heads, w.head)[-MEMBER_HEADS:]
    first, last = story.first_published, story.last_published
    if published is not None:
        first = published if first is None or published < first else first
        last = published if last is None or published > last else last
    return replace(
        story,
        centroid=dict(top),
        heads=heads,
        day=story.day or w.signals.day,
        results=frozenset(sorted(story.results | w.signals.results)[:40]),
        figures=frozenset(sorted(story.figures | w.signals.figures)[:200]),
        first_published=first,
        last_published=last,
        size=story.size + 1,
    )


def index_terms(story: StoryState, n: int = INDEX_TERMS) -> list[str]:
    """The terms under which a story is found: its centroid's strongest plus its heads' strongest."""
    merged: dict[str, float] = {}
    norm = math.sqrt(sum(v * v for v in story.centroid.values())) or 1.0
    for t, v in story.centroid.items():
        merged[t] = v / norm
    for h in story.heads:
        for t, v in h.items():
            merged[t] = max(merged.get(t, 0.0), v)
    return [t for t, _ in sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def query_terms(
    w: Weighted, dfs: Mapping[str, int], n_docs: int, n: int = QUERY_TERMS
) -> list[str]:
    """The article's strongest known terms (full text and head), used to look up candidates."""
    merged = dict(w.vec)
    for t, v in w.head.items():
        merged[t] = max(merged.get(t, 0.0), v)
    return cluster.query_terms(merged, n, known=dfs, n_docs=n_docs)


def merge_states(a: StoryState, b: StoryState) -> StoryState:
    """One story made of two (admin merge): sums, heads and windows combined; ``a`` keeps its id."""
    total: dict[str, float] = dict(a.centroid)
    for t, v in b.centroid.items():
        total[t] = total.get(t, 0.0) + v
    top = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:CENTROID_TERMS]
    firsts = [d for d in (a.first_published, b.first_published) if d is not None]
    lasts = [d for d in (a.last_published, b.last_published) if d is not None]
    return replace(
        a,
        centroid=dict(top),
        heads=(*a.heads, *b.heads)[-MEMBER_HEADS:],
        day=a.day or b.day,
        results=a.results | b.results,
        figures=a.figures | b.figures,
        first_published=min(firsts) if firsts else None,
        last_published=max(lasts) if lasts else None,
        size=a.size + b.size,
    )


def rebuild(story_id: int, members: Sequence[tuple[Weighted, datetime | None]]) -> StoryState:
    """A story's state recomputed from its members in order (after a split)."""
    state = StoryState(story_id, {})
    for w, published in members:
        state = absorb(state, w, published)
    return state
