"""Fact identity: do two sentences state the same fact, or does one carry part of the other?

Each sentence becomes weighted concepts (``summarizer.brief.concepts``): multi-word paraphrases
and synonyms are mapped to one concept (``data/paraphrase.json``: "in a single day" = "in 24
hours", "on the edge of" = "on the verge of", a capital = its country), the rest are Snowball
stems. Reporting verbs ("said", "told", "claimed") weigh nothing, so a quote and its paraphrase compare on what was
said. A concept's weight is its rarity in English (``wordfreq`` Zipf prior) times its rarity
in the story (sentence IDF), so a surname, "NATO" and "2031" count and "people" barely does.

``same`` (Dice of shared weight) groups sentences into facts; ``carry`` (shared weight over the
smaller side) says one sentence states at least part of another (credits, "only X", repeats).
Both are damped when the sentences name different numbers or different people as their actor.
Parameters are fitted by bench/fit_facts.py and ship in ``data/facts.json``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from summarizer.brief.concepts import Params as Params
from summarizer.brief.concepts import actor as actor
from summarizer.brief.concepts import concepts as concepts
from summarizer.brief.concepts import numbers as numbers
from summarizer.brief.concepts import params as params
from summarizer.brief.concepts import partial_overlap as partial_overlap
from summarizer.brief.concepts import use_params as use_params

_NEGATION_RE = re.compile(
    r"\b(?:no|not|never|neither|nor|none|without|n't|cannot|refus\w*|declin\w*|den(?:y|ied|ies))\b"
    r"|n't\b"
)


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


@dataclass(frozen=True)
class Unit:
    """What fact identity needs of one sentence or clause, all from its own text."""

    concepts: tuple[tuple[str, float], ...]
    actor: str  # ``actor``: the surname of the person it attributes to, or ""
    surnames: tuple[str, ...]  # the people it names (sorted lower-case surnames)
    negated: bool


@dataclass(frozen=True)
class SentenceFacts:
    """A sentence's unit and, for a compound sentence, its substantial clauses' units."""

    whole: Unit
    clauses: tuple[Unit, ...] = ()


def unit(text: str) -> Unit:
    """The fact-identity features of one text."""
    return Unit(
        concepts(text),
        actor(text),
        tuple(sorted(_surnames(text))),
        bool(_NEGATION_RE.search(text.lower())),
    )


def sentence_facts(text: str) -> SentenceFacts:
    """The sentence's unit and its clauses' (only substantial clauses count: a clause with few
    concepts, "adding: 'I expect more talks'", would carry anything that shares one word)."""
    parts = clauses(text)
    units: tuple[Unit, ...] = ()
    if len(parts) > 1:
        units = tuple(unit(u) for u in parts if len(concepts(u)) >= MIN_CLAUSE_CONCEPTS)
    return SentenceFacts(unit(text), units)


def fact_matrix(texts: Sequence[str]) -> FactMatrix:
    """All-pairs fact scores: "same" between whole sentences; "carry" also from each clause,
    so a compound sentence carries each fact it states."""
    return fact_matrix_of([sentence_facts(t) for t in texts])


def fact_matrix_of(sentences: Sequence[SentenceFacts]) -> FactMatrix:
    """``fact_matrix`` of sentences whose features are known (e.g. stored article parts)."""
    units: list[Unit] = []
    owner: list[int] = []
    for i, s in enumerate(sentences):
        units.extend(s.clauses)
        owner.extend([i] * len(s.clauses))
    n = len(sentences)
    if n == 0:
        empty = np.zeros((0, 0), dtype=np.float32)
        return FactMatrix(empty, empty)
    # Clauses are rows only: a whole sentence states everything its clauses state, so
    # "a clause of i stated by a clause of j" is "a clause of i stated by j".
    same, carry_rows = _scores([*(s.whole for s in sentences), *units], n)
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


def _penalties(texts: Sequence[Unit], numeric: Any, n: int) -> np.ndarray:
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
    actors = np.array([_actor_code(t.actor, codes) if t.actor else 0 for t in texts])
    rows, cols = np.flatnonzero(actors), np.flatnonzero(actors[:n])
    if len(rows) and len(cols):
        # Different actors: each sentence's actor is not even mentioned by the other (one
        # sentence's subject may be the other's object: "the ministry declined to confirm that
        # Halvorsen resigned" / "Dunmore would neither confirm nor deny that Halvorsen resigned").
        people = [{_actor_code(nm, codes) for nm in texts[int(i)].surnames} for i in rows]
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
    negated = np.array([t.negated for t in texts])
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
    transliteration: "Okonkwo"/"Okonkow", "Marchenko"/"Martchenko") is the same person."""
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


def _scores(texts: Sequence[Unit], n: int) -> tuple[np.ndarray, np.ndarray]:
    """"Same" among the first ``n`` texts (n x n) and "carry" of every text into each of the
    first ``n`` (len x n), from sparse products over the story's concepts."""
    from scipy import sparse

    p = params()
    total_docs = len(texts)
    cons = [t.concepts for t in texts]
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
