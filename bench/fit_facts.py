"""Fit the fact-identity parameters (summarizer/brief/data/facts.json) on the seeds' alignment.

    python bench/fit_facts.py [--write | --shipped]

Pairs of candidate sentences from different outlets are labelled from the alignment: "same"
(same main fact) and "related" (one's main fact is the other's main or also-fact). Facts are
split FIT/CHECK by a hash of their id; a pair belongs to the split of the hash of its two fact
ids, so CHECK pairs involve facts whose pairs were never seen in FIT. The grid picks, on FIT:
the IDF mix and name weight, the "same" threshold (best F0.5: precision first), the "carry"
threshold (best F0.5 with precision >= 0.9: credits), the "repeat" threshold (recall >= 0.8
of related pairs: two briefing sentences that may not both be shown); then the "only" threshold: a sentence
whose relatedness to every other outlet's sentence stays below it is single-outlet, fitted for
precision >= 0.95 of that claim (sentence level, facts split the same way). Both splits are
printed, and the same figures on bench/fact_fixtures.json (our invented events, never fitted).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import itertools
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import eval_brief
from alignment import load_events, match
from eval_brief import FACTS, seed_articles

from summarizer.brief import briefing as engine
from summarizer.brief import facts as F

OUT = Path(__file__).resolve().parent.parent / "summarizer" / "brief" / "data" / "facts.json"
Pair = tuple[bool, bool, str, int, int]  # same, related, split, i, j
Single = tuple[bool, str, int, list[int]]  # only its outlet carries its fact, split, i, others


def _split(key: str) -> str:
    return "FIT" if hashlib.sha256(key.encode()).digest()[0] % 3 else "CHECK"


def labelled_pairs() -> tuple[list[str], list[Pair], list[Single]]:
    """Candidate texts of every aligned event, their labelled cross-outlet pairs and, per
    sentence, whether its fact is carried by its own outlet only."""
    texts: list[str] = []
    pairs: list[Pair] = []
    singles: list[Single] = []
    for event in load_events(FACTS):
        arts = seed_articles(event)
        cands = engine.extract_all(engine._article_order(arts))
        base = len(texts)
        labels = []
        for c in cands:
            hits = match(event, c.text)
            labels.append(max(hits, key=lambda h: len(h.words)) if hits else None)
            texts.append(c.text)
        for i, j in itertools.combinations(range(len(cands)), 2):
            a, b = labels[i], labels[j]
            if a is None or b is None or a.outlet == b.outlet:
                continue
            same = a.fact == b.fact
            related = same or a.fact in b.facts or b.fact in a.facts
            split = _split("|".join(sorted({a.fact, b.fact})))
            pairs.append((same, related, split, base + i, base + j))
        for i, a in enumerate(labels):
            if a is None:
                continue
            only = event.carriers.get(a.fact, frozenset()) == {a.outlet}
            others = [
                base + j for j, b in enumerate(labels) if b is not None and b.outlet != a.outlet
            ]
            singles.append((only, _split(a.fact), base + i, others))
    return texts, pairs, singles


def fit_only(fm: F.FactMatrix, singles: list[Single], split: str, t: float | None = None
             ) -> tuple[float, float, float]:
    """(threshold, precision, recall) of "only its outlet" = relatedness to every other
    outlet's sentence below the threshold; fits the threshold (precision >= 0.95) if not given."""
    rows = [x for x in singles if x[1] == split and x[3]]
    score = [
        float(max(np.max(fm.carry[i, o]), np.max(fm.carry[o, i]))) for _, _, i, o in rows
    ]
    gold = [x[0] for x in rows]
    grid = [t] if t is not None else [x / 100 for x in range(10, 60, 2)]
    best = (grid[0], 1.0, 0.0)
    for th in grid:
        pp, rr = _pr([sc < th for sc in score], gold)
        if t is not None or (pp >= 0.95 and rr >= best[2]):
            best = (th, pp, rr)
    return best


FIXTURES = Path(__file__).resolve().parent / "fact_fixtures.json"


def fixture_pairs(path: Path = FIXTURES) -> tuple[list[str], list[Pair]]:
    """Our invented labelled events: texts and cross-outlet pairs (all in split "FIXTURES")."""
    texts: list[str] = []
    pairs: list[Pair] = []
    for event in json.loads(path.read_text(encoding="utf-8"))["events"]:
        rows = [(a["outlet"], t, f) for a in event["articles"] for t, f in a["sentences"]]
        base = len(texts)
        texts.extend(t for _, t, _ in rows)
        for i, j in itertools.combinations(range(len(rows)), 2):
            if rows[i][0] != rows[j][0]:
                same = rows[i][2] == rows[j][2]
                pairs.append((same, same, "FIXTURES", base + i, base + j))
    return texts, pairs


