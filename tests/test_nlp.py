"""The one NLP toolkit: sentence spans with offsets, the split briefings and quotes share, terms."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from summarizer.brief.ranking import lexical_similarity
from summarizer.nlp.similarity import cosine_matrix, tfidf_unit_rows
from summarizer.nlp.terms import stem, stop_words, terms
from summarizer.nlp.text import sentence_spans, split_sentences
from summarizer.quotes.extract import extract_quotes


def texts(paragraph: str, keep: tuple[tuple[int, int], ...] = ()) -> list[str]:
    return [paragraph[a:b] for a, b in sentence_spans(paragraph, keep)]


def test_spans_are_offsets_of_the_sentences() -> None:
    p = "  Sen. Ada Quill of Ore. spoke at 5 p.m. Monday. The U.S. plan failed?! Yes.  "
    spans = sentence_spans(p)
    assert [p[a:b] for a, b in spans] == split_sentences(p)
    assert split_sentences(p) == [
        "Sen. Ada Quill of Ore. spoke at 5 p.m. Monday.",
        "The U.S. plan failed?!",
        "Yes.",
    ]
    assert all(not p[a].isspace() and not p[b - 1].isspace() for a, b in spans)


def test_a_lower_case_piece_or_a_dash_attribution_is_not_a_sentence() -> None:
    assert split_sentences("It rose 3 pct. in May. prices fell.") == [
        "It rose 3 pct. in May. prices fell."
    ]
    line = "“Rents went up by a third. Wages did not.” — Ola Brisk, a welder"
    assert split_sentences(line) == ["“Rents went up by a third.", "Wages did not.” — Ola Brisk, a welder"]


def test_no_sentence_ends_inside_a_kept_span() -> None:
    p = 'He said "Stop. Now. Please." Then he left.'
    quote = (p.index('"'), p.rindex('"'))
    assert texts(p) == ['He said "Stop.', "Now.", 'Please."', "Then he left."]
    assert texts(p, (quote,)) == ['He said "Stop. Now. Please."', "Then he left."]


def test_a_closing_quote_goes_back_to_its_sentence_verbatim() -> None:
    p = "“We will win.” She left."
    assert split_sentences(p) == ["“We will win.”", "She left."]


def test_quotes_find_their_speaker_across_the_shared_splitter() -> None:
    text = (
        "Ferry users wrote in about the timetable.\n\n"
        "“The late boat ruined my week. I miss the bus now.” — Ivo Marr, a nurse\n\n"
        "“It suits me fine,” said Lena Dahl, who works nights."
    )
    found = {q.text: q.speaker for q in extract_quotes(text)}
    assert found == {
        "The late boat ruined my week. I miss the bus now.": "Ivo Marr",
        "It suits me fine": "Lena Dahl",
    }


def test_terms_stem_and_drop_stop_words() -> None:
    assert "the" in stop_words()
    assert stem("running") == "run"
    assert terms("The U.S. officials' harbour-front plans") == ("us", "offici", "harbour", "front", "plan")


def test_the_toolkit_imports_neither_nltk_nor_numpy() -> None:
    """Splitting and stemming load NLTK and sumy on first use, never at import."""
    code = (
        "import sys\n"
        "import summarizer.nlp.text, summarizer.nlp.terms\n"
        "print(sorted({'nltk', 'numpy', 'sumy'} & {m.split('.')[0] for m in sys.modules}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_one_sparse_tfidf_builder_gives_exact_cosines() -> None:
    docs = [("harbour", "strike", "strike"), ("harbour", "strike"), ("ferri",), ()]
    unit = tfidf_unit_rows(docs)
    assert unit.shape == (4, 3) and unit.nnz == 5
    idf = {t: math.log(5 / (1 + k)) + 1.0 for t, k in {"harbour": 2, "strike": 2}.items()}
    a = np.array([idf["harbour"], (1 + math.log(2)) * idf["strike"]])
    b = np.array([idf["harbour"], idf["strike"]])
    sim = cosine_matrix(docs)
    assert sim[0, 1] == pytest.approx(a @ b / np.linalg.norm(a) / np.linalg.norm(b), rel=1e-6)
    assert sim[0, 2] == 0.0 and list(np.diag(sim)) == [1.0, 1.0, 1.0, 0.0]
    texts = ["Keepers vote to strike at the harbour.", "The harbour strike vote passed.", "Ferries run."]
    assert np.allclose(cosine_matrix([terms(t) for t in texts]), lexical_similarity(texts))


def test_charmap_is_str_translate() -> None:
    import random

    from summarizer.nlp.text import CharMap, fold, straighten_quotes, words

    table = {"\u201c": "\"", "\u201d": "\"", "\u2019": "'", "\u2013": "-", "\u00a0": " "}
    cmap = CharMap(table)
    alphabet = [*"ab Cd\n'\"-.\\é\u03a3\u2014\u2212\ufb01\u2460", *table]
    rnd = random.Random(7)
    for _ in range(3000):
        s = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 25)))
        assert cmap(s) == s.translate({ord(k): v for k, v in table.items()})
    assert straighten_quotes("\u201cIt\u2019s\u201d \u00abok\u00bb") == "\"It's\" \"ok\""
    assert fold("A\u2013B \u2212 \u201cC\u201d\u00a0D") == 'a-b - "c" d'
    assert words("Ana\u2019s co\u2010op") == ["Ana's", "co", "op"]
    with pytest.raises(ValueError):
        CharMap({"a": "b"})  # an ASCII key: the ASCII shortcut would skip it


def test_space_runs_become_one_space_as_before() -> None:
    import random
    import re
    import unicodedata

    from summarizer.nlp.text import _SPACE_RE, fold, normalize_space

    def old_normalize(text: str) -> str:
        text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
        text = re.sub("[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text)
        out = "\n".join(_SPACE_RE.sub(" ", line).strip() for line in text.split("\n"))
        return re.sub(r"\n{3,}", "\n\n", out).strip()

    alphabet = [*" \t\n\r\u00a0\u2003\u3000\u200bab", "  "]
    rnd = random.Random(11)
    for _ in range(3000):
        s = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 16)))
        assert normalize_space(s) == old_normalize(s)
        assert fold(s) == _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", s)).strip().lower()


@pytest.mark.parametrize(
    "paragraph",
    [
        "",
        "   ",
        ".",
        "A single sentence with no stop",
        "A single sentence, ending in a period.   ",
        "Really?!",
        'She said "we are done."',
        "The U.S. team won. Then it rained.",
        "Prices rose 3.5 percent in March",
        "Who knew? Nobody did.\u00a0",
        "Dr. Amara Osei arrived at noon.",
    ],
)
def test_one_sentence_paragraphs_skip_punkt_with_its_answer(paragraph: str) -> None:
    """A paragraph with no sentence end before its last character is answered without Punkt,
    with exactly the spans Punkt gives (everything else still goes to Punkt)."""
    from summarizer.nlp.text import _punkt, _raw_spans

    assert [tuple(s) for s in _raw_spans(paragraph)] == [
        tuple(s) for s in _punkt().span_tokenize(paragraph)
    ]
