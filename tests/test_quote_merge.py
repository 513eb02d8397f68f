"""Merging quotes across the articles of a story."""

from __future__ import annotations

import pytest

from summarizer.models import Article, Quote
from summarizer.quotes import merge
from summarizer.quotes.extract import extract_quotes
from summarizer.quotes.merge import merge_story_quotes, wording_key


def _art(i: int, outlet: str) -> Article:
    return Article(id=i, title=f"t{i}", text="", outlet=outlet)


def test_same_quote_from_several_outlets_is_one_entry() -> None:
    q1 = Quote("neither confirm nor deny", "Lea Marr", "spokesperson")
    q2 = Quote("neither confirm nor deny", "Marr")
    q3 = Quote("Neither confirm nor deny.", "Lea Marr")
    out = merge_story_quotes([(_art(3, "B"), [q2]), (_art(1, "A"), [q1]), (_art(2, "A"), [q3])])
    assert len(out) == 1
    sq = out[0]
    assert sq.speaker == "Lea Marr" and sq.role == "spokesperson"
    assert sq.article_ids == (1, 2, 3) and sq.outlets == ("A", "B")
    assert sq.variants == ()


def test_name_variants_are_one_speaker() -> None:
    items = [
        (_art(1, "A"), [Quote("It will look like a dialogue without us", "Ivan Zelensky")]),
        (_art(2, "B"), [Quote("We need guarantees before any talks", "Ivan Zelenskyy")]),
        (_art(3, "C"), [Quote("We need guarantees before any talks", "Ivan Zelenskyy")]),
        (_art(4, "D"), [Quote("Nothing about us without us", "Zelenskyy")]),
        (_art(5, "E"), [Quote("The deadline is real", "Sergi Ryabkv")]),
        (_art(6, "F"), [Quote("The deadline is very real", "Sergei Ryabkov")]),
    ]
    out = merge_story_quotes(items)
    speakers = {sq.speaker for sq in out}
    assert speakers == {"Ivan Zelenskyy", "Sergei Ryabkov"} or speakers == {
        "Ivan Zelenskyy", "Sergi Ryabkv"}
    assert out[0].speaker == "Ivan Zelenskyy"  # most quotes first


def test_different_wordings_become_variants() -> None:
    a = Quote("let's just say I've had it and I look forward to having many more discussions. "
              "We must work towards ending that war.", "Tom Hale")
    b = Quote("Let's just say I've had it and I expect to have many more conversations. "
              "We have to get that war ended.", "Hale")
    out = merge_story_quotes([(_art(1, "A"), [a]), (_art(2, "B"), [b]), (_art(3, "C"), [b])])
    assert len(out) == 1
    sq = out[0]
    assert sq.speaker == "Tom Hale"
    assert len(sq.variants) == 2
    assert sq.variants[0].article_ids == (2, 3) and sq.variants[0].outlets == ("B", "C")
    assert sq.variants[1].article_ids == (1,)
    assert sq.text == b.text


def test_different_speakers_are_not_merged_and_unknown_last() -> None:
    items = [
        (_art(1, "A"), [Quote("We will win this fight together", "Ana Roth"),
                        Quote("We will win this fight together", "Ben Cole"),
                        Quote("Nobody knows what happens next", "")]),
    ]
    out = merge_story_quotes(items)
    assert [sq.speaker for sq in out] == ["Ana Roth", "Ben Cole", ""]


def test_wording_key_ignores_case_punctuation_and_curly_quotes() -> None:
    assert wording_key("In U.S. politics, it’s over.") == wording_key("in US politics it's over")


def test_end_to_end_deterministic() -> None:
    t1 = 'Mayor Ines Vale said: "The river is rising fast and we are ready."'
    t2 = '"The river is rising fast and we are ready," Vale told reporters.'
    items = [(_art(2, "B"), extract_quotes(t2)), (_art(1, "A"), extract_quotes(t1))]
    out = merge_story_quotes(items)
    assert out == merge_story_quotes(list(reversed(items)))
    assert len(out) == 1 and out[0].speaker == "Ines Vale" and out[0].outlets == ("A", "B")


def test_empty() -> None:
    assert merge_story_quotes([]) == []


def test_transposed_letters_and_leftover_titles_name_one_person() -> None:
    from summarizer.quotes.speakers import same_person

    assert same_person("Ilse Varangue", "Ilse Varagnue")  # two letters swapped
    assert same_person("Councilmember Tomas Brede", "Councillor Tomas Brede")
    assert not same_person("Tomas Brede", "Lena Brede")


def test_merge_drops_titles_left_in_front_of_names() -> None:
    from summarizer.models import Article, Quote
    from summarizer.quotes.merge import merge_story_quotes

    a1 = Article(id=1, title="t", text="x", outlet="Paper One")
    a2 = Article(id=2, title="t", text="x", outlet="Paper Two")
    merged = merge_story_quotes(
        [
            (a1, [Quote(text="We will not be rushed on this vote", speaker="Councilmember Tomas Brede")]),
            (a2, [Quote(text="The budget does not add up at all", speaker="Alderman Tomas Brede")]),
        ]
    )
    assert {q.speaker for q in merged} == {"Tomas Brede"}


def test_unknown_speaker_never_chains_two_known_speakers() -> None:
    words = "the harbour dredging plan will ruin the spring catch for everyone"
    items = [
        (_art(1, "A"), [Quote(words, "Ana Roth")]),
        (_art(2, "B"), [Quote(words + " here", "")]),
        (_art(3, "C"), [Quote(words + " here now", "Ben Cole")]),
    ]
    out = merge_story_quotes(items)
    assert sorted(sq.speaker for sq in out) == ["Ana Roth", "Ben Cole"]


def test_reworded_quote_of_one_speaker_merges_through_rare_words() -> None:
    items = [
        (_art(1, "A"), [Quote("The dredging will close the east basin for six weeks", "Malik Osei")]),
        (_art(2, "B"), [Quote("Dredging will shut the east basin for six weeks", "Osei")]),
        (_art(3, "C"), [Quote("Nobody asked the fishers about the timing", "Malik Osei")]),
    ]
    out = merge_story_quotes(items)
    assert len(out) == 2
    assert {len(sq.article_ids) for sq in out} == {1, 2}


def test_quotes_per_story_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(merge, "MAX_QUOTES_PER_STORY", 3)
    items = [(_art(i, f"O{i}"), [Quote(f"statement number {i} about the quarry permit", "Ivo Lamm")])
             for i in range(1, 6)]
    out = merge_story_quotes(items)
    assert sorted(a for sq in out for a in sq.article_ids) == [1, 2, 3]
