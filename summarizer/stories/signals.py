"""What identifies the event an article reports: rare terms, names, figures and the day.

An article (or a headline-only feed item: title plus teaser) becomes weighted term counts in which
each term carries a rarity prior from general English word frequencies (the ``wordfreq`` package's
shipped list), so "Brannock" or "Oskeld" count far more than "says" or "market" even in a corpus
of ten articles, where document frequencies say nothing yet. Names (capitalised words outside a
title-case headline, acronyms, rare words of a title-case headline) and figures (amounts,
counts, scores) are marked so the scorer can weight them up.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from summarizer.nlp.terms import stem
from summarizer.nlp.text import paragraphs, words
from summarizer.stories import days
from summarizer.stories.cluster import stop_words

MAX_ZIPF = 8.0
UNKNOWN_ZIPF = 1.0  # a word missing from the list is about as rare as the rarest listed ones
NAME_ZIPF = 4.2  # a capitalised headline word rarer than this is probably a name
LEAD_PARAGRAPHS = 2
FIGURE_PRIOR = 4.0  # an amount or count is about as telling as a rare word
SHORT_WORDS = 40  # fewer body words: a headline, teaser or wire flash (coverage, never briefing text)

_FIGURE_RE = re.compile(
    r"(?<![\w.,])(?P<cur>[$€£])?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\d%])"
    r"(?:\s*(?P<unit>million|billion|trillion|bn|mln|mn|m|k)\b)?",
    re.I,
)


@lru_cache(maxsize=1)
def _zipf_lookup() -> object:
    """wordfreq's zipf_frequency, imported on first use (its word list takes ~0.5 s to load)."""
    from wordfreq import zipf_frequency

    return zipf_frequency


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    """How common a word is in general English, on the Zipf scale (0 = unknown, 7+ = "the")."""
    lookup = _zipf_lookup()
    value = float(lookup(word.lower(), "en"))  # type: ignore[operator]
    return value if value > 0 else UNKNOWN_ZIPF


def rarity(word: str) -> float:
    """A prior inverse document frequency from general English (natural-log scale, >= 0.25)."""
    return max(0.25, (MAX_ZIPF - zipf(word)) * math.log(10) / 2.0)


@dataclass(frozen=True)
class Signals:
    """The event evidence of one article, before any corpus statistics are applied."""

    counts: Mapping[str, float]  # stemmed term -> weighted frequency (title, lead, rest)
    head: Mapping[str, float]  # the same for title and lead only
    prior: Mapping[str, float]  # stemmed term -> rarity prior
    names: frozenset[str]  # stemmed terms that are names (people, places, organisations)
    figures: frozenset[str]  # amounts and counts anywhere in the text ("#37000", "#40m")
    results: frozenset[str]  # scores and percentages in title and lead
    day: date | None  # the day of the happening, when title or lead names one
    days_named: tuple[date, ...]  # every day named in title and lead
    short: bool  # headline-only or teaser: never briefing text


def is_title_case(title: str) -> bool:
    """True when most longer words of a headline are capitalised (so capitals say nothing)."""
    long_words = [w for w in words(title) if len(w) > 3 and w[0].isalpha()]
    if len(long_words) < 3:
        return False
    caps = sum(1 for w in long_words if w[0].isupper())
    return caps / len(long_words) >= 0.6


def _name_tokens(toks: list[str], title_case: bool) -> set[str]:
    """Lower-case name tokens of a chunk's words (sentence starts skipped unless the word is rare)."""
    found: set[str] = set()
    stops = stop_words()
    for i, w in enumerate(toks):
        if not w[0].isupper():  # a token starts with a letter or digit: bare[0] is w[0]
            continue
        bare = w.replace("’", "'").removesuffix("'s")
        if len(bare) < 2:
            continue
        low = bare.lower()
        if low in stops:
            continue
        if bare.isupper() and 2 <= len(bare) <= 6:
            found.add(low)  # acronym
            continue
        common = zipf(low) >= NAME_ZIPF
        if (title_case or i == 0) and common:
            continue  # capitals in a title-case headline or at a sentence start are weak evidence
        found.add(low)
    return found


