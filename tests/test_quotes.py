"""Quote extraction: marks, multi-paragraph quotes, non-quotes, speakers and roles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.quotes.extract import extract_quotes
from summarizer.quotes.merge import wording_key
from summarizer.quotes.speakers import Registry, same_person, split_role

FIXTURES = Path(__file__).parent / "fixtures" / "quotes"


def _pairs(text: str) -> list[tuple[str, str]]:
    return [(q.text, q.speaker) for q in extract_quotes(text)]


def test_curly_quote_said_after_with_role() -> None:
    text = "Transport Minister Lena Fairclough said: “We will not take sides.”"
    (q,) = extract_quotes(text)
    assert q.text == "We will not take sides."
    assert q.speaker == "Lena Fairclough"
    assert q.role == "Transport Minister"
    assert text[q.start : q.start + len(q.text)] == q.text


def test_inverted_attribution_and_trailing_comma_dropped() -> None:
    assert _pairs('"This is where we are," said Anna Berg.') == [("This is where we are", "Anna Berg")]


def test_appositive_role_is_kept_apart() -> None:
    text = "Ivo Petek, the deputy foreign minister, said relations were “at a low point.”"
    (q,) = extract_quotes(text)
    assert (q.speaker, q.role) == ("Ivo Petek", "deputy foreign minister")
    assert q.partial


def test_role_before_name_lowercase_title() -> None:
    text = "Also on Monday, Palace spokesperson Lea Marr said she would “neither confirm nor deny” it."
    (q,) = extract_quotes(text)
    assert (q.text, q.speaker, q.role) == ("neither confirm nor deny", "Lea Marr", "Palace spokesperson")


def test_surname_and_pronoun_resolve_to_full_name() -> None:
    text = (
        "Coach Dana Whitfield praised her players.\n\n"
        "“They never gave up,” Whitfield said.\n\n"
        "“I am proud of every one of them,” she added."
    )
    assert _pairs(text) == [
        ("They never gave up", "Dana Whitfield"),
        ("I am proud of every one of them", "Dana Whitfield"),
    ]


def test_standalone_paragraph_follows_previous_speaker() -> None:
    text = (
        "“We are ready,” said Omar Reyes, the fire chief.\n\n"
        "“Every crew is on standby tonight and every engine is fuelled.”"
    )
    assert [s for _, s in _pairs(text)] == ["Omar Reyes", "Omar Reyes"]


def test_multi_paragraph_quote_is_one_quote() -> None:
    text = (
        "Mayor Ines Vale spoke first. “The river is rising fast.\n\n"
        "“Please stay away from the banks tonight,” she said.\n\nThe rain stopped at noon."
    )
    (q,) = extract_quotes(text)
    assert q.text == "The river is rising fast. Please stay away from the banks tonight"
    assert q.speaker == "Ines Vale"


def test_unbalanced_quote_is_bounded_to_its_paragraph() -> None:
    text = (
        "Officials said the “review was complete and nothing more would be said\n\n"
        "The next paragraph has no quotes at all.\n\n“Good,” said Lou Park."
    )
    quotes = extract_quotes(text)
    assert all("next paragraph" not in q.text for q in quotes)
    assert quotes[-1].text == "Good"


def test_single_quotes_and_apostrophes() -> None:
    text = (
        "It's rock 'n' roll since '23, and Trump's team knows it, "
        "said Rae Lin, who called the plan 'a total mess of a policy'."
    )
    assert _pairs(text) == [("a total mess of a policy", "Rae Lin")]


def test_guillemets() -> None:
    text = "«Nous avons avancé sur les tarifs», Jean Mory told journalists."
    assert _pairs(text) == [("Nous avons avancé sur les tarifs", "Jean Mory")]


def test_quote_inside_quote_stays_inside() -> None:
    text = "“They call us a ‘major adversary’ now,” said Petra Holm."
    (q,) = extract_quotes(text)
    assert q.text == "They call us a ‘major adversary’ now"


def test_mixed_curly_and_straight_marks() -> None:
    text = 'Spokesman Ari Nolan said he would “neither confirm nor deny" the report.'
    assert _pairs(text) == [("neither confirm nor deny", "Ari Nolan")]


def test_non_quotes_titles_scare_quotes_headlines() -> None:
    text = (
        "The adviser appeared on NBC's \"Meet the Press\" on Sunday.\n\n"
        "Critics mocked the so-called \"peace dividend\" as a fantasy.\n\n"
        "The plan was \"bold\" by any measure.\n\n"
        "RELATED: Minister says talks 'on verge of rupture'\n\n"
        "Minister says ties 'on verge of rupture'"
    )
    assert extract_quotes(text) == []


def test_a_name_given_to_something_is_not_a_quote() -> None:
    text = 'A similar case, which commentators dubbed "River Wars II," ended in a settlement.'
    assert extract_quotes(text) == []


def test_short_quote_with_attribution_is_kept() -> None:
    assert _pairs('Ana Roth called the deal "a disaster".') == [("a disaster", "Ana Roth")]


def test_according_to_and_told() -> None:
    text = (
        'Relations are "on the verge of collapse," according to Ulla Stein.\n\n'
        'Mark Dove told reporters, "We expect more talks next week."'
    )
    assert _pairs(text) == [
        ("on the verge of collapse", "Ulla Stein"),
        ("We expect more talks next week.", "Mark Dove"),
    ]


def test_unnamed_source_is_its_noun_phrase() -> None:
    text = '"We remain confident in our long-term strategy," a company spokesperson said.'
    assert _pairs(text) == [("We remain confident in our long-term strategy",
                             "a company spokesperson")]


def test_context_and_order() -> None:
    text = 'First line. "One two three four," said Al Bo. Then "five six seven eight," Al Bo added.'
    quotes = extract_quotes(text)
    assert [q.text for q in quotes] == ["One two three four", "five six seven eight"]
    assert quotes[0].context == '"One two three four," said Al Bo.'
    assert quotes[0].start < quotes[1].start


def test_name_helpers() -> None:
    assert same_person("Zelensky", "Volodymyr Zelenskyy")
    assert same_person("Sergi Ryabkv", "Sergei Ryabkov")
    assert not same_person("Anna Berg", "Lena Berg")
    assert split_role(["Russian", "Deputy", "Foreign", "Minister", "Ivo", "Petek"]) == (
        "Russian Deputy Foreign Minister",
        "Ivo Petek",
    )
    reg = Registry()
    reg.add("Ivo Petek", "minister")
    assert reg.canonical("Petek") == "Ivo Petek"
    assert reg.by_role(["the", "minister"]) is not None


def test_empty_text() -> None:
    assert extract_quotes("") == []
    assert extract_quotes("No quotes here at all.") == []


def _match(a: str, b: str) -> bool:
    ka, kb = wording_key(a), wording_key(b)
    return ka == kb or (min(len(ka), len(kb)) > 8 and (ka in kb or kb in ka))


def _fixture_scores() -> tuple[float, float, float]:
    """(recall, precision, speaker accuracy) over the annotated fixtures (as bench/eval_quotes)."""
    m = p = g = c = 0
    for path in sorted(FIXTURES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        pred = extract_quotes(data["text"])
        p, g = p + len(pred), g + len(data["quotes"])
        used: set[int] = set()
        for gold in data["quotes"]:
            hit = next((i for i, q in enumerate(pred) if i not in used and _match(q.text, gold["text"])),
                       None)
            if hit is not None:
                used.add(hit)
                m += 1
                got = pred[hit].speaker
                c += (not got and not gold["speaker"]) or bool(
                    got and gold["speaker"] and same_person(got, gold["speaker"]))
    return m / g, m / p, c / m


def test_fixture_quality() -> None:
    recall, precision, speakers = _fixture_scores()
    assert recall >= 0.9
    assert precision >= 0.9
    assert speakers >= 0.85


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.json")), ids=lambda p: p.stem)
def test_fixture_files_are_well_formed(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["text"] and data["quotes"]
    assert all(set(q) - {"kind"} == {"text", "speaker"} for q in data["quotes"])


def test_pronoun_after_a_reported_statement_goes_to_its_speaker() -> None:
    text = (
        "Angling club secretary Rowena Delacroix said members would fish upstream. "
        "“Nobody wants to be standing in the river when the gates open,” she said."
    )
    [q] = extract_quotes(text)
    assert q.speaker == "Rowena Delacroix"
