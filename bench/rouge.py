"""ROUGE-1, ROUGE-2 and ROUGE-L F1 (lower-cased word tokens, Porter stems; no external package)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from nltk.stem.porter import PorterStemmer

_TOKEN_RE = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _porter() -> PorterStemmer:
    return PorterStemmer()


@lru_cache(maxsize=50_000)
def _stem(token: str) -> str:
    return str(_porter().stem(token))


def tokens(text: str) -> list[str]:
    """Lower-case alphanumeric tokens, Porter-stemmed (as ROUGE-1.5.5 with -m)."""
    return [_stem(t) for t in _TOKEN_RE.findall(text.lower().replace("\u2019", "'"))]


def _ngrams(toks: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def _f1(overlap: float, n_cand: int, n_ref: int) -> float:
    if n_cand == 0 or n_ref == 0 or overlap == 0:
        return 0.0
    p, r = overlap / n_cand, overlap / n_ref
    return 2 * p * r / (p + r)


def rouge_n(candidate: str, reference: str, n: int) -> float:
    """ROUGE-N F1 with clipped n-gram counts."""
    c, r = _ngrams(tokens(candidate), n), _ngrams(tokens(reference), n)
    overlap = sum((c & r).values())
    return _f1(overlap, sum(c.values()), sum(r.values()))


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge_l(candidate: str, reference: str) -> float:
    """ROUGE-L F1 on the longest common subsequence of the whole texts."""
    c, r = tokens(candidate), tokens(reference)
    return _f1(_lcs(c, r), len(c), len(r))


@dataclass(frozen=True)
class Scores:
    """ROUGE F1 scores of one summary."""

    r1: float
    r2: float
    rl: float


def score(candidate: str, reference: str) -> Scores:
    """ROUGE-1/2/L F1 of a candidate summary against one reference."""
    return Scores(
        rouge_n(candidate, reference, 1),
        rouge_n(candidate, reference, 2),
        rouge_l(candidate, reference),
    )
