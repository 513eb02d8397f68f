"""Content-word vectors and near-duplicate grouping of sentences across articles.

A sentence becomes the stems of its content words (``nlp.terms``: sumy's English stemmer and stop
words, both offline). Similarity is the cosine of TF-IDF vectors, computed for all pairs at once with
numpy; terms used by a single sentence only affect norms, so the dense matrix holds shared terms.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from summarizer.nlp.terms import stem, stop_words, terms

__all__ = [
    "containment_matrix",
    "cosine_matrix",
    "group_near_duplicates",
    "stem",
    "stop_words",
    "terms",
    "tfidf_unit_vectors",
]


def tfidf_unit_vectors(docs: Sequence[Sequence[str]]) -> np.ndarray:
    """Rows of L2-normalised TF-IDF weights (1+log tf, smoothed idf) over the shared terms.

    Columns are only the terms found in two or more documents; each row is still divided by its
    full norm, so ``m @ m.T`` is the exact cosine similarity off the diagonal.
    """
    n = len(docs)
    counts = [Counter(d) for d in docs]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    idf = {t: math.log((1 + n) / (1 + k)) + 1.0 for t, k in df.items()}
    shared = sorted(t for t, k in df.items() if k > 1)
    col = {t: j for j, t in enumerate(shared)}
    m = np.zeros((n, len(shared)), dtype=np.float32)
    for i, c in enumerate(counts):
        norm2 = 0.0
        for t, k in c.items():
            w = (1.0 + math.log(k)) * idf[t]
            norm2 += w * w
            j = col.get(t)
            if j is not None:
                m[i, j] = w
        if norm2 > 0:
            m[i] /= math.sqrt(norm2)
    return m


def cosine_matrix(docs: Sequence[Sequence[str]]) -> np.ndarray:
    """All-pairs cosine similarity of the documents' TF-IDF vectors (diagonal 1, or 0 if empty)."""
    if not docs:
        return np.zeros((0, 0), dtype=np.float32)
    m = tfidf_unit_vectors(docs)
    sim = m @ m.T
    diag = np.array([1.0 if d else 0.0 for d in docs], dtype=np.float32)
    np.fill_diagonal(sim, diag)
    clipped: np.ndarray = np.clip(sim, 0.0, 1.0)
    return clipped


def containment_matrix(
    docs: Sequence[Sequence[str]], rows: Sequence[int] | None = None
) -> np.ndarray:
    """|A & B| / min(|A|, |B|) over term sets (high when one sentence restates the other), for
    the given ``rows`` (default all) against every document: shape (len(rows), len(docs))."""
    n = len(docs)
    rows = range(n) if rows is None else rows
    sets = [frozenset(d) for d in docs]
    df: Counter[str] = Counter()
    for s in sets:
        df.update(s)
    shared = sorted(t for t, k in df.items() if k > 1)
    col = {t: j for j, t in enumerate(shared)}
    b = np.zeros((n, len(shared)), dtype=np.float32)
    for i, s in enumerate(sets):
        for t in s:
            j = col.get(t)
            if j is not None:
                b[i, j] = 1.0
    idx = np.asarray(rows, dtype=int)
    inter = b[idx] @ b.T
    sizes = np.array([max(len(s), 1) for s in sets], dtype=np.float32)
    overlap: np.ndarray = inter / np.minimum.outer(sizes[idx], sizes)
    return overlap


def group_near_duplicates(
    sim: np.ndarray, order: Sequence[int], threshold: float
) -> list[list[int]]:
    """Leader clustering: in ``order``, each item joins the most similar group leader at or above
    ``threshold`` (similarity to the leader, so groups never chain), else it leads a new group.

    Groups come back in order of their leaders; members in the order they joined.
    """
    leaders: list[int] = []
    groups: list[list[int]] = []
    for i in order:
        if leaders:
            sims = sim[i, leaders]
            best = int(np.argmax(sims))
            if sims[best] >= threshold:
                groups[best].append(i)
                continue
        leaders.append(i)
        groups.append([i])
    return groups
