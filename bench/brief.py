"""Speed of build_briefing on synthetic stories of 5, 20 and 50 articles (~40 sentences each).

    python bench/brief.py [--sizes 5 20 50 300] [--sentences 40] [--repeat 3] [--sumy] [--warm]
    python bench/brief.py --store 1000 [--workdir /tmp/briefbot-bench]

Articles are recombined from one eval_data event (most sentences) plus others (background),
with small word-level edits, so outlets overlap the way real coverage does without being copies.
``--sumy`` also times plain sumy LexRank on the same concatenated text, for comparison.
``--warm`` also times a story's whole views refresh (``bot.chat.views.compute_views``: briefing
and merged quotes): cold, every article's quotes and parts computed as at a story's first view,
and warm, from the stored quotes and parts bytes (decoded in the timing) as every later view.
``--store N`` measures the same through a real store: N synthetic articles (bench/synth.py, stories
of 3-8 outlets) are ingested into a fresh SQLite file, every story's views refreshed
(``refresh_dirty``: cold, parts computed and saved), the cached views dropped and refreshed twice
more (warm: stored quotes and parts); CPU ms per article of each round and stored parts' size.
Every run starts cold: the per-text caches (sentence splits, concepts, names, word terms) are
cleared, only vocabulary-level ones (stems, word priors) stay warm as in a running bot.
Read the CPU column on a busy machine: wall time there measures the neighbours.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bot  # noqa: F401  (before numpy, as in briefbot: one BLAS thread per process)

# isort: split
from eval_brief import Cluster, load

from summarizer.brief import coherence, ranking, sentences
from summarizer.brief import concepts as facts
from summarizer.brief.briefing import build_briefing
from summarizer.brief.sentences import extract_candidates, paragraph_sentences
from summarizer.models import Article

OUTLETS = [f"Outlet {chr(65 + i % 26)}{i // 26 or ''}" for i in range(60)]


def _pool(cluster: Cluster) -> list[str]:
    return [c.text for a in cluster.articles for c in extract_candidates(a)]


def _edit(sentence: str, rng: random.Random) -> str:
    """A light rewording: drop or duplicate-adjacent-swap one inner word (keeps the last)."""
    toks = sentence.split()
    if len(toks) > 8 and rng.random() < 0.6:
        i = rng.randrange(1, len(toks) - 2)
        if rng.random() < 0.5:
            del toks[i]
        else:
            toks[i], toks[i + 1] = toks[i + 1], toks[i]
    return " ".join(toks)


def synthetic_story(
    clusters: Sequence[Cluster], n_articles: int, n_sentences: int, seed: int = 7
) -> list[Article]:
    """``n_articles`` articles about clusters[0]'s event, recombined from the eval data."""
    rng = random.Random(seed)
    main = _pool(clusters[0])
    background = [s for c in clusters[1:] for s in _pool(c)]
    start = datetime(2025, 1, 1, 8, 0)
    articles: list[Article] = []
    for k in range(n_articles):
        n_main = min(len(main), int(n_sentences * 0.6))
        sents = rng.sample(main, n_main) + rng.sample(background, n_sentences - n_main)
        lead, rest = sents[:4], sents[4:]
        rng.shuffle(rest)
        body = [_edit(s, rng) for s in lead + rest]
        paras = ["\n\n".join(" ".join(body[i : i + 2]) for i in range(0, len(body), 2))]
        articles.append(
            Article(
                id=k + 1,
                title=f"Story headline as told by outlet {k}",
                text=paras[0],
                outlet=OUTLETS[k % len(OUTLETS)],
                published=start + timedelta(minutes=17 * k),
            )
        )
    return articles


def clear_text_caches() -> None:
    """Forget every per-text cache, so a run costs what a new story costs."""
    from summarizer.nlp import text

    for cached in (paragraph_sentences, facts.concepts, facts._weights, facts._word_parts,
                   facts._word_kind, coherence.names_in, coherence._fold_word,
                   ranking._token_terms, sentences.sentence_key, getattr(text, "_punkt_spans", None)):
        if cached is not None:
            cached.cache_clear()


