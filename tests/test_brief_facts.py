"""Fact identity, credits, "only X" claims, repeats and the lead, on an invented story."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from summarizer.brief.briefing import build_briefing
from summarizer.brief.facts import clauses, concepts, fact_matrix, params
from summarizer.models import Article


def _related(a: str, b: str, *context: str) -> float:
    fm = fact_matrix([a, b, *context])
    return float(max(fm.carry[0, 1], fm.carry[1, 0]))


CONTEXT = (
    "The city council met on Tuesday evening to discuss the budget for next year.",
    "Bus drivers walked off the job at dawn, leaving commuters stranded across the city.",
    "The union represents about 4,000 drivers and mechanics.",
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Mayor Lena Ostrova promised during the campaign to end the strike in 24 hours.",
            "Ostrova said she planned to end the strike in a single day after taking office.",
        ),
        (
            "The union has shown interest in resuming talks with the transit authority.",
            "Union leaders expressed interest in resuming dialogue with the transit authority.",
        ),
        (
            "Talks between the two sides are on the verge of collapse, the mediator said.",
            "The mediator warned that negotiations were on the brink of a breakdown.",
        ),
    ],
)
def test_paraphrases_state_the_same_fact(a: str, b: str) -> None:
    assert _related(a, b, *CONTEXT) >= params().carry


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (  # different figures: different facts
            "The transit authority offered drivers a 3% raise on Monday.",
            "The transit authority offered drivers a 7% raise on Monday.",
        ),
        (  # different people doing the same kind of thing
            "Mayor Lena Ostrova said the strike must end by Friday.",
            "Union chief Pavel Dunmore said the strike would go on past Friday.",
        ),
        (  # a claim and its denial, worded differently
            "The transit authority confirmed on Monday that negotiations had resumed.",
            "Officials refused to say whether the union and the authority were talking again.",
        ),
    ],
)
def test_near_misses_are_told_apart(a: str, b: str) -> None:
    fm = fact_matrix([a, b, *CONTEXT])
    assert fm.same[0, 1] < params().same


def test_reporting_verbs_weigh_nothing_and_numbers_keep_their_value() -> None:
    keys = dict(concepts("About 4,000 drivers walked out, the union said, citing two unpaid months."))
    assert "said" not in keys and "#4000" in keys
    assert "~2" in keys and "#2" not in keys  # a count word is not a figure


def test_compound_sentence_splits_into_clauses() -> None:
    parts = clauses(
        "The mayor said on Monday that the talks were close to a deal and refused to say "
        "when the buses would run again."
    )
    assert len(parts) == 2 and parts[1].startswith("refused")


def test_but_with_a_reporting_verb_starts_a_clause_that_carries_its_own_fact() -> None:
    compound = (
        "She added that the union has shown interest in resuming talks with the council but "
        "stated there has been no agreement on a date yet."
    )
    parts = clauses(compound)
    assert len(parts) == 2 and parts[1].startswith("stated")
    assert clauses("The talks were slow but steady, the union said.") == [
        "The talks were slow but steady, the union said."
    ]


def _article(i: int, outlet: str, paras: list[str]) -> Article:
    return Article(
        id=i,
        title=f"Transit strike, as told by {outlet}",
        text="\n\n".join(paras),
        outlet=outlet,
        published=datetime(2025, 4, 2, 8 + i, 0),
    )


def strike_story() -> list[Article]:
    """Four invented outlets on one invented transit strike, each in its own words."""
    return [
        _article(1, "Harbor Herald", [
            "Bus and tram drivers in Port Alma went on strike on Tuesday, halting public transport "
            "for 300,000 daily riders, the transit authority said.",
            "Union chief Pavel Dunmore said the walkout would last until the authority agrees to a "
            "9% pay rise.",
            "Mayor Lena Ostrova had promised during her campaign to end any transit strike in 24 "
            "hours.",
            "The authority's last offer was a 4% rise spread over two years.",
        ]),
        _article(2, "Metro Ledger", [
            "Port Alma's buses and trams stood still on Tuesday as drivers walked out, leaving "
            "about 300,000 riders without a ride, according to the transit authority.",
            "Dunmore, who leads the drivers' union, told reporters the strike would go on until "
            "drivers win a 9% raise.",
            "Ostrova once vowed to settle a transit strike in a single day.",
        ]),
        _article(3, "Coastline Wire", [
            "A transit strike shut down buses and trams in Port Alma on Tuesday, the transit "
            "authority said, affecting some 300,000 daily riders.",
            "The union wants a 9% pay increase and the strike will continue until it gets one, "
            "union chief Pavel Dunmore said.",
            "Ferry operators added extra crossings to carry stranded commuters across the bay.",
        ]),
        _article(4, "North Star Daily", [
            "Drivers of Port Alma's buses and trams began a strike on Tuesday that stopped "
            "transport for 300,000 people a day, the transit authority said.",
            "A small fire in a depot on the east side was put out before dawn, firefighters said; "
            "nobody was hurt.",
        ]),
    ]


def test_credits_list_every_outlet_stating_the_fact_and_no_other() -> None:
    brief = build_briefing(1, "Strike", strike_story(), words=120)
    lead = brief.sentences[0]
    assert "300,000" in lead.text
    assert lead.outlets == ("Coastline Wire", "Harbor Herald", "Metro Ledger", "North Star Daily")
    demand = [s for s in brief.sentences if "9%" in s.text]
    assert len(demand) == 1
    assert demand[0].outlets == ("Coastline Wire", "Harbor Herald", "Metro Ledger")


def test_paraphrased_fact_is_not_claimed_by_one_outlet_only() -> None:
    brief = build_briefing(1, "Strike", strike_story(), words=60)
    for s in brief.exclusives:
        assert "24 hours" not in s.text and "single day" not in s.text
    promise = [s for s in brief.sentences if "24 hours" in s.text or "single day" in s.text]
    for s in promise:
        assert set(s.outlets) == {"Harbor Herald", "Metro Ledger"}


def test_only_x_claims_are_single_source_facts_nobody_else_states() -> None:
    articles = strike_story()
    brief = build_briefing(1, "Strike", articles, words=60)
    for s in brief.exclusives:
        assert len(s.outlets) == 1 and len(s.article_ids) == 1
        own = next(a for a in articles if a.id == s.article_ids[0])
        assert s.text in own.text and own.outlet == s.outlets[0]
        assert all(s.text not in a.text for a in articles if a is not own)
        assert "300,000" not in s.text and "9%" not in s.text and "24 hours" not in s.text


@pytest.mark.parametrize("words", [40, 80, 120, 250])
def test_no_two_briefing_sentences_share_a_fact(words: int) -> None:
    brief = build_briefing(1, "Strike", strike_story(), words=words)
    texts = [s.text for s in brief.sentences]
    fm = fact_matrix([*texts, *CONTEXT])
    n = len(texts)
    related = np.maximum(fm.carry[:n, :n], fm.carry[:n, :n].T)
    np.fill_diagonal(related, 0.0)
    assert float(related.max(initial=0.0)) < params().repeat
    assert sum("300,000" in t for t in texts) == 1
    assert sum("9%" in t for t in texts) <= 1


def test_the_fact_every_outlet_opens_with_leads() -> None:
    stories = strike_story()
    for order in (stories, list(reversed(stories))):
        brief = build_briefing(1, "Strike", order, words=80)
        assert "300,000" in brief.sentences[0].text


def test_a_surname_spelt_one_letter_apart_is_the_same_actor() -> None:
    a = "Harbour Commissioner Ilse Varnholt said on Monday that the ferry fares would rise by 4%."
    typo = "Harbour Commissioner Ilse Varnhlt said on Monday that ferry fares would rise by 4%."
    other = "Harbour Commissioner Ilse Brandauer said on Monday that ferry fares would rise by 4%."
    fm = fact_matrix([a, typo, other, *CONTEXT])
    assert fm.same[0, 1] > fm.same[0, 2]  # the other commissioner is penalised, the typo not
    assert fm.same[0, 1] >= params().same


def test_one_sentences_subject_may_be_the_others_object() -> None:
    a = (
        "The harbour authority also declined to confirm whether Commissioner Ilse Varnholt had "
        "resigned, as the union claimed on Sunday."
    )
    b = (
        "Authority spokesman Tor Brandt said he would neither confirm nor deny that Varnholt "
        "had resigned."
    )
    c = "Commissioner Ilse Varnholt said the ferry timetable would change in May."
    d = "Mayor Lena Ostrova said the ferry timetable would change in May."
    fm = fact_matrix([a, b, c, d, *CONTEXT])
    assert max(fm.carry[0, 1], fm.carry[1, 0]) >= params().carry  # Varnholt is in both
    assert fm.same[2, 3] < params().same  # two people who never meet in one sentence
