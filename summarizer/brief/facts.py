"""Fact identity: do two sentences state the same fact, or does one carry part of the other?

Each sentence becomes weighted concepts: multi-word paraphrases and synonyms are mapped to one
concept (``data/paraphrase.json``: "in a single day" = "in 24 hours", "brink" = "verge", Moscow
= Russia), the rest are Snowball stems. Reporting verbs ("said", "told", "claimed") weigh
nothing, so a quote and its paraphrase compare on what was said. A concept's weight is its
rarity in English (``wordfreq`` Zipf prior) times its rarity in the story (sentence IDF), so
a surname, "NATO" and "2031" count and "people" barely does.

``same`` (Dice of shared weight) groups sentences into facts; ``carry`` (shared weight over the
smaller side) says one sentence states at least part of another (credits, "only X", repeats).
Both are damped when the sentences name different numbers or different people as their actor.
Parameters are fitted by bench/fit_facts.py and ship in ``data/facts.json``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

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
_NEGATION_RE = re.compile(
    r"\b(?:no|not|never|neither|nor|none|without|n't|cannot|refus\w*|declin\w*|den(?:y|ied|ies))\b"
    r"|n't\b"
)
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


@dataclass
class FactMatrix:
    """Pairwise "same fact" and "carries" scores of a list of sentences."""

    same: np.ndarray
    carry: np.ndarray  # carry[i, j]: share of sentence i's weight that sentence j states

    def related(self, i: int) -> np.ndarray:
        """How much sentence ``i`` shares a fact with each sentence: the same fact, or one
        states part of the other (row ``i`` of max(same, carry, carry.T), built on demand)."""
        row: np.ndarray = np.maximum(self.same[i], np.maximum(self.carry[i], self.carry[:, i]))
        return row


_CLAUSE_RE = re.compile(
    r";\s+|\s+[-\u2013\u2014]\s+|,\s+(?:but|while|whereas|adding|saying)\s+"
    r"|,?\s+and\s+(?=(?:also\s+)?(?:\w+ed|said|told|says|spoke|met|made|gave|took|won|lost|"
    r"refused|declined|would|will|could|has|have|had)\b)"
    r"|\s+but\s+(?=(?:also\s+)?(?:said|says|stated|states|added|adds|noted|told|warned|insisted|"
    r"argued|cautioned|stressed)\b)"
)
MIN_CLAUSE_WORDS = 5
MIN_CLAUSE_CONCEPTS = 4


def clauses(text: str) -> list[str]:
    """The sentence's coordinated clauses ("X said A and refused B" -> "X said A", "refused B"),
    each of at least MIN_CLAUSE_WORDS words (shorter pieces stay with the previous clause)."""
    parts = _CLAUSE_RE.split(text)
    out: list[str] = []
    for part in parts:
        if out and len(part.split()) < MIN_CLAUSE_WORDS:
            out[-1] = f"{out[-1]} {part}"
        elif part.strip():
            out.append(part)
    if len(out) > 1 and len(out[0].split()) < MIN_CLAUSE_WORDS:
        out[1] = f"{out[0]} {out[1]}"
        out = out[1:]
    return out


def fact_matrix(texts: Sequence[str]) -> FactMatrix:
    """All-pairs fact scores: "same" between whole sentences; "carry" also from each clause,
    so a compound sentence carries each fact it states."""
    units: list[str] = []
    owner: list[int] = []
    for i, t in enumerate(texts):
        parts = clauses(t)
        if len(parts) > 1:
            # A clause with few concepts ("adding: 'I expect more talks'") would carry
            # anything that shares one word: only substantial clauses count.
            parts = [u for u in parts if len(concepts(u)) >= MIN_CLAUSE_CONCEPTS]
            units.extend(parts)
            owner.extend([i] * len(parts))
    n = len(texts)
    if n == 0:
        empty = np.zeros((0, 0), dtype=np.float32)
        return FactMatrix(empty, empty)
    # Clauses are rows only: a whole sentence states everything its clauses state, so
    # "a clause of i stated by a clause of j" is "a clause of i stated by j".
    same, carry_rows = _scores([*texts, *units], n)
    if not units:
        return FactMatrix(same, carry_rows)
    carry = carry_rows[:n]
    start = n
    # Units come grouped by their sentence: fold each group into its sentence's row.
    for i, size in zip(*np.unique(np.asarray(owner), return_counts=True), strict=True):
        np.maximum(carry[i], carry_rows[start : start + size].max(axis=0), out=carry[i])
        start += size
    np.fill_diagonal(carry, 1.0)
    return FactMatrix(same, carry)


def _penalties(texts: Sequence[str], numeric: Any, n: int) -> np.ndarray:
    """Multipliers of every (text, first-n text) pair: numbers, actors, negation disagree.

    Only the rows and columns concerned are touched (most sentences give no number and name
    no actor), with integer actor codes instead of string comparisons."""
    p = params()
    factor = np.ones((len(texts), n), dtype=np.float32)
    has = np.diff(numeric.indptr) > 0
    rows, cols = np.flatnonzero(has), np.flatnonzero(has[:n])
    if len(rows) and len(cols):
        agree = (numeric[rows] @ numeric[cols].T).toarray() > 0
        factor[np.ix_(rows, cols)] = np.where(agree, np.float32(1.0), np.float32(p.number_penalty))
    codes: dict[str, int] = {}
    actors = np.array([_actor_code(a, codes) if a else 0 for a in map(actor, texts)])
    rows, cols = np.flatnonzero(actors), np.flatnonzero(actors[:n])
    if len(rows) and len(cols):
        # Different actors: each sentence's actor is not even mentioned by the other (one
        # sentence's subject may be the other's object: "the Kremlin declined to confirm that
        # Putin spoke" / "Peskov would neither confirm nor deny that Putin spoke").
        people = [{_actor_code(nm, codes) for nm in sorted(_surnames(texts[int(i)]))} for i in rows]
        mentioned = np.zeros((len(rows), len(set(codes.values())) + 1), dtype=bool)
        for k, found in enumerate(people):
            mentioned[k, list(found)] = True
        in_col = {int(c): k for k, c in enumerate(rows) if c < n}
        col_mentions = np.array([mentioned[in_col[int(c)]] for c in cols])
        differ = (
            (actors[rows][:, None] != actors[cols][None, :])
            & ~col_mentions[:, actors[rows]].T
            & ~mentioned[:, actors[cols]]
        )
        block = factor[np.ix_(rows, cols)]
        block[differ] *= np.float32(p.actor_penalty)
        factor[np.ix_(rows, cols)] = block
    negated = np.array([bool(_NEGATION_RE.search(t.lower())) for t in texts])
    neg_rows, pos_rows = np.flatnonzero(negated), np.flatnonzero(~negated)
    neg_cols, pos_cols = np.flatnonzero(negated[:n]), np.flatnonzero(~negated[:n])
    pen = np.float32(p.negation_penalty)
    for r, c in ((neg_rows, pos_cols), (pos_rows, neg_cols)):
        if len(r) and len(c):
            factor[np.ix_(r, c)] *= pen
    return factor


def _surnames(text: str) -> set[str]:
    """The lower-case surnames of the people a sentence names."""
    from summarizer.brief.coherence import names_in

    return {name.split()[-1].lower().rstrip(".") for _, _, name in names_in(text)}


def _actor_code(name: str, codes: dict[str, int]) -> int:
    """One code per person: a surname spelt one letter apart from a known one (a typo or a
    transliteration: "Ryabkov"/"Ryabkv", "Zelensky"/"Zelenskyy") is the same person."""
    found = codes.get(name)
    if found is not None:
        return found
    if len(name) >= 5:
        from rapidfuzz.distance import Levenshtein

        for known, code in codes.items():
            if known[0] == name[0] and Levenshtein.distance(known, name, score_cutoff=1) <= 1:
                codes[name] = code
                return code
    codes[name] = len(set(codes.values())) + 1
    return codes[name]


def _scores(texts: Sequence[str], n: int) -> tuple[np.ndarray, np.ndarray]:
    """"Same" among the first ``n`` texts (n x n) and "carry" of every text into each of the
    first ``n`` (len x n), from sparse products over the story's concepts."""
    from scipy import sparse

    p = params()
    total_docs = len(texts)
    cons = [concepts(t) for t in texts]
    df: dict[str, int] = {}
    for cl in cons:
        for c, _ in cl:
            df[c] = df.get(c, 0) + 1
    names = sorted(df)
    vocab = {c: j for j, c in enumerate(names)}
    log_n = math.log(total_docs + 2)
    scale = {
        c: 1 - p.idf_mix
        + p.idf_mix * min(1.0, max(0.0, math.log((total_docs + 1) / (k + 0.5)) / log_n))
        for c, k in df.items()
    }
    lengths = [len(cl) for cl in cons]
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    cols = np.fromiter((vocab[c] for cl in cons for c, _ in cl), dtype=np.int64, count=indptr[-1])
    vals = np.fromiter(
        (w * scale[c] for cl in cons for c, w in cl), dtype=np.float32, count=indptr[-1]
    )
    shape = (total_docs, len(vocab))
    weights = sparse.csr_matrix((vals, cols, indptr), shape=shape)
    presence = sparse.csr_matrix((np.ones_like(vals), cols, indptr), shape=shape)
    # Shared concepts weighed on the lighter side: min(i's weight of them, j's weight of them).
    # Among the first n, "theirs" is "mine" transposed: one sparse product serves both.
    mine = (weights @ presence[:n].T).toarray()
    theirs = np.empty_like(mine)
    theirs[:n] = mine[:n].T
    if total_docs > n:
        theirs[n:] = (presence[n:] @ weights[:n].T).toarray()
    shared = np.minimum(mine, theirs, out=mine)
    del theirs
    totals = np.asarray(weights.sum(axis=1), dtype=np.float32).ravel()
    totals[totals == 0] = 1.0
    is_number = np.array([c.startswith("#") for c in names], dtype=np.float32)
    numeric = sparse.csr_matrix(presence.multiply(is_number[None, :]))
    numeric.eliminate_zeros()
    shared *= _penalties(texts, numeric, n)
    same = shared[:n] * np.float32(2.0)
    same /= totals[:n, None] + totals[None, :n]
    carry = shared
    carry /= totals[:, None]
    idx = np.arange(n)
    same[idx, idx] = 1.0
    carry[idx, idx] = 1.0
    np.minimum(same, 1.0, out=same)
    np.minimum(carry, 1.0, out=carry)
    return same, carry


@lru_cache(maxsize=50_000)
def _weights(text: str) -> tuple[dict[str, float], float]:
    mine = dict(concepts(text))
    return mine, sum(mine.values())


def partial_overlap(text: str, others: Sequence[str]) -> float:
    """The largest share of the smaller side's (English-prior) weight that ``text`` shares with
    any one of ``others``: how much of its fact another sentence states, at most."""
    mine, total = _weights(text)
    if total <= 0:
        return 0.0
    keys = mine.keys()
    best = 0.0
    for other in others:
        theirs, their_total = _weights(other)
        common = keys & theirs.keys()
        if not common:
            continue
        shared = sum(min(mine[c], theirs[c]) for c in common)
        best = max(best, shared / min(total, max(their_total, 1e-6)))
    return best
