"""Briefing quality: honesty on the seeds' fact alignment, ROUGE on bench/eval_data.

    python bench/eval_brief.py [--words 100 250] [--data DIR] [--facts FILE] [--show]

Part 1 (skipped when ../shared/devsets is absent): the seeds are read and cleaned as ingest does,
briefed in-process at each budget and scored against ``seeds_facts.json``: credit precision and
recall, "only X" precision, redundant pairs, dangling references, whether the lead states a
central fact, and "same fact" pairwise precision/recall of the fact grouping (bench/alignment.py).
Part 2: ROUGE of the briefing engine against two baselines on bench/eval_data (invented
clusters): (a) plain sumy LexRank on the concatenated articles, (b) the first sentences of the
newest article; all three get the same word budget.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from alignment import Event, Report, load_events, same_fact_pairs, score_briefing
from rouge import Scores, score
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from summarizer.brief.briefing import build_briefing, fact_groups
from summarizer.models import Article, Briefing
from summarizer.nlp.text import OfflineTokenizer, paragraphs, split_sentences, words

DATA = Path(__file__).resolve().parent / "eval_data"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
FACTS = SHARED / "devsets" / "facts" / "seeds_facts.json"


@dataclass(frozen=True)
class Cluster:
    """One evaluation event: its articles and a reference summary."""

    name: str
    title: str
    reference: str
    articles: tuple[Article, ...]


def parse_cluster(path: Path, first_id: int = 1) -> Cluster:
    """Read one eval_data file (see eval_data/README.md)."""
    title, reference = "", ""
    articles: list[Article] = []
    blocks = re.split(r"^## ", path.read_text(encoding="utf-8"), flags=re.M)
    head = blocks[0].strip()
    if head.startswith("# title:"):
        title = head[len("# title:") :].strip()
    for block in blocks[1:]:
        header, _, body = block.partition("\n")
        if header.strip() == "reference":
            reference = body.strip()
        elif header.startswith("article:"):
            outlet, published, headline = (x.strip() for x in header[8:].split("|", 2))
            articles.append(
                Article(
                    id=first_id + len(articles),
                    title=headline,
                    text=body.strip(),
                    outlet=outlet,
                    published=datetime.fromisoformat(published),
                )
            )
    return Cluster(path.stem, title, reference, tuple(articles))


def load(data: Path = DATA) -> list[Cluster]:
    """Every cluster in the folder, by file name."""
    return [parse_cluster(p) for p in sorted(data.glob("*.md")) if p.name != "README.md"]


def _budget(limit: int) -> Callable[[Sequence[Any]], list[Any]]:
    def take(infos: Sequence[Any]) -> list[Any]:
        out: list[Any] = []
        used = 0
        for info in infos:
            if used >= limit:
                break
            out.append(info)
            used += len(words(str(info.sentence)))
        return out

    return take


def sumy_lexrank(cluster: Cluster, limit: int) -> str:
    """Baseline (a): sumy's own LexRank on all articles concatenated."""
    text = "\n\n".join(a.text for a in cluster.articles)
    document = PlaintextParser.from_string(text, OfflineTokenizer()).document
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return " ".join(str(s) for s in summarizer(document, _budget(limit)))


def lead_newest(cluster: Cluster, limit: int) -> str:
    """Baseline (b): first sentences of the newest article."""
    newest = max(cluster.articles, key=lambda a: (a.published or datetime.min, a.id))
    out: list[str] = []
    used = 0
    for para in paragraphs(newest.text):
        for sent in split_sentences(para):
            if used >= limit:
                break
            out.append(sent)
            used += len(words(sent))
    return " ".join(out)


def ours(cluster: Cluster, limit: int) -> str:
    """The briefing engine."""
    brief = build_briefing(1, cluster.title, cluster.articles, words=limit)
    return " ".join(s.text for s in brief.sentences)


