"""The fitted line model and what it decides: menus and link lists go, prose stays, short items live."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from summarizer.clean.cleaner import clean_document, parse_input
from summarizer.clean.features import FEATURE_NAMES, line_features
from summarizer.clean.model import CONTEXT_NAMES, load_model
from summarizer.errors import InputError

PARAS = (
    "The river authority opened the new flood barrier on Thursday, two years after the worst "
    "floods the valley had seen in a century.",
    "Engineers said the barrier, a row of steel gates that rise from the riverbed, can hold back "
    "water two metres higher than the old earth bank.",
    "Residents of the lower town, where more than four hundred homes were flooded, watched the "
    "first test from the footbridge and applauded when the gates closed.",
    "The authority said the project had cost less than planned because the steel was bought "
    "before prices rose last spring.",
)
MENU = "Home\nNews\nSport\nWeather\nBusiness\nCulture\nTravel\nContact us"
FOOTER = "About us\nCareers\nAdvertise\nPrivacy policy\nTerms of use\nCookie settings"
RELATED = (
    "Most read\n\nCouncil approves new bus lanes\nSchool roof repairs delayed again\n"
    "Library to open on Sundays\nMarket traders protest parking fees"
)


def _page(*blocks: str) -> str:
    return "\n\n".join(blocks)


def test_shipped_model_matches_the_feature_code() -> None:
    data = json.loads(
        resources.files("summarizer.clean").joinpath("data/line_model.json").read_text("utf-8")
    )
    assert data["features"] == list(FEATURE_NAMES)
    assert data["context"] == list(CONTEXT_NAMES)
    assert set(data["overrides"]) <= {"label", "related"}
    model = load_model()
    assert 0.0 < model.threshold < 1.0
    assert len(model.stages) == 2


def test_feature_rows_have_one_value_per_name() -> None:
    lines = parse_input(_page(MENU, *PARAS), "txt").lines
    rows = line_features(lines)
    assert len(rows) == len(lines)
    assert all(len(row) == len(FEATURE_NAMES) for row in rows)


def test_menu_footer_and_headline_list_removed_paragraphs_kept() -> None:
    raw = _page(
        MENU, "Flood barrier opens in the valley", *PARAS, RELATED, FOOTER, "© 2031 Valley Press"
    )
    doc = clean_document(raw, "txt")
    assert doc.text.split("\n\n") == list(PARAS)
    assert doc.title == "Flood barrier opens in the valley"


def test_scores_separate_prose_from_menu_lines() -> None:
    lines = parse_input(_page(MENU, *PARAS, FOOTER), "txt").lines
    scores = load_model().scores(line_features(lines), [ln.block for ln in lines])
    prose = [s for ln, s in zip(lines, scores, strict=True) if ln.text in PARAS]
    menu = [s for ln, s in zip(lines, scores, strict=True) if ln.text in MENU.split("\n")]
    assert min(prose) > max(menu)


def test_thirty_word_wire_flash_is_kept() -> None:
    flash = (
        "LISBON, March 4 (Wire) - Portugal's parliament approved the budget on Tuesday by 118 votes "
        "to 104, ending a month of uncertainty over the minority government's spending plans."
    )
    doc = clean_document(flash, "txt")
    assert doc.text == flash


def test_headline_and_one_teaser_sentence_is_an_article() -> None:
    raw = "Ferry strike called off\n\nUnions and operators agreed a pay deal late on Sunday."
    doc = clean_document(raw, "txt")
    assert doc.title == "Ferry strike called off"
    assert doc.text == "Unions and operators agreed a pay deal late on Sunday."


@pytest.mark.parametrize("raw", [MENU, FOOTER, _page(MENU, FOOTER), "Share\nTweet\nEmail\n\nPrint"])
def test_input_without_words_of_its_own_is_refused(raw: str) -> None:
    with pytest.raises(InputError):
        clean_document(raw, "txt")


def test_plain_text_head_on_single_lines_above_wrapped_paragraphs() -> None:
    raw = (
        "Harbour ferry service resumes after storm repairs\n"
        "By Jane Marlow\n"
        "Published: 12:00, March 3, 2025\n\n"
        "The harbour ferry resumed its regular timetable on Monday after\n"
        "two weeks of repairs to the landing stage, the port authority\n"
        "said in a statement issued on Sunday evening.\n\n"
        "Engineers replaced three damaged pontoons and rebuilt the\n"
        "gangway, which had been torn loose by waves during the storm\n"
        "that struck the coast late last month.\n"
    )
    doc = clean_document(raw, "txt")
    assert doc.title == "Harbour ferry service resumes after storm repairs"
    assert doc.author == "Jane Marlow"
    assert doc.published is not None
    assert (doc.published.year, doc.published.month, doc.published.day) == (2025, 3, 3)
    assert (doc.published.hour, doc.published.minute) == (12, 0)
    assert doc.text.startswith(
        "The harbour ferry resumed its regular timetable on Monday after two"
    )
    assert "By Jane Marlow" not in doc.text


def test_html_keeps_every_paragraph_trafilatura_found() -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    page = (
        "<html><head><title>Flood barrier opens</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>Flood barrier opens</h1>{body}</article>"
        "<footer><p>© 2031 Valley Press. All rights reserved.</p></footer></body></html>"
    )
    doc = clean_document(page, "html")
    for para in PARAS:
        assert para in doc.text
    assert "All rights reserved" not in doc.text


def test_page_in_a_script_without_spaces_is_not_refused() -> None:
    text = "河川管理局は木曜日に新しい洪水防止堰を開通させた。" * 3
    page = f"<html><body><article><h1>新しい堰</h1><p>{text}</p></article></body></html>"
    doc = clean_document(page, "html")
    assert text in doc.text.replace("\n", "")


def test_plain_text_head_on_single_lines_above_one_line_paragraphs() -> None:
    raw = (
        "Tram line to the airport opens two months early\n"
        "By Oona Castellanos\n"
        "Published: 07:45, April 14, 2025\n\n"
        "The new tram line between the central station and the airport opened on Monday, two months "
        "ahead of the schedule the city had set when work began.\n\n"
        "Trams will run every seven minutes at peak hours, and the trip takes twenty-two minutes.\n"
    )
    doc = clean_document(raw, "txt")
    assert doc.title == "Tram line to the airport opens two months early"
    assert doc.author == "Oona Castellanos"
    assert doc.published is not None
    assert doc.published.timetuple()[:5] == (2025, 4, 14, 7, 45)
    assert doc.text.split("\n\n") == [
        "The new tram line between the central station and the airport opened on Monday, two months "
        "ahead of the schedule the city had set when work began.",
        "Trams will run every seven minutes at peak hours, and the trip takes twenty-two minutes.",
    ]


def test_a_line_that_is_not_a_full_sentence_needs_a_higher_score() -> None:
    model = load_model()
    assert model.fragment_threshold > model.threshold  # fitted on FIT: fragments are riskier
    between = (model.threshold + model.fragment_threshold) / 2
    assert model.keeps("", between, sentence=True)
    assert not model.keeps("", between, sentence=False)
    assert model.keeps("", model.fragment_threshold, sentence=False)
    words = model.sentence_words
    assert model.is_sentence(" ".join(["word"] * words) + ".")
    assert not model.is_sentence(" ".join(["word"] * words))  # no full stop
    assert not model.is_sentence(" ".join(["word"] * (words - 1)) + ".")  # too short


SHAPE_LINES = [
    "PHOTO: Ada Quill / Getty Images",
    "Thank YOU for reading our reports, says the Us team.",
    "Weather: Mar. 3, 10:45 - 2026-03-03",
    "Files and videos WATCH the gallery",
    "no capitals, no credits, no dates here",
    "Fundraiser: we've raised 40% of our goal — help us",
    "“Ours is a small newsroom,” Élodie said; © Ana Quill, Mar 3",
    "Éditorial — WE Thank yoU for WATCHING",
    "Kelvin \u212a and the long \u017f: VIDEO credits, 12:30",
    "",
]


def test_ascii_shortcuts_give_the_pattern_figures() -> None:
    import re

    from summarizer.clean import features, shape
    from summarizer.clean.lines import Line

    for text in SHAPE_LINES:
        letters = "".join(re.findall(r"[^\W\d_]", text))
        caps = len(re.findall(r"[A-ZÀ-ÖØ-ÞΑ-ΩА-Я]", letters))
        assert shape.caps_ratio(text) == (caps / len(letters) if letters else 0.0)
        row = dict(zip(FEATURE_NAMES, features._shape(Line(text)), strict=False))
        n = max(1, shape.word_count(text))
        assert row["second_person"] == len(features._SECOND_RE.findall(text)) / n
        assert row["we_voice"] == len(features._WE_RE.findall(text)) / n
        assert row["credit_words"] == float(bool(features._CREDIT_RE.search(text)))
        assert row["date_like"] == float(bool(features._DATE_RE.search(text)))
        assert row["title_case"] == (float(shape.is_title_case(text)) if text else 0.0)
    assert shape.caps_ratio("ÉCOLE Ouverte") == 6 / 12


def test_tree_walk_is_each_tree_followed_to_its_leaf() -> None:
    import math

    import numpy as np

    lines = parse_input(_page(MENU, *PARAS, FOOTER), "txt").lines
    rows = line_features(lines)
    stage = load_model().stages[0]
    for row in rows:
        raw = stage.init
        for k in range(stage.feature.shape[0]):
            node = 0
            while stage.left[k, node] != node:
                below = row[stage.feature[k, node]] <= stage.threshold[k, node]
                node = stage.left[k, node] if below else stage.right[k, node]
            raw += stage.rate * stage.value[k, node]
        expected = 1.0 / (1.0 + math.exp(-float(np.clip(raw, -30.0, 30.0))))
        assert stage.probability(row) == pytest.approx(expected, rel=1e-12)
