"""Reading CPU per article in this process: what one reader worker spends on one input file.

    python bench/reading.py [--n 1000] [--seed 1] [--workdir /tmp/briefbot-bench] [--runs 3]
                            [--stages] [--dev]

The synthetic corpus of bench/ingest.py (bench/synth.py, plain text) is read as a reader worker
reads it: ``read_file`` (decode and clean) then ``prepare`` (story signals, shingles, content
hash, LSH bands), after ``warm_up`` and one warm-up pass. Reported: processor time per article,
the minimum over ``--runs`` passes (the machine is shared: the least disturbed pass is the one
to compare), split into reading+cleaning and preparing. ``--stages`` adds where it goes (the
timed functions are wrapped, so the parts cost a little more than the whole); ``--dev`` also
times the cleaning dev pages (their text dumps and their HTML). Worker overhead (process start,
pipes, pickling) is not in it: bench/ingest.py reports the reader workers' CPU per batch.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

#: (module, function, label) timed by --stages; nested ones are parts of the ones above them.
STAGES = (
    ("summarizer.clean.cleaner", "parse_input", "clean: lines and rules"),
    ("summarizer.clean.cleaner", "select_lines", "clean: select lines"),
    ("summarizer.clean.select", "line_features", "  line features"),
    ("bot.sources.prepared", "extract_signals", "prepare: story signals"),
    ("summarizer.stories.cluster", "word_shingles", "prepare: shingles"),
    ("bot.sources.prepared", "_words_hash", "prepare: content hash"),
    ("summarizer.stories.duplicates", "index_keys", "prepare: LSH band keys"),
)


def _timed(spent: dict[str, float]) -> list[tuple[Any, str, Callable[..., Any]]]:
    """Wrap every stage function so it adds its processor time to ``spent``; the originals."""
    import importlib

    originals = []
    for module_name, name, label in STAGES:
        module = importlib.import_module(module_name)
        fn = getattr(module, name)

        def wrapper(*args: Any, _fn: Any = fn, _label: str = label, **kw: Any) -> Any:
            t0 = time.process_time()
            try:
                return _fn(*args, **kw)
            finally:
                spent[_label] += time.process_time() - t0

        originals.append((module, name, fn))
        setattr(module, name, wrapper)
    return originals


def best_of(runs: int, fn: Callable[[], object]) -> float:
    """The least processor time of ``runs`` calls of ``fn``."""
    best = float("inf")
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    """Time reading and preparing the corpus; print ms per article."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workdir", type=Path, default=Path("/tmp/briefbot-bench"))
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--stages", action="store_true", help="also time the stages")
    p.add_argument("--dev", action="store_true", help="also time the cleaning dev pages")
    args = p.parse_args(argv)

    from ingest import corpus

    from bot.sources.ingest import parse_bytes, read_file, warm_up
    from bot.sources.prepared import prepare
    from summarizer.errors import InputError

    args.workdir.mkdir(parents=True, exist_ok=True)
    paths, _ = corpus(args.workdir, args.n, args.seed)
    warm_up()
    docs = [read_file(path) for path in paths]  # the warm-up pass
    for doc in docs:
        prepare(doc)
    n = len(paths)
    read_s = best_of(args.runs, lambda: [read_file(path) for path in paths])
    prep_s = best_of(args.runs, lambda: [prepare(doc) for doc in docs])
    print(
        f"{n} synthetic articles: read+clean {read_s * 1000 / n:.2f} ms, prepare "
        f"{prep_s * 1000 / n:.2f} ms, total {(read_s + prep_s) * 1000 / n:.2f} ms CPU per article"
        f" (least of {args.runs} passes)"
    )
    if args.stages:
        spent: dict[str, float] = defaultdict(float)
        _timed(spent)
        t0 = time.process_time()
        for path in paths:
            prepare(read_file(path))
        total = time.process_time() - t0
        for _, _, label in STAGES:
            print(f"  {label:26} {spent[label] * 1000 / n:6.2f} ms")
        print(f"  {'all (one pass)':26} {total * 1000 / n:6.2f} ms")
    if args.dev:
        sys.path.insert(0, str(HERE.parent.parent / "shared" / "devsets" / "cleaning"))
        import score

        pages = score.load_pages(["readability", "newspaper", "trafilatura"], None)
        for kind in ("txt", "html"):
            blobs = [p["dump"].encode() if kind == "txt" else p["html_bytes"] for p in pages]

            def one_pass(blobs: list[bytes] = blobs, kind: str = kind) -> None:
                for i, data in enumerate(blobs):
                    with contextlib.suppress(InputError):  # a refused page costs its reading
                        prepare(parse_bytes(data, kind, f"page{i}.{kind}"))

            spent_s = best_of(args.runs, one_pass)
            print(
                f"{len(pages)} dev pages as {kind}: {spent_s * 1000 / len(pages):.2f} ms CPU a page"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