def _pr(pred: Sequence[bool], gold: Sequence[bool]) -> tuple[float, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    np_, ng = sum(pred), sum(gold)
    return (tp / np_ if np_ else 1.0), (tp / ng if ng else 1.0)


def evaluate(texts: list[str], pairs: list[Pair], p: F.Params, split: str) -> dict[str, float]:
    """Precision/recall of "same" and "carry", recall of "only" on one split."""
    F.use_params(p)
    fm = F.fact_matrix(texts)
    rows = [x for x in pairs if x[2] == split]
    same = [bool(fm.same[i, j] >= p.same) for _, _, _, i, j in rows]
    both = [max(fm.carry[i, j], fm.carry[j, i], fm.same[i, j]) for _, _, _, i, j in rows]
    sp, sr = _pr(same, [x[0] for x in rows])
    cp, cr = _pr([b >= p.carry for b in both], [x[1] for x in rows])
    rp, rr = _pr([b >= p.repeat for b in both], [x[1] for x in rows])
    return {"same_p": sp, "same_r": sr, "carry_p": cp, "carry_r": cr, "repeat_p": rp,
            "repeat_r": rr}


def fit(texts: list[str], pairs: list[Pair]) -> F.Params:
    """Grid search on FIT."""
    best: tuple[float, F.Params] | None = None
    grid = [x / 100 for x in range(20, 75, 5)]
    for idf_mix, name_weight in itertools.product((0.3, 0.45, 0.6, 0.75), (0.35, 0.6, 1.0)):
        base = dataclasses.replace(F.Params(), idf_mix=idf_mix, name_weight=name_weight)
        F.use_params(base)
        fm = F.fact_matrix(texts)
        rows = [x for x in pairs if x[2] == "FIT"]
        gold_same = [x[0] for x in rows]
        gold_rel = [x[1] for x in rows]
        sims = [float(fm.same[i, j]) for _, _, _, i, j in rows]
        both = [max(fm.carry[i, j], fm.carry[j, i], fm.same[i, j]) for _, _, _, i, j in rows]
        f_best, t_same = -1.0, 0.45
        for t in grid:
            sp, sr = _pr([s >= t for s in sims], gold_same)
            f = 1.25 * sp * sr / (0.25 * sp + sr) if sp + sr else 0.0
            if f > f_best:
                f_best, t_same = f, t
        t_carry, r_carry = 0.7, -1.0
        for t in grid:
            cp, cr = _pr([b >= t for b in both], gold_rel)
            f = 1.25 * cp * cr / (0.25 * cp + cr) if cp + cr else 0.0
            if cp >= 0.9 and f > r_carry:
                t_carry, r_carry = t, f
        t_repeat = 0.2
        for t in grid:
            _, r = _pr([b >= t for b in both], gold_rel)
            if r >= 0.8:
                t_repeat = t
        cand = dataclasses.replace(base, same=t_same, carry=t_carry, repeat=t_repeat)
        objective = f_best + r_carry
        if best is None or objective > best[0]:
            best = (objective, cand)
    assert best is not None
    return best[1]


def main(argv: Sequence[str] | None = None) -> int:
    """Fit, print FIT and CHECK figures, optionally write the data file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help=f"write {OUT}")
    parser.add_argument("--reads", type=Path, help="cached seed reads (see eval_brief.py)")
    parser.add_argument("--shipped", action="store_true",
                        help="only print the figures of the shipped parameters (no fitting)")
    args = parser.parse_args(argv)
    eval_brief.READS = args.reads
    texts, pairs, singles = labelled_pairs()
    if args.shipped:
        fitted = F.params()
    else:
        fitted = fit(texts, pairs)
        F.use_params(fitted)
        t_only, _, _ = fit_only(F.fact_matrix(texts), singles, "FIT")
        fitted = dataclasses.replace(fitted, only=t_only)
    print("shipped:" if args.shipped else "fitted:", dataclasses.asdict(fitted))
    for split in ("FIT", "CHECK"):
        n = sum(1 for x in pairs if x[2] == split)
        m = evaluate(texts, pairs, fitted, split)
        _, op, orr = fit_only(F.fact_matrix(texts), singles, split, fitted.only)
        m.update({"single_p": op, "single_r": orr})
        print(f"{split:<5} {n:>5} pairs  " + "  ".join(f"{k} {v:.3f}" for k, v in m.items()))
    fx_texts, fx_pairs = fixture_pairs()
    m = evaluate(fx_texts, fx_pairs, fitted, "FIXTURES")
    print(f"FIXTURES {len(fx_pairs):>2} pairs (invented, never fitted)  "
          + "  ".join(f"{k} {v:.3f}" for k, v in m.items()))
    if args.write:
        OUT.write_text(
            json.dumps(
                {
                    "about": "Fact-identity parameters fitted by bench/fit_facts.py on the FIT "
                    "split of the seeds' alignment (CHECK figures in README).",
                    "params": dataclasses.asdict(fitted),
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
