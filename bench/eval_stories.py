"""Story grouping on real headlines: our online assignment vs a tf-idf single-pass baseline.

    python bench/eval_stories.py [--csv ../shared/devsets/stories/uci_dev.csv] [--fit]
                                 [--out bench/results/eval_stories.json]

The dev set (UCI News Aggregator headlines, README next to it) is split deterministically BY STORY
id into FIT (sha1(story) % 5 < 3) and CHECK. Each part is run as its own stream in time order
(TIMESTAMP, then ID), every headline ingested as the ingest path would see a headline-only feed
item: title plus (empty) teaser, outlet and time. Methods, all in one run:

- ``baseline``: scikit-learn tf-idf (English stop words, sublinear tf, idf fitted on the part's
  headlines), single pass: join the story whose centroid is most cosine-similar if >= a threshold
  fitted on FIT, else open a new story.
- ``legacy``: the assignment the ingest path used before issue 10 (``cluster.choose_story``: tf-idf
  from corpus counts + entity overlap), were headlines not refused at all.
- ``ours``: ``summarizer.stories.online.OnlineIndex`` (``assign.decide`` with the shipped params).

Reported per part: pairwise and B-cubed precision/recall/F1, predicted vs gold story counts. In
this file every story's headlines arrive in one contiguous burst, which flatters any single-pass
method; ``--shuffled`` adds a run on a seeded shuffle of each part (same day, interleaved stories)
as a robustness check. ``--fit`` grid-searches our parameters on FIT (pairwise F1, both orders) and
writes them to ``summarizer/stories/data/assign.json``. The dev set has headlines only, so it fits
the headline threshold (``short_threshold``) and the weights; the full-article ``threshold`` is
kept as found in that file (set by hand, checked on the invented multi-day fixtures in
tests/test_stories_events.py and on bench/ingest.py's synthetic corpus).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from summarizer.stories import cluster  # noqa: E402
from summarizer.stories.online import OnlineIndex  # noqa: E402
from summarizer.stories.params import Params, load_params  # noqa: E402
from summarizer.stories.signals import Signals, extract  # noqa: E402

DEFAULT_CSV = ROOT.parent / "shared" / "devsets" / "stories" / "uci_dev.csv"
PARAMS_FILE = ROOT / "summarizer" / "stories" / "data" / "assign.json"


@dataclass(frozen=True)
class Item:
    """One dev headline."""

    id: int
    title: str
    outlet: str
    story: str
    published: datetime


def load(path: Path) -> list[Item]:
    """The dev headlines, in time order."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    items = [
        Item(
            int(r["ID"]),
            r["TITLE"],
            r["PUBLISHER"],
            r["STORY"],
            datetime.fromtimestamp(int(r["TIMESTAMP"]) / 1000, tz=UTC),
        )
        for r in rows
    ]
    return sorted(items, key=lambda i: (i.published, i.id))


def part_of(story: str) -> str:
    """FIT or CHECK, by a hash of the story id (about 60% of stories in FIT)."""
    return "FIT" if int(hashlib.sha1(story.encode()).hexdigest()[:8], 16) % 5 < 3 else "CHECK"


# --- metrics -----------------------------------------------------------------------------------


def scores(pred: dict[int, int], gold: dict[int, str]) -> dict[str, float]:
    """Pairwise and B-cubed precision/recall/F1, and story counts."""
    ids = sorted(gold)
    pred_groups: dict[int, set[int]] = defaultdict(set)
    gold_groups: dict[str, set[int]] = defaultdict(set)
    for i in ids:
        pred_groups[pred[i]].add(i)
        gold_groups[gold[i]].add(i)
    cell: Counter[tuple[int, str]] = Counter((pred[i], gold[i]) for i in ids)
    both = sum(n * (n - 1) / 2 for n in cell.values())
    pred_pairs = sum(len(g) * (len(g) - 1) / 2 for g in pred_groups.values())
    gold_pairs = sum(len(g) * (len(g) - 1) / 2 for g in gold_groups.values())
    pp = both / pred_pairs if pred_pairs else 1.0
    pr = both / gold_pairs if gold_pairs else 1.0
    bp = sum(cell[(pred[i], gold[i])] / len(pred_groups[pred[i]]) for i in ids) / len(ids)
    br = sum(cell[(pred[i], gold[i])] / len(gold_groups[gold[i]]) for i in ids) / len(ids)
    return {
        "pair_p": pp,
        "pair_r": pr,
        "pair_f1": 2 * pp * pr / (pp + pr) if pp + pr else 0.0,
        "b3_p": bp,
        "b3_r": br,
        "b3_f1": 2 * bp * br / (bp + br) if bp + br else 0.0,
        "stories": len(pred_groups),
        "gold": len(gold_groups),
    }