SYSTEMS: dict[str, Callable[[Cluster, int], str]] = {
    "briefing (ours)": ours,
    "sumy LexRank, concatenated": sumy_lexrank,
    "lead of newest article": lead_newest,
}


def evaluate(clusters: Sequence[Cluster], limit: int) -> dict[str, list[Scores]]:
    """Scores of every system on every cluster."""
    return {
        name: [score(system(c, limit), c.reference) for c in clusters]
        for name, system in SYSTEMS.items()
    }


SEED_CACHE = Path("/tmp/briefbot-seeds-cache.json")  # last good read, if the cleaner breaks


READS: Path | None = None  # --reads FILE: use these cached reads instead of the reader


def seed_articles(event: Event, root: Path = SHARED) -> list[Article]:
    """The event's articles, read and cleaned exactly as ingest does (ids in file order).

    Each good read is cached in /tmp; when the reader cannot be imported (another change in
    progress), the cache is used and a note is printed. ``--reads FILE`` uses a cache made by
    another checkout's reader (to measure the briefing alone while the cleaner changes)."""
    import json

    rels = [rel for _, rel in sorted(event.paths.items(), key=lambda kv: kv[1])]
    if READS is not None:
        rows = json.loads(READS.read_text())[event.id]
        return _articles(rows)
    try:
        from bot.sources.ingest import read_file

        docs = [read_file(root / rel) for rel in rels]
        rows = [
            {"title": d.title, "text": d.text, "outlet": d.outlet,
             "published": d.published.isoformat() if d.published else None, "url": d.url}
            for d in docs
        ]
        cache = json.loads(SEED_CACHE.read_text()) if SEED_CACHE.exists() else {}
        cache[event.id] = rows
        SEED_CACHE.write_text(json.dumps(cache))
    except Exception as exc:
        if not SEED_CACHE.exists():
            raise
        print(f"note: reader failed ({exc!r:.80}); using {SEED_CACHE}")
        rows = json.loads(SEED_CACHE.read_text())[event.id]
    return _articles(rows)


def _articles(rows: list[dict[str, Any]]) -> list[Article]:
    return [
        Article(
            id=k + 1,
            title=str(r["title"] or ""),
            text=str(r["text"] or ""),
            outlet=str(r["outlet"] or ""),
            published=datetime.fromisoformat(str(r["published"])) if r["published"] else None,
            url=str(r["url"] or ""),
        )
        for k, r in enumerate(rows)
    ]


def dangling(briefing: Briefing, articles: Sequence[Article]) -> list[str]:
    """Briefing sentences whose pronoun/bare-role subject names nobody named earlier."""
    from summarizer.brief import coherence

    return coherence.dangling_sentences([s.text for s in briefing.sentences], articles)


def evaluate_seeds(facts: Path, budgets: Sequence[int], show: bool) -> None:
    """Print the honesty table of the seeds' alignment at each budget."""
    for event in load_events(facts):
        articles = seed_articles(event)
        tp, pred, gold = same_fact_pairs(event, fact_groups(articles))
        p = tp / pred if pred else 1.0
        r = tp / gold if gold else 1.0
        print(f"{event.id}: {len(articles)} articles; same-fact pairs P {p:.3f} R {r:.3f}"
              f" (tp {tp}, predicted {pred}, gold {gold})")
        for words_ in budgets:
            briefing = build_briefing(1, event.id, articles, words=words_)
            report = Report()
            score_briefing(event, briefing, report)
            bad = dangling(briefing, articles)
            print(f"  {words_:>4} words: {report.line()} | dangling {len(bad)}")
            if show:
                for s in briefing.sentences:
                    print(f"     - {s.text}  [{', '.join(s.outlets)}]")
                for s in briefing.exclusives:
                    print(f"     * only {', '.join(s.outlets)}: {s.text}")
                for line in report.problems + [f"dangling: {b[:80]}" for b in bad]:
                    print(f"     ! {line}")