def time_sumy(articles: Sequence[Article]) -> float:
    """Seconds for plain sumy LexRank over the concatenated articles."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    from summarizer.nlp.text import OfflineTokenizer

    t0 = time.perf_counter()
    doc = PlaintextParser.from_string(
        "\n\n".join(a.text for a in articles), OfflineTokenizer()
    ).document
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    summarizer(doc, 5)
    return time.perf_counter() - t0


def time_views(articles: Sequence[Article], repeat: int) -> str:
    """CPU medians of a story's views computed cold and from stored quotes and parts."""
    from bot.chat.views import StoryInputs, compute_views

    story = (1, "bench", 1, tuple(articles))
    cold: list[float] = []
    warm: list[float] = []
    first = None
    for _ in range(max(1, repeat)):
        clear_text_caches()
        c0 = time.process_time()
        first = compute_views(StoryInputs(*story, {}))
        cold.append(time.process_time() - c0)
    assert first is not None
    stored = StoryInputs(*story, first.new_article_quotes, first.new_article_parts)
    for _ in range(max(1, repeat)):
        clear_text_caches()
        c0 = time.process_time()
        again = compute_views(stored)
        warm.append(time.process_time() - c0)
        assert (again.briefing, again.quotes) == (first.briefing, first.quotes)
    size = sum(map(len, first.new_article_parts.values())) / len(articles) / 1024
    return f"  {statistics.median(cold):>11.3f} / {statistics.median(warm):<11.3f} {size:>16.1f}"


def time_store(n: int, workdir: Path) -> int:
    """Refresh every story's views of ``n`` ingested articles: cold, then warm twice."""
    from ingest import corpus

    from bot.chat.views import refresh_dirty
    from bot.sources.ingest import ingest_paths
    from bot.store import Store

    paths, _ = corpus(workdir, n, 1)
    db = workdir / f"brief_store_{n}.db"
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    with Store(db) as store:
        ingest_paths(store, [str(p) for p in paths])
        for label in ("cold", "warm", "warm"):
            c0 = time.process_time()
            done = refresh_dirty(store)
            ms = (time.process_time() - c0) * 1000 / n
            print(f"{label}: {done} stories, {ms:.2f} ms CPU per article")
            with store.atomic():
                store.conn.execute("UPDATE stories SET briefing = NULL")
        size = store.conn.scalar("SELECT sum(length(data)) FROM article_parts") or 0
    print(f"stored parts: {size / n / 1024:.1f} KB per article;"
          f" load average {os.getloadavg()[0]:.1f}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Print timings per story size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 20, 50, 300])
    parser.add_argument("--sentences", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sumy", action="store_true")
    parser.add_argument("--warm", action="store_true", help="also time views cold and warm")
    parser.add_argument("--store", type=int, help="time refresh_dirty over N ingested articles")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/briefbot-bench"))
    args = parser.parse_args(argv)
    if args.store:
        return time_store(args.store, args.workdir)
    clusters = load()
    views = "  views CPU cold / warm (s)  parts KB/article" if args.warm else ""
    print(f"{'articles':>8} {'sentences':>9} {'first (s)':>9} {'median (s)':>10} "
          f"{'CPU median (s)':>14} {'out':>4}{views}   load average {os.getloadavg()[0]:.1f}")
    for size in args.sizes:
        articles = synthetic_story(clusters, size, args.sentences, seed=size)
        n_sent = sum(len(extract_candidates(a)) for a in articles)
        times: list[float] = []
        cpu: list[float] = []  # process CPU time: what the briefing costs on a loaded machine
        brief = None
        for _ in range(max(1, args.repeat)):
            clear_text_caches()  # every run splits and reads its articles afresh
            t0, c0 = time.perf_counter(), time.process_time()
            brief = build_briefing(1, "bench", articles)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        assert brief is not None
        line = (
            f"{size:>8} {n_sent:>9} {times[0]:>9.3f} {statistics.median(times):>10.3f}"
            f" {statistics.median(cpu):>14.3f} {len(brief.sentences):>4}"
        )
        if args.warm:
            line += time_views(articles, args.repeat)
        if args.sumy:
            line += f"   sumy LexRank: {time_sumy(articles):.2f} s"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
