"""Sentence concepts for fact identity: the fitted parameters, the paraphrase lexicon and each
sentence's weighted concepts.

Multi-word paraphrases and synonyms map to one concept (``data/paraphrase.json``: "in a single
day" = "in 24 hours", "brink" = "verge", Moscow = Russia), the rest are Snowball stems. Reporting
verbs ("said", "told", "claimed") weigh nothing, so a quote and its paraphrase compare on what
was said. A concept's prior is its rarity in English (``wordfreq`` Zipf); names and titles of
the people a sentence attributes it to are damped. ``summarizer.brief.facts`` compares them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from summarizer.nlp.similarity import stem, stop_words
from summarizer.nlp.text import straighten_quotes

_TOKEN_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|[A-Za-z0-9]+(?:[.'\u2019-][A-Za-z0-9]+)*\.?")
_ACRONYM_RE = re.compile(r"(?:[A-Z]\.){2,}")
_US = frozenset(("US", "U.S.", "U.S"))
_NUMBER_WORDS = {
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "dozen": "12",
    "hundred": "100", "thousand": "1000", "million": "1000000", "billion": "1000000000",
}
REPORTING = "said"  # the concept every reporting verb maps to (weight 0)
_EXTRA_STOPS = frozenset(
    "also would could may might must will shall can just like well even still yet mr mrs ms "
    "monday tuesday wednesday thursday friday saturday sunday week weekend day today".split()
)


@dataclass(frozen=True)
class Params:
    """Fitted thresholds and weights (data/facts.json)."""

    same: float = 0.45  # Dice of shared weight at which two sentences state the same fact
    carry: float = 0.5  # share of the smaller sentence's weight found in the other: carries it
    only: float = 0.3  # below this "carry" to every other outlet, a fact is single-outlet
    repeat: float = 0.35  # two briefing sentences this related state (part of) one fact
    actor_penalty: float = 0.6  # multiplier when the actors (first named people) differ
    number_penalty: float = 0.5  # multiplier when both give numbers and none agree
    negation_penalty: float = 0.75  # multiplier when one sentence is negated and the other not
    prior_floor: float = 0.15  # weight of the commonest words (Zipf ~7) relative to rare ones
    idf_mix: float = 0.5  # how much the story's sentence IDF scales a concept's weight
    name_weight: float = 0.35  # words of a person's name or title count this much (the actor
    # is compared separately; "Deputy Harbour Commissioner Ilse Varga said" is mostly attribution)


_OVERRIDE: list[Params] = []


def params() -> Params:
    """The parameters in use: the shipped ones unless ``use_params`` set others."""
    return _OVERRIDE[-1] if _OVERRIDE else _shipped()


def use_params(p: Params | None) -> None:
    """Use other parameters (fitting scripts), or the shipped ones again with None."""
    _OVERRIDE.clear()
    if p is not None:
        _OVERRIDE.append(p)
    concepts.cache_clear()
    _weights.cache_clear()
    _word_parts.cache_clear()
    _word_kind.cache_clear()
    _prior.cache_clear()


@lru_cache(maxsize=1)
def _shipped() -> Params:
    """The shipped parameters (defaults when the file is absent)."""
    try:
        raw = resources.files("summarizer.brief").joinpath("data/facts.json").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return Params()
    data = json.loads(raw)
    fields = Params.__dataclass_fields__
    return Params(**{k: float(v) for k, v in data.get("params", {}).items() if k in fields})


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, list[tuple[list[str], str]]], dict[str, str]]:
    raw = resources.files("summarizer.brief").joinpath("data/paraphrase.json").read_text("utf-8")
    data = json.loads(raw)
    phrases = sorted(
        ((k.split(), v) for k, v in data["phrases"].items()), key=lambda kv: -len(kv[0])
    )
    single: dict[str, str] = {}
    for group in data["synonyms"]:
        head = group[0]
        for w in group:
            if " " in w:
                phrases.append((w.split(), head))
            else:
                single.setdefault(w, head)
    phrases.sort(key=lambda kv: -len(kv[0]))
    by_first: dict[str, list[tuple[list[str], str]]] = {}
    for ws, concept in phrases:
        by_first.setdefault(ws[0], []).append((ws, concept))
    return by_first, single


@lru_cache(maxsize=100_000)
def _prior(word: str) -> float:
    """English rarity of a word in [floor, 1]: 1 for rare words, floor for the commonest."""
    from wordfreq import zipf_frequency

    z = zipf_frequency(word, "en", wordlist="small")  # same values where (7 - z) / 4 < 1; loads faster
    floor = params().prior_floor
    return max(floor, min(1.0, (7.0 - z) / 4.0))


def _tokens(text: str) -> list[tuple[str, str]]:
    """(lower-case token, original) pairs; "U.S."/"US" become "u.s"."""
    out: list[tuple[str, str]] = []
    for orig in _TOKEN_RE.findall(straighten_quotes(text).replace("\u2019", "'")):
        if orig[-1] == "." and not _ACRONYM_RE.fullmatch(orig):
            orig = orig.rstrip(".")
        low = "u.s" if orig in _US else orig.lower().removesuffix("'s")
        out.append((low.rstrip("."), orig))
    return out


@lru_cache(maxsize=50_000)
def concepts(text: str) -> tuple[tuple[str, float], ...]:
    """The sentence's concepts with their English-rarity prior (reporting verbs dropped)."""
    from summarizer.brief.coherence import names_in

    phrases, _ = _lexicon()
    toks = _tokens(text)
    attribution = {
        w.lower().removesuffix("'s")
        for _, role, name in names_in(text)
        if role or len(name.split()) > 1
        for w in f"{role} {name}".split()
    }
    damp = params().name_weight
    low = [t for t, _ in toks]
    out: dict[str, float] = {}
    i = 0
    while i < len(low):
        word = low[i]
        hit = None
        for ws, c in phrases.get(word, ()):
            if low[i : i + len(ws)] == ws:
                hit = (len(ws), c)
                break
        if hit is not None:
            n, concept = hit
            for part in concept.split():
                out[part] = max(out.get(part, 0.0), 0.7)
            i += n
            continue
        i += 1
        figure, count, parts = _word_kind(word)
        if figure:
            out[figure] = 1.0  # a figure: compared by value, disagreeing figures penalised
            continue
        if count and toks[i - 1][1].islower():
            out[count] = 0.5  # "two leaders": a count, not a figure
            continue
        scale = damp if word in attribution else 1.0
        for key, prior in parts:
            out[key] = max(out.get(key, 0.0), scale * prior)
    out.pop(REPORTING, None)
    return tuple(sorted(out.items()))


