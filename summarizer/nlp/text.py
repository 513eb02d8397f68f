"""Text normalisation, the one sentence splitter (with character offsets) and word tokenizer.

Sentences come from NLTK's Punkt with a news abbreviation list (offline; NLTK is imported on the
first split, not with this module); briefings and quotes both split through ``sentence_spans``.
``OfflineTokenizer`` is the same splitter and tokenizer in the shape sumy expects.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

# Abbreviations that end with a period but rarely end a sentence in news text (lower case, no
# final period). Punkt treats a token as an abbreviation when it is in this set.
ABBREVIATIONS = frozenset(
    """
    u.s u.k u.n e.u u.s.a d.c n.y l.a mr mrs ms dr prof rep reps sen sens gov govs gen lt col
    maj capt cmdr adm sgt cpl pvt st ste mt ft jr sr co corp inc ltd bros no nos vol vols fig
    figs jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thurs fri sat sun
    a.m p.m i.e e.g etc vs approx est dept univ assn ave blvd rd hon rev pres supt atty gen
    ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont neb
    nev n.h n.j n.m n.c n.d okla ore pa r.i s.c s.d tenn tex vt va wash w.va wis wyo
    """.split()
)

_QUOTES = {
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2033": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u2039": "'",
    "\u203a": "'",
}
_DASHES_PLAIN = {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-"}


class CharMap:
    """``text.translate(table)`` for a table of non-ASCII characters to plain ones, but fast.

    ``str.translate`` looks every character of a non-ASCII text up in its dict (a 4,000-character
    article costs ~0.2 ms per call, and every article is folded and tokenised several times);
    here an ASCII text is returned as it is and any other gets one C-speed regular-expression
    substitution per replacement string. Same result: the keys are non-ASCII, the replacements
    are not keys.
    """

    def __init__(self, table: dict[str, str]) -> None:
        if any(len(k) != 1 or k.isascii() or v in table for k, v in table.items()):
            raise ValueError("CharMap keys are single non-ASCII characters, values not keys")
        by_value: dict[str, list[str]] = {}
        for k, v in table.items():
            by_value.setdefault(v, []).append(k)
        self._any = re.compile("[" + "".join(map(re.escape, table)) + "]")
        self._subs = [
            (re.compile("[" + "".join(map(re.escape, keys)) + "]"), v.replace("\\", "\\\\"))
            for v, keys in by_value.items()
        ]

    def __call__(self, text: str) -> str:
        """``text`` with every key character replaced by its value."""
        if text.isascii() or self._any.search(text) is None:
            return text
        for pattern, repl in self._subs:
            text = pattern.sub(repl, text)
        return text


_straighten = CharMap(_QUOTES)
_fold_map = CharMap({**_QUOTES, **_DASHES_PLAIN})
_SPACE_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# The runs _SPACE_RE changes when it puts one space for each: all but a lone plain space (so
# text that is already spaced right is scanned, not rebuilt; same result, twice as fast).
_SPACE_RUN_RE = re.compile(
    r" [ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+"
    r"|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000][ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*"
)
_ZERO_WIDTH_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_WORD_RE = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)


def normalize_space(text: str) -> str:
    """Unicode NFC, no zero-width characters, single spaces, stripped lines, no runs of blank lines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH_RE.sub("", text)
    lines = [line.strip() for line in _SPACE_RUN_RE.sub(" ", text).split("\n")]  # no newline in it
    out = "\n".join(lines)
    return (re.sub(r"\n{3,}", "\n\n", out) if "\n\n\n" in out else out).strip()


def fold(text: str) -> str:
    """A comparison key: straight quotes, plain dashes, lower case, single spaces."""
    text = _fold_map(unicodedata.normalize("NFKC", text))
    return _SPACE_RUN_RE.sub(" ", text).strip().lower()


def straighten_quotes(text: str) -> str:
    """Replace curly quotes and guillemets by straight ones (same length: offsets are kept)."""
    return _straighten(text)


def words(text: str) -> list[str]:
    """Word tokens (letters/digits, keeping inner apostrophes, dots and hyphens)."""
    return _WORD_RE.findall(_straighten(text))