# --- methods -----------------------------------------------------------------------------------


def run_baseline(items: Sequence[Item], threshold: float) -> dict[int, int]:
    """tf-idf single pass: each headline joins the most similar centroid >= threshold."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [i.title for i in items]
    )
    vectors = vectors.tocsr()
    sums = np.zeros((len(items), vectors.shape[1]))
    norms = np.zeros(len(items))
    k = 0
    out: dict[int, int] = {}
    for row, item in enumerate(items):
        v = vectors[row]
        cols, vals = v.indices, v.data
        best = -1
        if k:
            sims = sums[:k][:, cols] @ vals / np.where(norms[:k] == 0, 1.0, norms[:k])
            best = int(np.argmax(sims))
            if sims[best] < threshold:
                best = -1
        if best < 0:
            best, k = k, k + 1
        sums[best, cols] += vals
        norms[best] = float(np.linalg.norm(sums[best]))
        out[item.id] = best
    return out


def run_legacy(items: Sequence[Item]) -> dict[int, int]:
    """The pre-issue-10 assignment (cluster.choose_story), mirrored in memory like the store did it."""
    dfs: Counter[str] = Counter()
    stories: dict[int, cluster.StoryCandidate] = {}
    postings: dict[str, set[int]] = defaultdict(set)
    out: dict[int, int] = {}
    for n, item in enumerate(items):
        counts = cluster.term_counts(item.title, item.title)
        vec = cluster.weighted_vector(counts, dfs, n)
        ents = cluster.entities(item.title, item.title)
        hits: Counter[int] = Counter()
        for t in cluster.query_terms(vec, known=dfs, n_docs=n):
            for hit in postings.get(t, ()):
                hits[hit] += 1
        cands = [stories[s] for s, _ in sorted(hits.items(), key=lambda kv: (-kv[1], -kv[0]))[:6]]
        sid, _ = cluster.choose_story(vec, ents, item.published, cands)
        if sid is None:
            sid = len(stories) + 1
            old = cluster.StoryCandidate(sid, {}, frozenset(), item.published, item.published)
        else:
            old = stories[sid]
            for t in cluster.query_terms(old.centroid, cluster.INDEX_TERMS):
                postings[t].discard(sid)
        centroid = cluster.merge_centroid(old.centroid, vec)
        stories[sid] = cluster.StoryCandidate(
            sid, centroid, old.entities | ents, old.first_published, item.published
        )
        for t in cluster.query_terms(centroid, cluster.INDEX_TERMS):
            postings[t].add(sid)
        dfs.update(counts.keys())
        out[item.id] = sid
    return out


def run_ours(items: Sequence[Item], params: Params, sigs: dict[int, Signals]) -> dict[int, int]:
    """Our online assignment (signals precomputed: extraction does not depend on params)."""
    index = OnlineIndex(params=params)
    return {i.id: index.add_signals(i.id, sigs[i.id], i.published) for i in items}


# --- fitting -----------------------------------------------------------------------------------

GRID: dict[str, Sequence[float]] = {
    "short_threshold": [0.06, 0.1, 0.14, 0.18, 0.22],
    "prior_mix": [0.3, 0.6, 0.9],
    "name_boost": [1.0, 1.5, 2.0],
    "centroid_weight": [0.3, 0.6, 1.0],
}


def fit(orders: Sequence[Sequence[Item]], sigs: dict[int, Signals]) -> tuple[Params, float]:
    """Grid search on FIT streams: the params with the best mean pairwise F1."""
    best: tuple[float, Params] = (-1.0, Params())
    keys = list(GRID)
    for values in itertools.product(*(GRID[k] for k in keys)):
        kw: dict[str, Any] = dict(zip(keys, values, strict=True))
        p = replace(load_params(), **kw)
        f1 = sum(
            scores(run_ours(o, p, sigs), {i.id: i.story for i in o})["pair_f1"] for o in orders
        ) / len(orders)
        if f1 > best[0] + 1e-9:
            best = (f1, p)
    return best[1], best[0]


def fit_baseline(orders: Sequence[Sequence[Item]]) -> float:
    """The baseline's threshold with the best mean pairwise F1 on FIT."""
    grid = [x / 20 for x in range(2, 16)]

    def mean_f1(t: float) -> float:
        return sum(
            scores(run_baseline(o, t), {i.id: i.story for i in o})["pair_f1"] for o in orders
        ) / len(orders)

    return max(grid, key=lambda t: (mean_f1(t), -t))


