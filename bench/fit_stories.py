"""Fit the headline-only story model (``assign.short_score``) on the FIT part of the dev headlines.

    python bench/fit_stories.py [--csv ../shared/devsets/stories/uci_dev.csv] [--dry-run]

Uses only the FIT stories of ``bench/eval_stories.py``'s split (by a hash of the story id). Each FIT
stream (time order and the seeded shuffle) is replayed through ``OnlineIndex`` with the plain
similarity scorer at ``COLLECT_THRESHOLD`` (a fixed policy, so the fit does not depend on the model
it replaces); for every (headline, candidate story) pair the four features of
``assign.short_features`` are recorded, labelled 1 when the headline's gold story is the one most
of the candidate's members so far belong to. A logistic regression (scikit-learn, L2, ``C``) gives
the weights; the probability threshold is then chosen on the same FIT streams by pairwise F1
(mean of both orders, smoothed over neighbouring thresholds). Writes the weights and threshold
into ``summarizer/stories/data/assign.json`` (other parameters kept) unless ``--dry-run``;
``python bench/eval_stories.py --shuffled`` then reports FIT and CHECK.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import eval_stories as ev  # noqa: E402

from summarizer.stories import assign  # noqa: E402
from summarizer.stories.online import OnlineIndex  # noqa: E402
from summarizer.stories.params import Params, load_params  # noqa: E402
from summarizer.stories.signals import Signals, extract  # noqa: E402

COLLECT_THRESHOLD = 0.1
C = 0.3
THRESHOLDS = [round(0.08 + 0.02 * k, 2) for k in range(12)]  # 0.08 .. 0.30

Row = tuple[float, float, float, float]


def without_model(p: Params) -> Params:
    """The same parameters with the headline model switched off (plain similarity)."""
    return replace(
        p,
        short_threshold=COLLECT_THRESHOLD,
        short_bias=0.0,
        short_w_central=0.0,
        short_w_member=0.0,
        short_w_shared=0.0,
        short_w_spread=0.0,
    )


def collect(
    seq: Sequence[ev.Item], sigs: dict[int, Signals], base: Params
) -> tuple[list[Row], list[int]]:
    """Features and labels of every (headline, candidate story) pair of one replayed stream."""
    p = without_model(base)
    index = OnlineIndex(params=p)
    owners: dict[int, Counter[str]] = defaultdict(Counter)
    rows: list[Row] = []
    labels: list[int] = []
    for item in seq:
        sig = sigs[item.id]
        w = assign.weigh(sig, index.dfs, index.n_docs, p)
        for story in index.candidates(assign.query_terms(w, index.dfs, index.n_docs)):
            rows.append(assign.short_features(w, story, p))
            labels.append(int(owners[story.story_id].most_common(1)[0][0] == item.story))
        sid = index.add_signals(item.id, sig, item.published)
        owners[sid][item.story] += 1
    return rows, labels


def mean_f1(orders: Sequence[Sequence[ev.Item]], p: Params, sigs: dict[int, Signals]) -> float:
    """Mean pairwise F1 of our assignment over the streams."""
    total = 0.0
    for seq in orders:
        total += ev.scores(ev.run_ours(seq, p, sigs), {i.id: i.story for i in seq})["pair_f1"]
    return total / len(orders)


def fit_short(
    orders: Sequence[Sequence[ev.Item]], sigs: dict[int, Signals], base: Params
) -> tuple[Params, float]:
    """Logistic weights on the streams' candidate pairs, then the threshold with the best F1."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    rows: list[Row] = []
    labels: list[int] = []
    for seq in orders:
        r, y = collect(seq, sigs, base)
        rows += r
        labels += y
    model = LogisticRegression(C=C, max_iter=5000).fit(np.array(rows), np.array(labels))
    wc, wm, ws, wsp = (round(float(x), 4) for x in model.coef_[0])
    fitted = replace(
        base,
        short_bias=round(float(model.intercept_[0]), 4),
        short_w_central=wc,
        short_w_member=wm,
        short_w_shared=ws,
        short_w_spread=wsp,
    )
    results = [(mean_f1(orders, replace(fitted, short_threshold=t), sigs), t) for t in THRESHOLDS]
    for f1, t in results:
        print(f"  threshold {t:.2f}: FIT mean pairwise F1 {f1:.4f}", file=sys.stderr)
    # One early decision can move hundreds of pairs in a stream, so single thresholds are noisy:
    # choose the one whose neighbourhood (itself and the next threshold either side) does best.
    f1s = [f for f, _ in results]
    smooth = [
        sum(f1s[max(0, k - 1) : k + 2]) / len(f1s[max(0, k - 1) : k + 2]) for k in range(len(f1s))
    ]
    k = max(range(len(results)), key=lambda n: (smooth[n], -n))
    return replace(fitted, short_threshold=results[k][1]), results[k][0]


def main(argv: Sequence[str] | None = None) -> int:
    """Fit on FIT, print the result, save it (unless --dry-run)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--csv", type=Path, default=ev.DEFAULT_CSV)
    ap.add_argument("--dry-run", action="store_true", help="print the fit, do not save it")
    args = ap.parse_args(argv)
    if not args.csv.exists():
        print(f"dev set not found: {args.csv}", file=sys.stderr)
        return 2
    fit_items = [i for i in ev.load(args.csv) if ev.part_of(i.story) == "FIT"]
    sigs = {i.id: extract(i.title, i.text, i.published) for i in fit_items}
    params, f1 = fit_short([fit_items, ev.shuffled(fit_items)], sigs, load_params())
    print(f"fitted on FIT (mean pairwise F1 {f1:.4f}): {params}")
    if not args.dry_run:
        save(params, f1, len(fit_items), len({i.story for i in fit_items}))
    return 0


def save(params: Params, f1: float, n_items: int, n_stories: int) -> None:
    """Write the parameters into the package data file, keeping its other entries."""
    data = json.loads(ev.PARAMS_FILE.read_text()) if ev.PARAMS_FILE.exists() else {}
    data["params"] = asdict(params)
    data["fitted_by"] = (
        "bench/fit_stories.py (headline model); full-text threshold by bench/eval_stories.py --fit --synth"
    )
    data["fit_pairwise_f1"] = round(f1, 4)
    data["fit_stories"] = n_stories
    data["fit_headlines"] = n_items
    data["short_model"] = {"features": ["central", "member", "log1p_shared", "spread"], "C": C}
    ev.PARAMS_FILE.write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
