"""Near-duplicate detection of truncated copies on real article texts (issue 14).

Reads the expected article texts of the cleaning dev set (../shared/devsets/cleaning/truth),
splits them FIT/CHECK by a hash of the file name, and for each article makes truncated copies
(the first 75%, half and third of its words, and its second half). For each lead length it
reports, per part: the share of copies the index finds (a shared band key) and confirms
(``cluster.is_near_duplicate``), and over all pairs of *different* articles the share sharing a
key (lookup load) and the share wrongly confirmed. ``--lead 0`` is the old whole-text index.

    .venv/bin/python bench/near_duplicates.py [--leads 0,30,45,60,80,100]
"""

from __future__ import annotations

import argparse
import hashlib
import json
from itertools import combinations
from pathlib import Path

import bot  # noqa: F401  (before numpy, as in briefbot: one BLAS thread per process)
from summarizer.stories import cluster
from summarizer.stories.duplicates import index_keys

TRUTH = Path(__file__).resolve().parents[1] / ".." / "shared" / "devsets" / "cleaning" / "truth"
MIN_WORDS = 150


def part(name: str) -> str:
    """FIT or CHECK, by a stable hash of the file name."""
    return "FIT" if hashlib.sha256(name.encode()).digest()[0] % 2 == 0 else "CHECK"


def copies(text: str) -> dict[str, str]:
    """Truncated copies of a text, by kind."""
    w = text.split()
    n = len(w)
    return {
        "first75": " ".join(w[: n * 3 // 4]),
        "first50": " ".join(w[: n // 2]),
        "first33": " ".join(w[: n // 3]),
        "second50": " ".join(w[n // 2 :]),
    }


def evaluate(texts: dict[str, str], lead: int) -> dict[str, float]:
    """Recall of truncated copies and false matches between different articles."""
    keys = {k: set(index_keys(t, lead_words=lead)) for k, t in texts.items()}
    sh = {k: cluster.shingles(t) for k, t in texts.items()}
    out: dict[str, float] = {}
    for kind in ("first75", "first50", "first33", "second50"):
        found = confirmed = 0
        for k, t in texts.items():
            c = copies(t)[kind]
            hit = bool(keys[k] & set(index_keys(c, lead_words=lead)))
            found += hit
            confirmed += hit and cluster.is_near_duplicate(sh[k], cluster.shingles(c))
        out[f"{kind}_found"] = found / len(texts)
        out[f"{kind}_confirmed"] = confirmed / len(texts)
    pairs = list(combinations(sorted(texts), 2))
    shared = [p for p in pairs if keys[p[0]] & keys[p[1]]]
    wrong = [p for p in shared if cluster.is_near_duplicate(sh[p[0]], sh[p[1]])]
    out["other_pairs_sharing_a_key"] = len(shared) / len(pairs)
    out["other_pairs_confirmed"] = len(wrong) / len(pairs)
    return out


def main() -> None:
    """Print the table as JSON lines: one per (lead, part)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--leads", default="0,30,45,60,80,100")
    args = ap.parse_args()
    if not TRUTH.is_dir():
        raise SystemExit(f"dev set not found: {TRUTH}")
    parts: dict[str, dict[str, str]] = {"FIT": {}, "CHECK": {}}
    for path in sorted(TRUTH.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if len(text.split()) >= MIN_WORDS:
            parts[part(path.name)][path.name] = text
    for lead in (int(x) for x in args.leads.split(",")):
        for name, texts in parts.items():
            row = {"lead_words": lead, "part": name, "articles": len(texts)}
            row.update({k: round(v, 4) for k, v in evaluate(texts, lead).items()})
            print(json.dumps(row))


if __name__ == "__main__":
    main()
