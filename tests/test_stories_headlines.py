"""Headline-only items: the fitted headline model joins a story on more than one shared word.

Every text here is invented. Headlines run through ``OnlineIndex`` (the in-memory twin of the
ingest path) with an empty teaser, as a headline-only feed item arrives.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from summarizer.stories import assign
from summarizer.stories.online import OnlineIndex
from summarizer.stories.params import Params
from summarizer.stories.signals import extract


def at(day: int, hour: int) -> datetime:
    """A time in March 2026 (2026-03-09 is a Monday)."""
    return datetime(2026, 3, day, hour, tzinfo=UTC)


# Headline-only coverage of a study, and a headline that shares one word with it.
STUDY = [
    "Dolphins remember old companions for decades, study finds",
    "Study: dolphins recognise the whistles of long-lost tank mates",
    "Dolphins never forget a friend, researchers say",
    "Bottlenose dolphins recall companions after 20 years apart",
    "Dolphin memory for friends' whistles beats any other animal's",
    "Dolphins' social memory may be the longest known in animals",
]
UNRELATED = [
    "Ferry strike halts crossings to Varrow islands",
    "Tessaly council approves new tram line budget",
    "Harbour crane collapse closes Oskeld docks",
]


def headline_index() -> OnlineIndex:
    """The study's headlines (Tuesday morning) and unrelated ones (afternoon), in order."""
    index = OnlineIndex()
    for n, title in enumerate([*STUDY, *UNRELATED]):
        index.add(n, title, "", at(10, 8 + n))
    return index


def test_a_headline_sharing_one_word_with_a_story_opens_its_own() -> None:
    """One shared word gives a short headline a sizeable cosine; the headline model wants more."""
    index = headline_index()
    title = "'The Whistle': Gantry Records singer wins talent show final"
    sig = extract(title, "", at(10, 20))
    assert sig.short and index.params.short_model
    w = assign.weigh(sig, index.dfs, index.n_docs, index.params)
    study = index.stories[1]
    _central, _member, shared, spread = assign.short_features(w, study, index.params)
    assert shared == pytest.approx(math.log(2)) and 0 < spread < 1  # "whistle", in some members
    assert assign.similarity(w, study, index.params) > 0
    assert assign.decide(w, at(10, 20), [study], index.params).story_id is None
    assert index.add(99, title, "", at(10, 20)) != 1


def test_a_headline_in_other_words_sharing_several_terms_joins() -> None:
    index = headline_index()
    sid = index.add(
        99, "Decades on, bottlenose dolphins still know a lost companion", "", at(10, 20)
    )
    assert sid == 1 and len(index.members[1]) == len(STUDY) + 1


def test_without_fitted_weights_headlines_are_scored_like_articles() -> None:
    index = headline_index()
    plain = Params()
    assert not plain.short_model
    sig = extract(STUDY[0], "", at(10, 20))
    w = assign.weigh(sig, index.dfs, index.n_docs, plain)
    story = index.stories[1]
    assert assign.score(w, story, plain) == assign.similarity(w, story, plain)
    assert assign.score(w, story, index.params) == assign.short_score(w, story, index.params)


def test_weighted_vectors_follow_the_term_weight_formula() -> None:
    when = at(10, 19)
    title = "Explosion at Marrow Quay grain silo injures 9 dock workers"
    text = (
        "A grain silo exploded at Marrow Quay on Tuesday evening, injuring nine dock workers and "
        "closing the port's north basin.\n\nHarbour police said dust in the silo's conveyor "
        "tunnel was the likely cause; the port authority ordered checks of its other silos."
    )
    sig = extract(title, text, when)
    dfs, n_docs, p = {"blast": 3, "plant": 40, "worker": 12}, 100, OnlineIndex().params
    w = assign.weigh(sig, dfs, n_docs, p)
    for vec, counts in ((w.vec, sig.counts), (w.head, sig.head)):
        raw = {t: assign.term_weight(t, c, sig, dfs, n_docs, p) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in raw.values()))
        assert len(raw) <= assign.VECTOR_TERMS and vec.keys() == raw.keys()
        assert all(vec[t] == pytest.approx(raw[t] / norm) for t in raw)