#: The four characters IGNORECASE equates with an ASCII letter they do not lower-case to (dotted
#: and dotless i, long s, Kelvin sign); dotted I is also the one that lower-cases to two.
_CASE_LOOKALIKES = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_CASE_LOOKALIKES_RE = re.compile(f"[{''.join(_CASE_LOOKALIKES)}]")
_LOOKALIKES_IN_ASCII = str.maketrans(_CASE_LOOKALIKES)


def ignorecase_lower(text: str) -> str | None:
    """``text.lower()`` when an IGNORECASE pattern of lower-case ASCII words finds in ``text``
    exactly what the same pattern without IGNORECASE finds in it at the same offsets (true
    unless one of the four look-alikes is in it); else None. Case-insensitive patterns are 2-3
    times slower, and a word missing from the lower-cased text cannot be found either way."""
    return text.lower() if _CASE_LOOKALIKES_RE.search(text) is None else None


def ignorecase_plain(text: str) -> str:
    """``text`` lower-cased with the four look-alikes spelled as the ASCII letter IGNORECASE
    matches them to: what a case-insensitive match of an ASCII word ("Tue\u017fday") spells."""
    return text.translate(_LOOKALIKES_IN_ASCII).lower()


def has_words(text: str) -> bool:
    """``bool(words(text))`` without making the list (straightening quotes makes no letter)."""
    return _WORD_RE.search(text) is not None


@lru_cache(maxsize=1)
def _punkt() -> PunktSentenceTokenizer:
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer  # NLTK: on first use

    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


_CLOSERS = ('"', "'", "\u201d", "\u2019", ")", "]", "\u00bb")


_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015"


def _starts_sentence(ch: str) -> bool:
    """Whether a piece starting with ``ch`` can be a sentence: not lower case (a split after an
    abbreviation) and not a dash (an attribution: "... nothing.” — Dana Oyelaran")."""
    return not (ch.islower() or ch in _DASHES)


_SENT_END = re.compile(r"[.?!]")  # Punkt's sentence-ending characters


def _raw_spans(paragraph: str) -> Iterable[tuple[int, int]]:
    """Punkt's spans; a paragraph with no ``.?!`` before its last character is one sentence
    without asking Punkt (Punkt breaks only after one that has a character after it, and drops
    trailing space): the same span, for about half of news paragraphs."""
    body = paragraph.rstrip()
    if _SENT_END.search(body, 0, len(body) - 1) is None:
        return [(0, len(body))] if body else []
    spans: Iterable[tuple[int, int]] = _punkt().span_tokenize(paragraph)
    return spans


@lru_cache(maxsize=8192)  # a large story's paragraphs: a few MB
def _punkt_spans(paragraph: str) -> tuple[tuple[int, int], ...]:
    """Punkt's sentence spans of a paragraph, mended, cached (briefing and quotes split the same
    paragraphs): a closing quote Punkt left at the start of the next sentence goes back to its
    own, and a piece that cannot start a sentence (``_starts_sentence``) joins the previous."""
    spans: list[tuple[int, int]] = []
    for a, b in _raw_spans(paragraph):
        while a < b and paragraph[a].isspace():
            a += 1
        while b > a and paragraph[b - 1].isspace():
            b -= 1
        if spans and b - a > 1 and paragraph[a] in _CLOSERS and paragraph[a + 1] == " ":
            spans[-1] = (spans[-1][0], a + 1)
            a += 1
            while a < b and paragraph[a].isspace():
                a += 1
        if a >= b:
            continue
        if spans and not _starts_sentence(paragraph[a]):
            spans[-1] = (spans[-1][0], b)
            continue
        spans.append((a, b))
    return tuple(spans)


def sentence_spans(
    paragraph: str, keep: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Character ranges ``(start, end)`` of the sentences of one paragraph, offline (NLTK Punkt
    with a news abbreviation list), never ending a sentence inside a ``keep`` span ``(open,
    close)`` (e.g. a quote: open and close are the indices of its quotation marks)."""
    out: list[tuple[int, int]] = []
    for a, b in _punkt_spans(paragraph):
        if out and any(o < out[-1][1] <= c for o, c in keep):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of one paragraph: the text of its ``sentence_spans``."""
    return [paragraph[a:b] for a, b in sentence_spans(paragraph)]


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a clean body (separated by blank lines)."""
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


class OfflineTokenizer:
    """The tokenizer object sumy expects (``to_sentences``/``to_words``), with no NLTK downloads."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """Sentences of a paragraph."""
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Words of a sentence."""
        return tuple(words(sentence))
