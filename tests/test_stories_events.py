"""One happening, one story: multi-day coverage stays whole, recurring events stay apart.

Every text here is invented. Articles run through ``OnlineIndex`` (the in-memory twin of the
ingest path) in publication order, mixed with each other so each story has competition.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from summarizer.nlp.text import ignorecase_lower
from summarizer.stories import assign, days
from summarizer.stories.online import OnlineIndex
from summarizer.stories.signals import extract, rarity


def at(day: int, hour: int) -> datetime:
    """A time in March 2026 (2026-03-09 is a Monday)."""
    return datetime(2026, 3, day, hour, tzinfo=UTC)


# A blast on Tuesday, covered Tuesday to Thursday: report, health warning, analysis, headline only.
BLAST = [
    (
        at(10, 19),
        "Explosion at Brannock chemical plant in Oskeld injures 14 workers",
        "An explosion tore through the Brannock Chemicals plant on the outskirts of Oskeld on "
        "Tuesday afternoon, injuring 14 workers and sending a column of black smoke over the "
        "Varrow valley.\n\nFire crews from three towns fought the blaze for four hours before "
        "bringing it under control. Two of the injured were flown to the burns unit in Haldane.",
    ),
    (
        at(11, 9),
        "Oskeld residents told to keep windows shut after Brannock blast",
        "Health officials in Oskeld on Wednesday urged residents near the Varrow to keep their "
        "windows closed, a day after a blast at the Brannock Chemicals site injured 14 people.\n\n"
        "Air samples taken overnight showed solvent levels above safe limits in two streets next "
        "to the plant, the regional health board said. Schools in the area stayed closed.",
    ),
    (
        at(11, 13),
        "Brannock blast: union demands answers over Oskeld plant safety",
        "",
    ),
    (
        at(12, 16),
        "What went wrong at Brannock? Inspectors flagged corroded tanks two years ago",
        "Safety inspectors warned Brannock Chemicals in 2024 that solvent tanks at its Oskeld "
        "plant were corroding, records seen by this newspaper show. The company said on Thursday "
        "it would cooperate with the inquiry into the explosion that injured 14 workers.\n\n"
        "Former employees described a maintenance backlog that grew after the plant changed "
        "owners. The regional safety agency has sealed the damaged tank hall.",
    ),
]

# Two debates of the same two candidates in one week (Tuesday and Thursday nights).
DEBATES = [
    (
        at(11, 2),
        "Halloran and Pryce clash over taxes in first Calder governor debate",
        "Governor candidates Maeve Halloran and Desmond Pryce clashed over property taxes and the "
        "state's water plan on Tuesday night in the first of two debates before the Calder "
        "primary, held at Winthrop College.\n\nPryce accused Halloran of hiding the cost of her "
        "water plan; Halloran said Pryce had no plan at all for the drought-hit south.",
    ),
    (
        at(11, 8),
        "Pryce goes on the attack against Halloran at Winthrop College debate",
        "Desmond Pryce repeatedly accused Maeve Halloran of ducking questions about property "
        "taxes on Tuesday night, in a combative first debate of the Calder governor race.\n\n"
        "Halloran kept returning to the water plan and the drought in the south of the state.",
    ),
    (
        at(13, 2),
        "Halloran and Pryce spar over schools in final Calder governor debate",
        "Maeve Halloran and Desmond Pryce traded barbs over school funding and the water plan on "
        "Thursday night in their second and final debate before the Calder primary, at the "
        "Ostend civic theatre.\n\nPryce again attacked Halloran over property taxes, while "
        "Halloran pressed him on teacher pay and the drought in the south.",
    ),
    (
        at(13, 7),
        "Schools dominate second Halloran-Pryce debate in Ostend",
        "School funding and teacher pay dominated the second debate between Maeve Halloran and "
        "Desmond Pryce on Thursday night, the last before the Calder primary.\n\nBoth "
        "candidates promised to end the drought emergency in the south within a year.",
    ),
]

# Daily market reports on consecutive days.
MARKETS = [
    (
        at(9, 21),
        "Stocks slide as oil jumps; Dow loses 310 points",
        "Wall Street stocks fell on Monday as a jump in oil prices revived inflation worries, "
        "with the Dow Jones Industrial Average losing 310 points, or 0.8%, to 38,420. The S&P "
        "500 fell 1.1% and the Nasdaq Composite lost 1.4%.\n\nEnergy shares were the only "
        "gainers as Brent crude rose above $96 a barrel.",
    ),
    (
        at(9, 22),
        "Wall Street ends lower on oil surge",
        "US stocks closed lower on Monday after oil prices surged, the Dow Jones Industrial "
        "Average shedding 310 points to 38,420 while the Nasdaq slid 1.4%.\n\nTraders said "
        "inflation worries were back as crude topped $96 a barrel.",
    ),
    (
        at(10, 21),
        "Stocks rebound as oil retreats; Dow gains 245 points",
        "Wall Street stocks rose on Tuesday as oil prices eased, with the Dow Jones Industrial "
        "Average gaining 245 points, or 0.6%, to 38,665. The S&P 500 added 0.7% and the Nasdaq "
        "Composite climbed 0.9%.\n\nEnergy shares lagged as Brent crude slipped to $91 a barrel.",
    ),
    (
        at(10, 22),
        "Wall Street climbs as crude cools",
        "US stocks closed higher on Tuesday as crude prices cooled, the Dow Jones Industrial "
        "Average adding 245 points to 38,665 and the Nasdaq rising 0.9%.\n\nTraders said "
        "inflation worries eased with Brent at $91 a barrel.",
    ),
]

# Two polls of the same race, two days apart, by different pollsters. (A poll and a debate of the
# same candidates reported on the same day can still merge: a known limit of the day rule.)
POLLS = [
    (
        at(9, 15),
        "Halloran leads Pryce by six points in Northgate poll",
        "Maeve Halloran leads Desmond Pryce 47% to 41% among likely voters in the Calder "
        "governor primary, a Northgate University poll released on Monday found.\n\nThe poll of "
        "812 voters has a margin of error of 3.4 points. Water policy was the top issue.",
    ),
    (
        at(11, 15),
        "Pryce closes gap on Halloran in Tessaly Research poll",
        "Desmond Pryce has narrowed Maeve Halloran's lead in the Calder governor primary to 44% "
        "against 42%, according to a Tessaly Research poll published on Wednesday.\n\nThe survey "
        "of 650 likely voters has a margin of error of 3.8 points; water policy led the issues.",
    ),
]


# The day after the primary: the loser's staff lay-offs, looking back at it; and a next-day market
# report that looks back at Monday's figures but brings its own.
LAYOFFS = [
    (
        at(11, 20),
        "Pryce campaign lays off a third of its staff",
        "Desmond Pryce's campaign laid off about a third of its staff on Wednesday, a day after "
        "his defeat in the Calder governor primary, two aides said.\n\nThe remaining staff will "
        "wind down the campaign's offices in Ostend and settle its debts, the aides said.",
    ),
    (
        at(11, 22),
        "Pryce aides shown the door after primary loss",
        "About a third of the staff of Desmond Pryce's governor campaign were laid off on "
        "Wednesday, the day after Maeve Halloran beat him in the Calder primary.\n\nAides said "
        "the campaign owed vendors about $400,000.",
    ),
]
LOOK_BACK = [
    (
        at(10, 21),
        "Stocks bounce back as oil eases",
        "Wall Street stocks rose on Tuesday, a day after a jump in oil prices sent the Dow Jones "
        "Industrial Average down 310 points. The Dow gained 0.6% and the Nasdaq Composite "
        "climbed 0.9%.\n\nEnergy shares lagged as Brent crude slipped to $91 a barrel.",
    ),
]


# A primary night: results, a concession after midnight, analysis, what next, the final count.
ELECTION = [
    (
        at(11, 3),
        "Halloran wins Calder governor primary",
        "Maeve Halloran won the Calder governor primary on Tuesday, beating Desmond Pryce with 54% "
        "of the vote with most ballots counted, the state election office said.\n\nHalloran's "
        "lead was built in the cities of the north; Pryce carried most rural counties in the "
        "drought-hit south.",
    ),
    (
        at(11, 5),
        "Pryce concedes to Halloran, pledges to back nominee",
        "Desmond Pryce conceded the Calder primary early on Wednesday and said he would campaign "
        'for Maeve Halloran in November.\n\n"The voters have spoken, and I respect their '
        'choice," Pryce told supporters in Ostend shortly after midnight.',
    ),
    (
        at(11, 9),
        "How Halloran won: cities, water and a late surge",
        "Maeve Halloran's victory in Tuesday's primary rested on a big turnout in the northern "
        "cities and on her water plan, exit polls suggest.\n\nShe won 61% of voters who named "
        "water as their top issue. Turnout reached 38%, the highest for a primary in two decades.",
    ),
    (
        at(11, 14),
        "What Halloran's primary win means for November",
        "After her primary victory over Desmond Pryce, Maeve Halloran now faces the Republican "
        "nominee, state senator Ida Marsh, in a race forecasters rate as a toss-up.\n\nMarsh, "
        "who was unopposed, congratulated Halloran and challenged her to six debates.",
    ),
    (
        at(11, 16),
        "Halloran takes 55% as final Calder count is certified",
        "The final count of Tuesday's Calder governor primary gave Maeve Halloran 55% of the vote "
        "to 45% for Desmond Pryce, the election office said on Wednesday.\n\nTurnout was 38%.",
    ),
]


def run(*groups: list[tuple[datetime, str, str]]) -> dict[str, int]:
    """Assign every article of the groups in time order; title -> story id."""
    index = OnlineIndex()
    items = sorted((a for g in groups for a in g), key=lambda a: (a[0], a[1]))
    return {title: index.add(n, title, text, when) for n, (when, title, text) in enumerate(items)}


def stories_of(assigned: dict[str, int], group: list[tuple[datetime, str, str]]) -> set[int]:
    return {assigned[title] for _, title, _ in group}


def test_a_multi_day_event_in_different_wordings_stays_one_story() -> None:
    assigned = run(BLAST, DEBATES, MARKETS, POLLS)
    assert len(stories_of(assigned, BLAST)) == 1


def test_two_debates_in_one_week_are_two_stories() -> None:
    assigned = run(BLAST, DEBATES, POLLS)
    first, second = stories_of(assigned, DEBATES[:2]), stories_of(assigned, DEBATES[2:])
    assert len(first) == 1 and len(second) == 1 and first != second


def test_consecutive_day_market_reports_are_two_stories() -> None:
    assigned = run(MARKETS, BLAST)
    monday, tuesday = stories_of(assigned, MARKETS[:2]), stories_of(assigned, MARKETS[2:])
    assert len(monday) == 1 and len(tuesday) == 1 and monday != tuesday


def test_two_polls_are_two_stories() -> None:
    assigned = run(POLLS, DEBATES)
    assert len(stories_of(assigned, POLLS)) == 2
    assert not stories_of(assigned, POLLS) & stories_of(assigned, DEBATES)


def test_next_day_staff_lay_offs_that_look_back_at_the_primary_are_another_story() -> None:
    assigned = run(BLAST, MARKETS, ELECTION, LAYOFFS)
    layoffs, primary = stories_of(assigned, LAYOFFS), stories_of(assigned, ELECTION)
    assert len(layoffs) == 1 and len(primary) == 1 and layoffs != primary


def test_a_next_day_report_with_its_own_results_stays_apart_though_it_repeats_a_figure() -> None:
    assigned = run(MARKETS[:2], LOOK_BACK, BLAST)
    monday, tuesday = stories_of(assigned, MARKETS[:2]), stories_of(assigned, LOOK_BACK)
    assert len(monday) == 1 and monday != tuesday
    sig = extract(LOOK_BACK[0][1], LOOK_BACK[0][2], LOOK_BACK[0][0])
    assert "#310" in sig.figures  # it shares Monday's figure, yet brings its own results


def test_a_primary_night_with_a_concession_after_midnight_stays_one_story() -> None:
    assigned = run(BLAST, MARKETS, ELECTION)
    assert len(stories_of(assigned, ELECTION)) == 1


def test_one_stray_percentage_is_not_a_round_of_results() -> None:
    """A flood follow-up two days on shares a count; its single new percentage does not split it."""
    index = OnlineIndex()
    index.add(
        0,
        "Hale river floods 1,200 homes in Port Ennis",
        "The river Hale burst its banks in Port Ennis on Monday, flooding 1,200 homes after "
        "rainfall reached 310% of the monthly average.\n\nRescue crews used boats in the lower town.",
        at(9, 20),
    )
    follow_up = extract(
        "Port Ennis begins clean-up as Hale recedes",
        "Residents of the 1,200 flooded homes in Port Ennis began clearing mud on Wednesday; "
        "insurers expect claims to rise 40% on last year.\n\nThe river fell below its banks overnight.",
        at(11, 12),
    )
    story = index.stories[1]
    assert follow_up.day != story.day and follow_up.results and story.results
    assert assign.same_happening(follow_up, story) == (True, "")


def test_the_rule_not_dissimilarity_keeps_the_second_debate_apart() -> None:
    """Without the recurring-event rule the second debate would join the first: text is close."""
    index = OnlineIndex()
    for n, (when, title, text) in enumerate(DEBATES[:2]):
        index.add(n, title, text, when)
    when, title, text = DEBATES[2]
    sig = extract(title, text, when)
    w = assign.weigh(sig, index.dfs, index.n_docs, index.params)
    story = index.stories[1]
    assert assign.similarity(w, story, index.params) >= index.params.threshold
    decision = assign.decide(w, when, [story], index.params)
    assert decision.story_id is None and decision.reason.startswith("another day")


def test_headline_only_item_joins_its_story_and_is_flagged_short() -> None:
    assigned = run(BLAST, DEBATES)
    headline = BLAST[2][1]
    assert assigned[headline] == assigned[BLAST[0][1]]
    assert extract(headline, "", BLAST[2][0]).short
    assert not extract(BLAST[0][1], BLAST[0][2], BLAST[0][0]).short


def test_days_are_read_from_title_then_lead_and_resolved_against_publication() -> None:
    wed = at(11, 9)
    assert days.event_day("Debate on Tuesday", "It was on Monday.", wed) == at(10, 0).date()
    assert days.event_day("Blast aftermath", "Officials said yesterday", wed) == at(10, 0).date()
    assert days.event_day("Vote set", "The vote is next Tuesday", wed) == at(17, 0).date()
    assert days.event_day("Poll", "Released March 9", wed) == at(9, 0).date()
    assert days.event_day("Nothing", "No day here", wed) is None
    assert days.day_references("On Tuesday, a day after the vote", wed) == [at(10, 0).date()]
    assert days.day_references("He conceded early on Wednesday", wed) == [
        wed.date(),
        at(10, 0).date(),
    ]
    assert days.day_references("Talks ran overnight", wed) == [wed.date(), at(10, 0).date()]
    assert days.event_day("On Monday", "", None) is None
    assert days.result_figures("Rovers won 3-1; turnout 52% and 48.5 percent") == {
        "3-1",
        "52%",
        "48.5%",
    }


def test_rare_words_outweigh_common_ones() -> None:
    assert rarity("brannock") > rarity("plant") > rarity("the")


SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")
def test_the_five_seeds_form_one_story() -> None:
    from summarizer.clean.cleaner import clean_document

    index = OnlineIndex()
    docs = [
        clean_document(p.read_text(encoding="utf-8"), "txt", p.name)
        for p in sorted(SEEDS.glob("*.txt"))
    ]
    assert len(docs) == 5
    ids = {index.add(n, d.title, d.text, d.published) for n, d in enumerate(docs)}
    assert len(ids) == 1


def test_day_patterns_read_lower_case_text_the_same() -> None:
    import re

    # Only these four characters match an ASCII letter under IGNORECASE without lower-casing
    # to it, and only dotted I changes length in lower case: other text is matched lower-cased.
    letter = re.compile("[a-z]", re.I)
    lookalikes = {c for c in map(chr, range(128, 0x110000)) if letter.fullmatch(c)}
    assert lookalikes == set("\u0130\u0131\u017f\u212a")
    # ... and lower-casing never changes whether a character is a word, space or digit (\b, \s, \d).
    kind = re.compile(r"(\w)|(\s)|(\d)")

    def kinds(c: str) -> tuple[bool, ...]:
        m = kind.fullmatch(c)
        return (False,) * 3 if m is None else tuple(g is not None for g in m.groups())

    for c in map(chr, range(0x110000)):
        low = c.lower()
        if low != c and c != "\u0130":
            assert len(low) == 1 and kinds(low) == kinds(c)
    wed = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)
    for text in (
        "MONDAY'S vote, then Next Friday; 3 March and March 10th",
        "Talks ran OVERNIGHT after Early On Tuesday’s session, “yesterday” É",
    ):
        scanned = [
            (m.start(), m.group(0).lower())
            for rx in (days._DAY_RE, days._EARLY_RE)
            for m in rx.finditer(text)
        ]
        assert scanned
        assert ignorecase_lower(text) == text.lower()
        lowered = [
            (m.start(), m.group(0))
            for rx in (days._DAY_LOWER_RE, days._EARLY_LOWER_RE)
            for m in rx.finditer(text.lower())
        ]
        assert lowered == scanned
        assert days.day_references(text, wed)
    for odd in ("A \u212aelvin sign", "a long \u017f", "dotless \u0131", "dotted \u0130"):
        assert ignorecase_lower(odd) is None  # read with IGNORECASE, as written


@pytest.mark.parametrize(
    ("text", "day"),
    [("The vote on Tue\u017fday", 4), ("next Tue\u017fday", 11), ("Fr\u0131day's count", 7),
     ("ye\u017fterday", 6), ("\u017feptember 3", None)],
)
def test_days_spelled_with_case_look_alikes_resolve_like_ascii(text: str, day: int | None) -> None:
    """IGNORECASE matches "ſ", "ı", "İ" and the Kelvin sign to ASCII letters: such a day resolves
    like its ASCII spelling instead of failing the article."""
    found = days.day_references(text, datetime(2025, 3, 7, 12, tzinfo=UTC))
    if day is None:  # a month a year back: resolved, not raised
        assert found and found[0].month == 9
    else:
        assert found and found[0].day == day
