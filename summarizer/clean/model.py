"""The fitted line model: which lines of a page are the article's own text.

Two stages of gradient-boosted trees (fitted by ``bench/fit_clean.py`` on the FIT part of the
cleaning dev set, shipped as ``data/line_model.json``). Stage one scores each line from its
features (:mod:`summarizer.clean.features`); stage two sees the same features plus the stage-one
scores of its neighbours and block (jusText-style context smoothing: a short line between two
paragraphs is text, a long line inside a menu is not). Inference needs no scikit-learn: a few hundred
shallow trees, walked with numpy.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

from summarizer.clean import shape

__all__ = ["LineModel", "context_features", "load_model"]

CONTEXT_NAMES = ("p", "p_prev", "p_next", "p_window2", "p_window5", "p_block")

#: Feature rows: lists of floats, or a two-dimensional float array of them.
Rows = Union[list[list[float]], "NDArray[np.float64]"]


def context_features(scores: list[float], blocks: list[int]) -> list[list[float]]:
    """Stage-two extras per line: its stage-one score and those around it (see CONTEXT_NAMES)."""
    n = len(scores)
    by_block: dict[int, list[float]] = {}
    for s, b in zip(scores, blocks, strict=True):
        by_block.setdefault(b, []).append(s)
    block_mean = {b: sum(v) / len(v) for b, v in by_block.items()}  # once per block: linear
    out = []
    for i, s in enumerate(scores):
        w2 = scores[max(0, i - 2) : i + 3]
        w5 = scores[max(0, i - 5) : i + 6]
        out.append(
            [
                s,
                scores[i - 1] if i else 0.0,
                scores[i + 1] if i + 1 < n else 0.0,
                sum(w2) / len(w2),
                sum(w5) / len(w5),
                block_mean[blocks[i]],
            ]
        )
    return out


#: Lines scored per numpy pass: the arrays are (trees x lines), so a page of 100,000 lines
#: scored at once would hold several hundred MB.
_CHUNK = 2048


class _Ensemble:
    """Additive trees on a log-odds scale (the shape scikit-learn's gradient boosting fits).

    All trees are padded into one node table and walked together, level by level, for every
    line of a page at once (numpy, imported lazily): a page costs a few array operations per
    tree level instead of a Python loop per line and tree.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        import numpy as np

        trees = data["trees"]
        width = max(len(t["feature"]) for t in trees)
        shape = (len(trees), width)
        self.feature = np.zeros(shape, dtype=np.intp)
        self.threshold = np.zeros(shape)
        self.left = np.zeros(shape, dtype=np.intp)
        self.right = np.zeros(shape, dtype=np.intp)
        self.value = np.zeros(shape)
        self.depth = 0
        for k, t in enumerate(trees):
            size = len(t["feature"])
            self.feature[k, :size] = t["feature"]
            self.threshold[k, :size] = t["threshold"]
            self.value[k, :size] = t["value"]
            for node, (lo, hi) in enumerate(zip(t["left"], t["right"], strict=True)):
                leaf = lo < 0
                self.left[k, node] = node if leaf else lo
                self.right[k, node] = node if leaf else hi
            self.depth = max(self.depth, _depth(t["left"], t["right"]))
        self.init = float(data["init"])
        self.rate = float(data["rate"])
        # The same table flattened, children as flat indices: a level of the walk is then a few
        # one-dimensional takes instead of two-dimensional fancy indexing (a third of the time).
        base = (np.arange(len(trees)) * width)[:, None]
        self.flat_feature = self.feature.ravel()
        self.flat_threshold = self.threshold.ravel()
        self.flat_left = (self.left + base).ravel()
        self.flat_right = (self.right + base).ravel()
        self.flat_value = self.value.ravel()
        self.roots = base  # each tree's root

    def probabilities(self, rows: Rows) -> list[float]:
        """P(article text) of every feature row (in chunks: memory stays flat on huge pages)."""
        out: list[float] = []
        for start in range(0, len(rows), _CHUNK):
            out += self._probabilities(rows[start : start + _CHUNK])
        return out

    def _probabilities(self, rows: Rows) -> list[float]:
        import numpy as np

        if len(rows) == 0:
            return []
        x = np.asarray(rows, dtype=float)
        n_lines, n_features = x.shape
        flat_x = x.ravel()
        row_start = np.arange(n_lines, dtype=np.intp) * n_features  # line i's features in flat_x
        # node[k, i]: the flat index of the node line i has reached in tree k
        node = np.repeat(self.roots, n_lines, axis=1)
        for _ in range(self.depth):
            go_left = flat_x[self.flat_feature[node] + row_start] <= self.flat_threshold[node]
            node = np.where(go_left, self.flat_left[node], self.flat_right[node])
        raw = self.init + self.rate * self.flat_value[node].sum(axis=0)
        return list(1.0 / (1.0 + np.exp(-np.clip(raw, -30.0, 30.0))))

    def probability(self, row: list[float]) -> float:
        """P(article text) of one feature row."""
        return self.probabilities([row])[0]


def _depth(left: list[int], right: list[int]) -> int:
    """Levels below the root of one tree."""
    deepest, stack = 0, [(0, 0)]
    while stack:
        node, level = stack.pop()
        if left[node] < 0:
            deepest = max(deepest, level)
        else:
            stack += [(left[node], level + 1), (right[node], level + 1)]
    return deepest


class LineModel:
    """Both stages, the keep threshold and the rule labels that always drop a line."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.feature_names: list[str] = data["features"]
        self.stages = [_Ensemble(s) for s in data["stages"]]
        self.threshold = float(data["threshold"])
        # A line that is not a full sentence of ``sentence_words`` words or more needs this score
        # (fitted; absent in older files: the one threshold for every line).
        self.fragment_threshold = float(data.get("fragment_threshold", self.threshold))
        self.sentence_words = int(data.get("sentence_words", 0))
        self.html_drops = frozenset(data["html_drops"])
        self.overrides: dict[str, float] = {k: float(v) for k, v in data["overrides"].items()}
        self.min_lines = int(data["min_lines"])

    def keeps(self, label: str, score: float, sentence: bool = True) -> bool:
        """Whether a line with this rule label (``""`` for none) and model score is text;
        ``sentence``: the line is a full sentence (see :meth:`is_sentence`)."""
        if not label:
            return score >= (self.threshold if sentence else self.fragment_threshold)
        return label in self.overrides and score >= self.overrides[label]

    def is_sentence(self, text: str) -> bool:
        """Ends like a sentence and has at least ``sentence_words`` words."""
        return shape.ends_like_sentence(text) and shape.word_count(text) >= self.sentence_words

    def scores(self, rows: list[list[float]], blocks: list[int]) -> list[float]:
        """P(article text) of every line of a page."""
        import numpy as np

        if not rows:
            return []
        x = np.asarray(rows, dtype=float)  # converted once, for both stages
        first = self.stages[0].probabilities(x)
        if len(self.stages) < 2:
            return first
        extra = np.asarray(context_features(first, blocks), dtype=float)
        return self.stages[1].probabilities(np.concatenate([x, extra], axis=1))


@cache
def load_model() -> LineModel:
    """The shipped model (read once, on first use)."""
    text = resources.files("summarizer.clean").joinpath("data/line_model.json").read_text("utf-8")
    return LineModel(json.loads(text))
