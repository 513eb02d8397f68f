"""Content-word vectors and near-duplicate grouping of sentences across articles.

A sentence becomes the stems of its content words (``nlp.terms``: sumy's English stemmer and stop
words, both offline). Similarity is the cosine of tf-idf vectors from the one sparse builder
(``tfidf_unit_rows``, scipy imported on first use), computed for all pairs at once.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from summarizer.nlp.terms import stem, stop_words, terms

if TYPE_CHECKING:
    from scipy import sparse

__all__ = [
    "cosine_matrix",
    "group_near_duplicates",
    "stem",
    "stop_words",
    "terms",
    "tfidf_unit_rows",
]


def tfidf_unit_rows(docs: Sequence[Sequence[str]]) -> sparse.csr_matrix:
    """The one tf-idf builder: a sparse matrix of L2-normalised rows, one per document, with
    weights ``(1 + log tf) * idf`` and the smoothed ``idf = log((1 + n) / (1 + df)) + 1``."""
    from scipy import sparse

    n = len(docs)
    counts = [Counter(d) for d in docs]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    vocab = {t: j for j, t in enumerate(df)}
    idf = {t: math.log((1 + n) / (1 + k)) + 1.0 for t, k in df.items()}
    rows = [i for i, c in enumerate(counts) for _ in c]
    cols = [vocab[t] for c in counts for t in c]
    vals = np.array([(1.0 + math.log(k)) * idf[t] for c in counts for t, k in c.items()])
    weights = sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)), dtype=np.float32)
    norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    unit: sparse.csr_matrix = sparse.csr_matrix(
        sparse.diags(1.0 / norms).astype(np.float32) @ weights
    )
    return unit


def cosine_matrix(docs: Sequence[Sequence[str]]) -> np.ndarray:
    """All-pairs cosine similarity of the documents' tf-idf vectors (``tfidf_unit_rows``), dense,
    clipped to [0, 1], diagonal 1 (0 for an empty document). A sparse product: a 2,000-sentence
    story takes about 0.1 s."""
    if not docs:
        return np.zeros((0, 0), dtype=np.float32)
    unit = tfidf_unit_rows(docs)
    sim = np.asarray((unit @ unit.T).todense(), dtype=np.float32)
    np.fill_diagonal(sim, np.array([1.0 if d else 0.0 for d in docs], dtype=np.float32))
    np.clip(sim, 0.0, 1.0, out=sim)
    return sim


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