# --- report ------------------------------------------------------------------------------------


def shuffled(items: Sequence[Item], seed: int = 7) -> list[Item]:
    """A seeded shuffle (interleaved stories; all within the same day and a half)."""
    out = list(items)
    random.Random(seed).shuffle(out)
    return out


def table(rows: list[dict[str, Any]]) -> str:
    """A plain-text (also Markdown) table of the results."""
    head = "| part | order | method | pair P | pair R | pair F1 | B3 P | B3 R | B3 F1 | stories (gold) |"
    lines = [head, "|" + "---|" * 10]
    for r in rows:
        s = r["scores"]
        lines.append(
            f"| {r['part']} | {r['order']} | {r['method']} | {s['pair_p']:.3f} | {s['pair_r']:.3f} "
            f"| **{s['pair_f1']:.3f}** | {s['b3_p']:.3f} | {s['b3_r']:.3f} | {s['b3_f1']:.3f} "
            f"| {s['stories']} ({s['gold']}) |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Fit (optionally), run every method on FIT and CHECK, print a table, write JSON."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--fit", action="store_true", help="grid-search our params on FIT and save them")
    ap.add_argument("--shuffled", action="store_true", help="also run on shuffled streams")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "eval_stories.json")
    args = ap.parse_args(argv)
    if not args.csv.exists():
        print(f"dev set not found: {args.csv}", file=sys.stderr)
        return 2
    items = load(args.csv)
    parts = {name: [i for i in items if part_of(i.story) == name] for name in ("FIT", "CHECK")}
    t0 = time.perf_counter()
    sigs = {i.id: extract(i.title, "", i.published) for i in items}
    extract_s = time.perf_counter() - t0
    fit_orders = [parts["FIT"], shuffled(parts["FIT"])]
    base_t = fit_baseline(fit_orders)
    params = load_params()
    if args.fit:
        params, f1 = fit(fit_orders, sigs)
        PARAMS_FILE.parent.mkdir(parents=True, exist_ok=True)
        PARAMS_FILE.write_text(
            json.dumps(
                {
                    "params": asdict(params),
                    "fitted_by": "bench/eval_stories.py --fit",
                    "fit_pairwise_f1": round(f1, 4),
                    "fit_stories": len({i.story for i in parts["FIT"]}),
                    "fit_headlines": len(parts["FIT"]),
                },
                indent=2,
            )
            + "\n"
        )
        print(f"fitted on FIT (mean pairwise F1 {f1:.3f}): {params}", file=sys.stderr)
    methods: dict[str, Callable[[Sequence[Item]], dict[int, int]]] = {
        f"baseline tf-idf (t={base_t:.2f})": lambda o: run_baseline(o, base_t),
        "legacy": run_legacy,
        "ours": lambda o: run_ours(o, params, sigs),
    }
    rows: list[dict[str, Any]] = []
    for part, part_items in parts.items():
        orders = {"time": part_items}
        if args.shuffled:
            orders["shuffled"] = shuffled(part_items)
        for order, seq in orders.items():
            gold = {i.id: i.story for i in seq}
            for name, fn in methods.items():
                t1 = time.perf_counter()
                pred = fn(seq)
                rows.append(
                    {
                        "part": part,
                        "order": order,
                        "method": name,
                        "seconds": round(time.perf_counter() - t1, 2),
                        "scores": {k: round(v, 4) for k, v in scores(pred, gold).items()},
                    }
                )
    print(table(rows))
    print(f"signal extraction: {len(items) / extract_s:.0f} headlines/s; params: {params}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"params": asdict(params), "rows": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
