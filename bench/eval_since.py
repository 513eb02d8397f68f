"""How well `brief --since` / follow alerts tell only what is new, on the seeds' fact alignment.

The seed event (../shared/devsets/facts/seeds_facts.json: four outlets' articles, every sentence
with the fact it states and the outlets carrying each fact) is split every possible way into
"old" outlets (the chat has seen them) and "new" ones: 14 splits. For each, the update over the
new articles (``summarizer.brief.since.story_update``, a large word budget) is scored:

- precision: shown sentences whose facts no old outlet carries (gold ``outlets``, ``also``
  included), over all shown sentences (a clutter or unmatched sentence counts as wrong);
- recall: gold facts carried only by new outlets that some shown sentence states (main fact);
- credit precision: shown sentences whose every credited outlet carries the fact.

Splits are divided into FIT and CHECK by a hash of their old-outlet set. `--fit` picks the
"known" share (``summarizer/brief/data/since.json``) with the best F0.5 (precision weighs twice:
an alert should not repeat old news) on FIT and writes it; CHECK is reported, never used.
Usage: `python bench/eval_since.py [--fit] [--json]`. Skips when the data is absent.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sys
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from bot.sources.ingest import read_file
from summarizer.brief import since
from summarizer.brief.since import story_update
from summarizer.models import Article
from summarizer.nlp.text import fold

SHARED = Path(__file__).resolve().parents[2] / "shared"
FACTS = SHARED / "devsets" / "facts" / "seeds_facts.json"
DATA = Path(__file__).resolve().parents[1] / "summarizer" / "brief" / "data" / "since.json"
GRID = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


def load() -> tuple[list[Article], dict[str, set[str]], list[tuple[str, set[str]]]]:
    """Articles (one per outlet), fact -> carrying outlets, and (sentence, facts) of all bodies."""
    event = json.loads(FACTS.read_text("utf-8"))["events"][0]
    carriers = {f["id"]: set(f["outlets"]) for f in event["facts"]}
    sentences: list[tuple[str, set[str]]] = []
    articles: list[Article] = []
    seen_outlets: set[str] = set()
    for k, a in enumerate(event["articles"]):
        for s in a["sentences"]:
            facts = {s["fact"], *s.get("also", [])}
            sentences.append((s["text"], facts))
        if a["outlet"] in seen_outlets:
            continue  # a second rendering of the same article
        seen_outlets.add(a["outlet"])
        doc = read_file(SHARED / a["path"])
        articles.append(
            Article(id=k + 1, title=doc.title, text=doc.text, outlet=a["outlet"], published=None)
        )
    return articles, carriers, sentences


def gold_facts(text: str, sentences: list[tuple[str, set[str]]]) -> set[str]:
    """The facts of the gold sentence a shown sentence is (best fuzzy match, else none)."""
    key = fold(text)
    best, facts = 0.0, set()
    for s, f in sentences:
        score = fuzz.ratio(key, fold(s))
        if score > best:
            best, facts = score, f
    return facts if best >= 85 else set()


def score_split(
    old: set[str], articles: list[Article], carriers: dict[str, set[str]], sentences: Any
) -> dict[str, float]:
    new = {a.outlet for a in articles} - old
    update = story_update(0, "seed", articles, lambda a: a.outlet in new, words=2000)
    good = credited = 0
    shown_main: set[str] = set()
    for s in update.sentences:
        facts = {f for f in gold_facts(s.text, sentences) if not f.startswith("clutter")}
        if facts and not any(carriers.get(f, set()) & old for f in facts):
            good += 1
        if facts and all(any(o in carriers.get(f, set()) for f in facts) for o in s.outlets):
            credited += 1
        shown_main |= facts
    wanted = {f for f, outs in carriers.items() if outs and outs <= new}
    n = len(update.sentences)
    return {
        "shown": n,
        "precision": good / n if n else 1.0,
        "credits": credited / n if n else 1.0,
        "recall": len(wanted & shown_main) / len(wanted) if wanted else 1.0,
        "wanted": len(wanted),
    }


def evaluate(
    articles: list[Article], carriers: dict[str, set[str]], sentences: Any
) -> dict[str, dict[str, float]]:
    """Mean scores over the FIT and CHECK splits."""
    outlets = sorted({a.outlet for a in articles})
    parts: dict[str, list[dict[str, float]]] = {"FIT": [], "CHECK": []}
    for k in range(1, len(outlets)):
        for old in itertools.combinations(outlets, k):
            digest = hashlib.sha1("|".join(old).encode()).digest()[0]
            parts["FIT" if digest % 2 == 0 else "CHECK"].append(
                score_split(set(old), articles, carriers, sentences)
            )
    out: dict[str, dict[str, float]] = {}
    for name, rows in parts.items():
        means = {
            m: sum(r[m] for r in rows) / len(rows)
            for m in ("precision", "recall", "credits", "shown")
        }
        p, r = means["precision"], means["recall"]
        means["f05"] = 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
        out[name] = {"splits": len(rows), **{k: round(v, 3) for k, v in means.items()}}
    return out


def main() -> int:
    if not FACTS.exists():
        print("skipped: ../shared/devsets/facts is absent")
        return 0
    articles, carriers, sentences = load()
    if "--fit" in sys.argv:
        shipped = since.known_share
        scores = {}
        for t in GRID:
            since.known_share = lambda t=t: t  # type: ignore[assignment]
            scores[t] = evaluate(articles, carriers, sentences)
            print(f"known {t}: FIT {scores[t]['FIT']}")
        since.known_share = shipped
        best = max(GRID, key=lambda t: (scores[t]["FIT"]["f05"], -t))
        DATA.write_text(json.dumps({"known": best}) + "\n", "utf-8")
        since.known_share.cache_clear()
        print(f"wrote {DATA.name}: known {best}")
    out = evaluate(articles, carriers, sentences)
    if "--json" in sys.argv:
        print(json.dumps(out, indent=2))
    else:
        for name, r in out.items():
            print(
                f"{name}: {r['splits']} splits, precision {r['precision']}, recall {r['recall']}, "
                f"F0.5 {r['f05']}, credit precision {r['credits']}, {r['shown']} sentences shown"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