@lru_cache(maxsize=200_000)
def _word_kind(word: str) -> tuple[str, str, tuple[tuple[str, float], ...]]:
    """A word outside any phrase: its figure key ("#2031"), its count key ("~2", used when
    written in lower case) and its weighted concepts otherwise (a synonym's head, or parts)."""
    _, single = _lexicon()
    if word in single:
        return "", "", ((single[word], _prior(word)),)
    plain = word.replace(",", "")
    if plain.replace(".", "", 1).isdigit():
        return f"#{plain}", "", ()
    count = f"~{_NUMBER_WORDS[word]}" if word in _NUMBER_WORDS else ""
    return "", count, _word_parts(word)


@lru_cache(maxsize=1)
def _stops() -> frozenset[str]:
    return stop_words() | _EXTRA_STOPS


@lru_cache(maxsize=200_000)
def _word_parts(word: str) -> tuple[tuple[str, float], ...]:
    """A plain word's concepts (hyphenated parts; stop words dropped) with their priors."""
    _, single = _lexicon()
    stops = _stops()
    out: list[tuple[str, float]] = []
    for part in word.split("-"):
        part = part.replace(".", "").replace("'", "")
        if len(part) < 2 or part in stops:
            continue
        out.append((single.get(part) or stem(part), _prior(part)))
    return tuple(out)


def actor(text: str) -> str:
    """The surname of the first person-like name outside the sentence start, or ""."""
    from summarizer.brief.coherence import names_in

    found = [n for _, role, n in names_in(text) if len(n.split()) > 1 or role]
    return found[0].split()[-1].lower() if found else ""


def numbers(concept_list: Sequence[tuple[str, float]]) -> frozenset[str]:
    """The numbers a sentence states."""
    return frozenset(c for c, _ in concept_list if c.startswith("#"))


Weights = tuple[dict[str, float], float]  # a text's concept weights and their sum


def weights_of(found: Sequence[tuple[str, float]]) -> Weights:
    """A concept list as a weight map with its total (``partial_overlap_of`` compares them)."""
    mine = dict(found)
    return mine, sum(mine.values())


@lru_cache(maxsize=50_000)
def _weights(text: str) -> Weights:
    return weights_of(concepts(text))


def partial_overlap(text: str, others: Sequence[str]) -> float:
    """The largest share of the smaller side's (English-prior) weight that ``text`` shares with
    any one of ``others``: how much of its fact another sentence states, at most."""
    return partial_overlap_of(_weights(text), (_weights(o) for o in others))


def partial_overlap_of(weights: Weights, others: Iterable[Weights]) -> float:
    """``partial_overlap`` of texts whose weights are known (stored article parts)."""
    mine, total = weights
    if total <= 0:
        return 0.0
    keys = mine.keys()
    best = 0.0
    for theirs, their_total in others:
        common = keys & theirs.keys()
        if not common:
            continue
        shared = sum(min(mine[c], theirs[c]) for c in common)
        best = max(best, shared / min(total, max(their_total, 1e-6)))
    return best