def _figures(text: str) -> set[str]:
    """Amounts and counts ("$40 million" -> "#40m", "37,000" -> "#37000"); years and small counts skipped."""
    out: set[str] = set()
    for m in _FIGURE_RE.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()].split()
        if not m.group("cur") and before and before[-1][:1].isupper() and "," not in m.group("num"):
            continue  # part of a name: "S&P 500", "Boeing 737", "Route 66"
        digits = m.group("num").replace(",", "")
        value = float(digits)
        unit = (m.group("unit") or "").lower()[:1]
        if value < 10 and not unit:
            continue
        if 1900 <= value <= 2100 and "." not in digits and not unit and not m.group("cur"):
            continue  # a year
        out.add(f"#{digits}{unit}")
    return out


@lru_cache(maxsize=300_000)
def _term_info(token: str) -> tuple[str, float] | None:
    """(stem, rarity prior) of a raw word token, or None for stop words, numbers and tiny words."""
    low = token.lower().replace("’", "'").removesuffix("'s")
    if len(low) < 3 or low in stop_words() or low.replace(".", "").replace(",", "").isdigit():
        return None
    return stem(low), rarity(low)


def _add_terms(
    toks: list[str] | Counter[str],
    weight: float,
    counts: dict[str, float],
    prior: dict[str, float],
) -> None:
    # Counting raw tokens first (C speed) and looking each distinct token up once keeps this
    # cheap on long articles: it runs on every ingested article.
    counted = toks if isinstance(toks, Counter) else Counter(toks)
    info_of, count_of, prior_of = _term_info, counts.get, prior.get
    for token, n in counted.items():
        info = info_of(token)
        if info is None:
            continue
        t, r = info
        counts[t] = count_of(t, 0.0) + weight * n
        if r > prior_of(t, 0.0):
            prior[t] = r


def extract(
    title: str, text: str, published: datetime | None, *, title_weight: float = 2.0
) -> Signals:
    """The event evidence of an article: weighted terms, names, figures, results and day."""
    paras = paragraphs(text)
    lead = " ".join(paras[:LEAD_PARAGRAPHS])
    title_toks = words(title)
    para_toks = [words(p) for p in paras]  # tokenised once, used for terms, head and names
    counts: dict[str, float] = {}
    prior: dict[str, float] = {}
    _add_terms(title_toks, title_weight, counts, prior)
    head = dict(counts)
    # The lead's and the rest's paragraphs are each counted in one go, in text order (the terms
    # keep their first-seen order): the weighted sums are halves and wholes, so exact in any order.
    lead_toks = Counter(t for toks in para_toks[:LEAD_PARAGRAPHS] for t in toks)
    _add_terms(lead_toks, 1.5, counts, prior)
    _add_terms(lead_toks, 1.0, head, {})
    _add_terms([t for toks in para_toks[LEAD_PARAGRAPHS:] for t in toks], 1.0, counts, prior)
    raw_names = _name_tokens(title_toks, is_title_case(title))
    for toks in para_toks[:6]:
        raw_names |= _name_tokens(toks, False)
    names = frozenset(stem(n) for n in raw_names) & frozenset(counts)
    lead_figures = _figures(title) | _figures(lead)
    # The rule that keeps recurring events apart looks for the same amount or count anywhere in
    # two reports: a follow-up often repeats the first report's figures only further down.
    figures = lead_figures | _figures(text)
    for f in lead_figures:
        counts[f] = counts.get(f, 0.0) + 1.0
        head[f] = head.get(f, 0.0) + 1.0
        prior[f] = FIGURE_PRIOR
    day_text = f"{title}\n{lead}"
    return Signals(
        counts=counts,
        head=head,
        prior=prior,
        names=names,
        figures=frozenset(figures),
        results=days.result_figures(day_text),
        day=days.event_day(title, lead, published),
        days_named=tuple(days.day_references(day_text, published)),
        short=sum(len(t) for t in para_toks) < SHORT_WORDS,
    )
