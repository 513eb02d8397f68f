"""Dangling "he"/"the minister" subjects: kept when named earlier, named in brackets, or dropped;
and the credit line says whose wording a quoted sentence shows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.chat import pages
from bot.chat.render import to_plain
from bot.chat.reply import Reply
from summarizer.brief import coherence
from summarizer.brief.briefing import build_briefing
from summarizer.models import Article, Briefing, BriefSentence, Story

ARTICLE = Article(
    id=1,
    title="Harbour minister sets conditions for port deal",
    outlet="Harbor Herald",
    text=(
        "Harbour Minister Ilse Varnholt said on Monday that the port deal would collapse unless "
        "the shipping union dropped its demand for a four-day week.\n\n"
        "She added that talks could resume as early as Thursday.\n\n"
        "The minister also said the government would not raise its offer.\n\n"
        "Dock workers and drivers held a rally outside the ministry in the afternoon.\n\n"
        "They said they would keep protesting."
    ),
)


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        ("She added that talks could resume as early as Thursday.", "She"),
        ("The minister also said the government would not raise its offer.", "The minister"),
        ('"We will not move," he said on Friday.', "he"),
        ("In his speech, the Ukrainian leader thanked the allies.", "his"),
        ("Harbour Minister Ilse Varnholt said talks would resume.", None),
        ("Varnholt said she expected a deal by Friday.", None),  # named before the pronoun
        ("The minister of transport Ilse Varnholt spoke first.", None),  # role with a name
        ("Asked if she would resign, Varnholt said the union had misled her.", None),  # forward
        ("He said, Varnholt was wrong about the schedule.", "He"),  # not a leading clause
    ],
)
def test_subject_reference(sentence: str, subject: str | None) -> None:
    ref = coherence.subject_reference(sentence)
    assert (ref.text if ref else None) == subject


def test_pronoun_and_bare_role_resolve_to_the_article_name() -> None:
    assert coherence.referent(
        "She added that talks could resume as early as Thursday.", ARTICLE
    ) == "Ilse Varnholt"
    assert coherence.referent(
        "The minister also said the government would not raise its offer.", ARTICLE
    ) == "Ilse Varnholt"
    # "They" after a sentence about groups of people: nobody to name.
    assert coherence.referent("They said they would keep protesting.", ARTICLE) == ""


def test_named_earlier_kept_else_named_in_brackets_else_dropped() -> None:
    first = "Harbour Minister Ilse Varnholt said on Monday that the port deal would collapse."
    added = "She added that talks could resume as early as Thursday."
    protest = "They said they would keep protesting."
    shown = coherence.make_coherent([first, added, protest], [ARTICLE] * 3)
    assert shown == [first, added, None]
    alone = coherence.make_coherent([added], [ARTICLE])
    assert alone == ["[Ilse Varnholt] added that talks could resume as early as Thursday."]
    role = coherence.make_coherent(
        ["The minister also said the government would not raise its offer."], [ARTICLE]
    )
    assert role == ["[Ilse Varnholt] also said the government would not raise its offer."]


CHAIN = Article(
    id=2,
    title="Ferry talks stall",
    outlet="Harbor Herald",
    text=(
        "Transport Minister Odile Brandt said the crossing would stay shut until spring.\n\n"
        "She said the repairs would cost more than expected.\n\n"
        "She also said the crews were ready.\n\n"
        "The minister appeared to put the blame for the long delay on Mayor Tobias Renk.\n\n"
        "He added that Renk had never answered her letters."
    ),
)


def test_names_beside_another_unnamed_subject_are_not_the_referent() -> None:
    # A chain of plain pronouns still reaches the name two sentences back.
    assert coherence.referent("She also said the crews were ready.", CHAIN) == "Odile Brandt"
    # The mayor is named, but as the object of a sentence whose subject is "the minister":
    # "He" cannot be resolved to him with any confidence.
    assert coherence.referent("He added that Renk had never answered her letters.", CHAIN) == ""
    # ... and a sentence naming a person only after its "He" is not thereby resolved.
    shown = coherence.make_coherent(["He added that Renk had never answered her letters."], [CHAIN])
    assert shown == [None]


def test_rewrite_replaces_only_the_subject_possessive_kept() -> None:
    assert coherence.rewrite("His offer was rejected by the union.", "Tomas Reyl") == (
        "[Tomas Reyl's] offer was rejected by the union."
    )


def _a(i: int, outlet: str, paras: list[str]) -> Article:
    return Article(
        id=i, title=f"Port talks ({outlet})", text="\n\n".join(paras), outlet=outlet,
        published=datetime(2025, 5, 6, 8 + i),
    )


def test_briefing_never_shows_an_unnamed_subject() -> None:
    articles = [
        _a(1, "Harbor Herald", [
            "The port of Selvik was shut on Monday after dock workers walked out over pay, "
            "the port authority said.",
            "He said the walkout was the first in 20 years.",
            "Harbour Minister Ilse Varnholt said the deal would collapse unless the union dropped "
            "its demand for a four-day week.",
        ]),
        _a(2, "Metro Ledger", [
            "Dock workers walked out at the port of Selvik on Monday in a dispute over pay, "
            "halting cargo traffic, the port authority said.",
            "The minister said talks could resume as early as Thursday.",
        ]),
        _a(3, "Coastline Wire", [
            "Cargo traffic at Selvik stopped on Monday as dock workers went on strike over pay, "
            "according to the port authority.",
            "Varnholt said the government would not raise its offer, calling it final.",
        ]),
    ]
    for words in (30, 60, 120):
        brief = build_briefing(1, "Port strike", articles, words=words)
        texts = [s.text for s in brief.sentences]
        assert coherence.dangling_sentences(texts, articles) == []
        assert not any(t.startswith("He said the walkout") for t in texts)


def test_credit_line_names_whose_wording_is_shown() -> None:
    quoted = BriefSentence(
        '"We will not raise the offer," Varnholt said on Monday.',
        (1, 2, 3),
        ("Coastline Wire", "Harbor Herald", "Metro Ledger"),
        wording="Metro Ledger",
    )
    plain = BriefSentence("The port was shut on Monday.", (1, 2), ("Coastline Wire", "Harbor Herald"))
    briefing = Briefing(story_id=1, title="Port", sentences=(quoted, plain))
    story = Story(id=1, title="Port", article_ids=(1, 2, 3), outlets=quoted.outlets)
    reply = pages.brief_reply(story, briefing, {}, datetime(2025, 5, 6, tzinfo=UTC))
    out = to_plain(Reply(paragraphs=reply.paragraphs))
    assert "— wording: Metro Ledger; also reported by Coastline Wire, Harbor Herald" in out
    assert "Monday. — Coastline Wire, Harbor Herald" in out
    data = reply.data
    assert isinstance(data, dict)
    sentences = data["sentences"]
    assert isinstance(sentences, list)
    assert [s["wording"] for s in sentences] == ["Metro Ledger", ""]


def test_quoted_sentence_records_its_wording_outlet() -> None:
    articles = [
        _a(1, "Harbor Herald", [
            'Harbour Minister Ilse Varnholt said on Monday: "The port deal will collapse unless '
            'the union drops its demand."',
            "Dock workers walked out at the port of Selvik on Monday over pay.",
        ]),
        _a(2, "Metro Ledger", [
            "Dock workers at the port of Selvik walked out on Monday in a dispute over pay.",
            "Varnholt warned that the port deal would collapse unless the union dropped its demand.",
        ]),
    ]
    brief = build_briefing(1, "Port", articles, words=80)
    for s in brief.sentences:
        if '"' in s.text and len(s.text.split('"')[1].split()) >= 3:
            assert s.wording in s.outlets
        else:
            assert s.wording == ""


def test_a_name_followed_by_also_keeps_its_surname() -> None:
    found = coherence.names_in("Harbour spokesperson Tove Lindqvist also declined to comment.")
    assert "Tove Lindqvist" in [name for _, _, name in found]  # not "Tove Lindqvist al"
    assert [n for _, _, n in coherence.names_in("Nadia bin Rashid spoke first.")] == [
        "Nadia bin Rashid"
    ]
