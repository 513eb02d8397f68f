"""ROUGE of the briefing engine against two baselines on bench/eval_data (invented clusters).

    python bench/eval_brief.py [--words 100] [--data DIR] [--show]

Baselines: (a) plain sumy LexRank on the concatenated articles, (b) the first sentences of the
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

from rouge import Scores, score
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from summarizer.brief.briefing import build_briefing
from summarizer.models import Article
from summarizer.nlp.text import OfflineTokenizer, paragraphs, split_sentences, words

DATA = Path(__file__).resolve().parent / "eval_data"


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


def main(argv: Sequence[str] | None = None) -> int:
    """Print the ROUGE table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=100)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--show", action="store_true", help="print each system's summaries")
    args = parser.parse_args(argv)
    clusters = load(args.data)
    if args.show:
        for c in clusters:
            print(f"== {c.name}")
            for name, system in SYSTEMS.items():
                print(f"-- {name}: {system(c, args.words)}")
    results = evaluate(clusters, args.words)
    print(f"{len(clusters)} clusters, {args.words}-word budget, ROUGE F1 (mean)")
    print(f"{'system':<30} {'R-1':>7} {'R-2':>7} {'R-L':>7}")
    for name, scores in results.items():
        n = len(scores)
        r1 = sum(s.r1 for s in scores) / n
        r2 = sum(s.r2 for s in scores) / n
        rl = sum(s.rl for s in scores) / n
        print(f"{name:<30} {r1:7.4f} {r2:7.4f} {rl:7.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