def evaluate_subsets(facts: Path, budgets: Sequence[int], show: bool = False) -> None:
    """The same honesty figures over every subset of two or more of an event's outlets (one
    article per outlet): more stories from the one alignment, with fewer outlets to lean on."""
    import itertools

    for event in load_events(facts):
        articles = seed_articles(event)
        keys = sorted(event.paths, key=lambda k: event.paths[k])
        by_outlet: dict[str, tuple[str, Article]] = {}
        for key, art in zip(keys, articles, strict=True):
            by_outlet.setdefault(art.outlet, (key, art))
        outlets = sorted(by_outlet)
        for words_ in budgets:
            report = Report()
            dangling_n = n_briefs = 0
            for size in range(2, len(outlets) + 1):
                for combo in itertools.combinations(outlets, size):
                    sub = event.subset({by_outlet[o][0] for o in combo})
                    arts = [by_outlet[o][1] for o in combo]
                    briefing = build_briefing(1, event.id, arts, words=words_)
                    score_briefing(sub, briefing, report)
                    dangling_n += len(dangling(briefing, arts))
                    n_briefs += 1
            print(f"  {words_:>4} words, {n_briefs} outlet subsets: {report.line()} | "
                  f"dangling {dangling_n}")
            if show:
                for line in report.problems:
                    if not line.startswith("missed"):
                        print(f"     ! {line}")


def main(argv: Sequence[str] | None = None) -> int:
    """Print the seeds' honesty table and the ROUGE table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, nargs="+", default=[100, 250])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--facts", type=Path, default=FACTS)
    parser.add_argument("--show", action="store_true", help="print each system's summaries")
    parser.add_argument("--no-rouge", action="store_true", help="only the seeds' table")
    parser.add_argument("--reads", type=Path, help="cached seed reads (JSON) instead of reading")
    args = parser.parse_args(argv)
    global READS
    READS = args.reads
    if args.facts.exists():
        evaluate_seeds(args.facts, args.words, args.show)
        evaluate_subsets(args.facts, args.words, args.show)
    else:
        print(f"{args.facts} absent: seeds' alignment skipped")
    if args.no_rouge:
        return 0
    clusters = load(args.data)
    for limit in args.words:
        rouge_table(clusters, limit, args.show)
    return 0


def rouge_table(clusters: Sequence[Cluster], limit: int, show: bool) -> None:
    """Print ROUGE F1 of every system at one budget."""
    if show:
        for c in clusters:
            print(f"== {c.name}")
            for name, system in SYSTEMS.items():
                print(f"-- {name}: {system(c, limit)}")
    results = evaluate(clusters, limit)
    print(f"{len(clusters)} clusters, {limit}-word budget, ROUGE F1 (mean)")
    print(f"{'system':<30} {'R-1':>7} {'R-2':>7} {'R-L':>7} {'R-2 FIT':>8} {'R-2 CHECK':>9}")
    fit = [split_of(c.name) == "FIT" for c in clusters]
    for name, scores in results.items():
        n = len(scores)
        r1 = sum(s.r1 for s in scores) / n
        r2 = sum(s.r2 for s in scores) / n
        rl = sum(s.rl for s in scores) / n
        parts = [[s.r2 for s, f in zip(scores, fit, strict=True) if f == want] for want in (True, False)]
        fit_r2, check_r2 = (sum(p) / len(p) if p else float("nan") for p in parts)
        print(f"{name:<30} {r1:7.4f} {r2:7.4f} {rl:7.4f} {fit_r2:8.4f} {check_r2:9.4f}")


def split_of(name: str) -> str:
    """FIT or CHECK, by a hash of the cluster's file name (tune ranking on FIT only)."""
    import zlib

    return "FIT" if zlib.crc32(name.encode()) % 2 == 0 else "CHECK"


if __name__ == "__main__":
    raise SystemExit(main())
