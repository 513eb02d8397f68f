"""Multi-source briefing: attribution, redundancy, order, budget, filters, framings, exclusives."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from sumy.summarizers.lex_rank import LexRankSummarizer

from summarizer.brief.briefing import build_briefing
from summarizer.brief.facts import fact_matrix, params
from summarizer.brief.ranking import document_of, make_lexrank
from summarizer.brief.sentences import extract_candidates, join_open_quotes, keep
from summarizer.models import Article, Briefing
from summarizer.nlp.similarity import stem, stop_words
from summarizer.nlp.text import words

CENTRAL = "dam"  # every wording of the central fact mentions the dam spillway failing


def _article(i: int, outlet: str, title: str, paras: list[str], hour: int = 8) -> Article:
    return Article(
        id=i,
        title=title,
        text="\n\n".join(paras),
        outlet=outlet,
        published=datetime(2025, 6, 3, hour, 0),
    )


def story() -> list[Article]:
    """An invented event told by three outlets in their own words, with clutter."""
    return [
        _article(
            1,
            "Valley Tribune",
            "Hollin Dam spillway fails, thousands evacuated",
            [
                "The spillway of the Hollin Dam failed on Tuesday morning, forcing the evacuation "
                "of about 9,000 people living downstream, county officials said.",
                "FLOOD EMERGENCY",
                "Engineers had warned in April that cracks in the concrete spillway needed urgent "
                "repairs, according to a state inspection report.",
                "Water levels behind the dam rose sharply after four days of heavy rain, the "
                "weather service said.",
                "Residents waited at the Orland fairground. (Photo: Valley Tribune)",
                "What should you do if your home is flooded?",
                "The county sheriff said no injuries had been reported so far.",
                "The state water agency has reached out to the dam operator for comment.",
            ],
            hour=7,
        ),
        _article(
            2,
            "Orland Daily",
            "Evacuations ordered as Hollin Dam spillway collapses",
            [
                "About 9,000 residents downstream were ordered to evacuate on Tuesday after the "
                "Hollin Dam spillway failed, officials in the county said.",
                "Four days of heavy rain had pushed water levels behind the dam to a record high, "
                "forecasters said.",
                "Shelters opened at the Orland fairground and two high schools.",
                "Governor Ruth Calder is expected to visit the area on Wednesday.",
                "Staff writer Ben Ode contributed to this report.",
            ],
            hour=8,
        ),
        _article(
            3,
            "Riverbend Post",
            "Thousands flee as dam spillway gives way",
            [
                "County officials said about 9,000 people living downstream were evacuated after "
                "the spillway at the Hollin Dam failed early Tuesday.",
                "Flood waters.",
                "A state inspection report in April had found cracks in the spillway's concrete "
                "that needed urgent repairs.",
                "The dam, built in 1962, holds back a reservoir that supplies drinking water to "
                "40,000 homes, the water agency said.",
                "Is your insurance ready for a flood?",
            ],
            hour=9,
        ),
    ]


def _all_text(articles: list[Article]) -> str:
    return "\n".join(a.text for a in articles)


def _brief(articles: list[Article], n_words: int = 120) -> Briefing:
    return build_briefing(5, "Hollin Dam", articles, words=n_words)


def test_fact_in_three_outlets_lists_all_three() -> None:
    brief = _brief(story())
    lead = brief.sentences[0]
    assert "spillway" in lead.text and "9,000" in lead.text
    assert lead.outlets == ("Orland Daily", "Riverbend Post", "Valley Tribune")
    assert lead.article_ids == (1, 2, 3)


def test_two_outlet_fact_lists_both() -> None:
    brief = _brief(story())
    cracks = [s for s in brief.sentences if "cracks" in s.text]
    assert len(cracks) == 1
    assert cracks[0].outlets == ("Riverbend Post", "Valley Tribune")


def test_sentences_are_verbatim() -> None:
    articles = story()
    text = _all_text(articles)
    brief = _brief(articles)
    for s in (*brief.sentences, *brief.exclusives):
        assert s.text in text


def test_no_two_sentences_repeat_a_fact() -> None:
    brief = _brief(story(), n_words=200)
    fm = fact_matrix([s.text for s in brief.sentences])
    related = np.maximum(fm.same, np.maximum(fm.carry, fm.carry.T))
    np.fill_diagonal(related, 0.0)
    assert float(related.max(initial=0.0)) < params().carry
    assert sum("9,000" in s.text for s in brief.sentences) == 1


def test_central_fact_leads() -> None:
    brief = _brief(story())
    assert CENTRAL in brief.sentences[0].text.lower()
    assert brief.sentences[0].score == max(s.score for s in brief.sentences)


@pytest.mark.parametrize("budget", [10, 30, 60, 120])
def test_word_budget_respected(budget: int) -> None:
    brief = _brief(story(), n_words=budget)
    total = sum(len(words(s.text)) for s in brief.sentences)
    assert brief.sentences
    if len(brief.sentences) > 1:
        assert total <= budget * 1.1
    assert total >= min(budget, 20) or len(brief.sentences) == 1


def test_empty_story() -> None:
    brief = build_briefing(9, "Nothing", [])
    assert brief == Briefing(story_id=9, title="Nothing", sentences=(), framings=())


def test_story_without_usable_sentences() -> None:
    art = _article(1, "Valley Tribune", "Headline", ["BREAKING NEWS", "Watch: live video"])
    brief = build_briefing(9, "Nothing", [art])
    assert brief.sentences == ()
    assert len(brief.framings) == 1


def test_one_article_story() -> None:
    art = story()[0]
    brief = build_briefing(1, art.title, [art], words=60)
    assert brief.sentences
    assert all(s.outlets == ("Valley Tribune",) and s.article_ids == (1,) for s in brief.sentences)
    assert brief.exclusives == ()
    assert "spillway" in brief.sentences[0].text


def test_clutter_never_selected() -> None:
    brief = _brief(story(), n_words=400)
    texts = [s.text for s in (*brief.sentences, *brief.exclusives)]
    for t in texts:
        assert not t.rstrip().endswith("?")
        assert "Photo" not in t
        assert "reached out" not in t and "contributed to" not in t
        assert t.upper() != t
        assert len(words(t)) >= 6


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("FLOOD EMERGENCY", False),
        ("Flood waters.", False),
        ("What should you do if your home is flooded?", False),
        ("Residents waited at the fairground. (Photo: Valley Tribune)", False),
        ("The agency has reached out to the dam operator for comment.", False),
        ("Staff writer Ben Ode contributed to this report.", False),
        ("Sign up for our newsletter to get the latest updates.", False),
        ('"We will rebuild this town, brick by brick, together."', False),
        ("Engineers had warned in April that the spillway needed repairs", False),
        ("At a moment like this, we need reporters on the ground in every county.", False),
        ("Dana Holt is a senior reporter for the Valley Tribune, based in Orland.", False),
        ("Previously, she worked as a staff writer covering courts for a weekly.", False),
        ('"We owe our readers the truth," the editor said at the hearing on Monday.', True),
        ("US reporters were told to leave the flooded valley on Tuesday.", True),
        ("The county sheriff said no injuries had been reported so far.", True),
        ('"We will rebuild," the mayor said on Tuesday evening.', True),
    ],
)
def test_sentence_filter(sentence: str, expected: bool) -> None:
    assert keep(sentence) is expected


def test_quote_split_inside_quotation_is_rejoined() -> None:
    parts = ['He said: "We stopped the cars.', 'Nobody was hurt," the chief added.', "Next one."]
    assert join_open_quotes(parts) == [
        'He said: "We stopped the cars. Nobody was hurt," the chief added.',
        "Next one.",
    ]


def test_repeated_lines_and_headline_dropped() -> None:
    art = _article(
        1,
        "Valley Tribune",
        "Hollin Dam spillway fails, thousands evacuated",
        [
            "Hollin Dam spillway fails, thousands evacuated",
            "Residents stand on the levee as the water rises near the town.",
            "The spillway failed on Tuesday morning, forcing thousands to leave their homes.",
            "Residents stand on the levee as the water rises near the town.",
        ],
    )
    texts = [c.text for c in extract_candidates(art)]
    assert texts == [
        "The spillway failed on Tuesday morning, forcing thousands to leave their homes."
    ]


def test_framings_one_per_outlet() -> None:
    articles = story()
    extra = _article(
        4,
        "Orland Daily",
        "Live updates: Hollin Dam",
        ["The spillway of the Hollin Dam failed on Tuesday morning, officials said again today."],
        hour=12,
    )
    brief = _brief([*articles, extra])
    assert [f.outlet for f in brief.framings] == [
        "Orland Daily",
        "Riverbend Post",
        "Valley Tribune",
    ]
    assert brief.framings[0].article_id == 2  # the outlet's first article
    assert brief.framings[0].title == "Evacuations ordered as Hollin Dam spillway collapses"


def test_exclusives_are_single_source_and_new() -> None:
    brief = _brief(story(), n_words=60)
    assert brief.exclusives
    assert len(brief.exclusives) <= 3
    used = {s.text for s in brief.sentences}
    for ex in brief.exclusives:
        assert len(ex.outlets) == 1 and len(ex.article_ids) == 1
        assert ex.text not in used
    governor = [e for e in brief.exclusives if "Governor" in e.text]
    assert not governor or governor[0].outlets == ("Orland Daily",)


def test_deterministic_and_order_independent() -> None:
    articles = story()
    first = _brief(articles)
    assert _brief(articles) == first
    assert _brief(list(reversed(articles))) == first


def test_fast_lexrank_matches_sumy() -> None:
    texts = [s for a in story() for s in (c.text for c in extract_candidates(a))]
    doc = document_of(texts)
    ref = LexRankSummarizer(stem)
    ref.stop_words = stop_words()
    sentences_words = [ref._to_words_set(s) for s in doc.sentences]
    matrix = ref._create_matrix(
        sentences_words,
        ref.threshold,
        ref._compute_tf(sentences_words),
        ref._compute_idf(sentences_words),
    )
    fast = make_lexrank()
    ours = fast._create_matrix(
        sentences_words,
        fast.threshold,
        fast._compute_tf(sentences_words),
        fast._compute_idf(sentences_words),
    )
    assert np.allclose(matrix, ours, atol=1e-5)
    expected = LexRankSummarizer.power_method(matrix, 1e-8)
    got = fast.rate(doc)
    assert np.argmax(got) == np.argmax(expected)


def test_huge_story_is_bounded_and_still_briefed() -> None:
    from summarizer.brief import briefing as b

    arts = [
        Article(
            id=i,
            title=f"Dam inspection report {i}",
            outlet=f"Outlet {i}",
            text="\n\n".join(
                f"Inspectors found {k + i} cracked panels on the Hollin dam spillway during survey {k} of the season."
                for k in range(12)
            ),
        )
        for i in range(1, 301)
    ]
    cands = b._cap(b.extract_all(arts), len(arts))
    assert len(cands) <= b.MAX_CANDIDATES and {c.article_id for c in cands} == set(range(1, 301))
    result = b.build_briefing(1, "Dam", arts, words=80)
    assert result.sentences


def test_big_story_caps_before_splitting_and_keeps_the_same_leads() -> None:
    from summarizer.brief import briefing as b

    arts = [
        Article(
            id=i,
            title=f"Ferry timetable change {i}",
            outlet=f"Outlet {i}",
            text="\n\n".join(
                [f"The pull quote line repeated here by the desk {i} today."]
                + [
                    f"Harbour staff counted {k * 7 + i} delayed crossings on the Vell ferry route "
                    f"during week {k} of the trial. Passengers waited {k + 3} minutes on average."
                    for k in range(10)
                ]
                + [f"The pull quote line repeated here by the desk {i} today."]
            ),
        )
        for i in range(1, 301)
    ]
    full = b._cap(b.extract_all(arts), len(arts))
    capped = b.extract_all(arts, cap=True)
    assert [(c.article_id, c.text, c.index) for c in capped] == [
        (c.article_id, c.text, c.index) for c in full
    ]
    assert all(0 <= c.rel_pos < 1 for c in capped)
    assert not any("pull quote" in c.text for c in capped)  # repeated later: still dropped
    small = arts[:3]
    assert b.extract_all(small, cap=True) == b.extract_all(small)
