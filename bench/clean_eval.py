"""Score the cleaner in-process on the cleaning dev corpus (../shared/devsets/cleaning).

    python bench/clean_eval.py [--sets readability,newspaper] [--limit 20] [--no-html]
                               [--part fit|check|all] [--worst 15] [--json OUT]

Pages, text dumps and scoring come from the dev set's own ``page_dump.py`` and ``score.py``
(imported, so the figures are the ones ``score.py`` prints for ``briefbot``), but every page is
cleaned by calling ``bot.sources.ingest.parse_bytes`` directly instead of a subprocess per page,
so a full run takes a minute or two (checked: on the first 6 readability and newspaper pages,
page by page, the same figures as ``score.py`` running ``.venv/bin/briefbot``, F1 0.944). Systems:

* ``raw``: the text dump unchanged;
* ``ours:txt``: the cleaner on the text dump (what ``briefbot ingest page.txt`` stores);
* ``trafilatura``: ``trafilatura.extract(html, include_comments=False)``, as score.py runs it;
* ``ours:html``: the cleaner on the HTML page.

A page the tool refuses counts as empty output (``failed``). Pages are split deterministically
into a FIT part (2/3) and a CHECK part (1/3) by a hash of the page id (:func:`part_of`); fitted
parameters (bench/fit_clean.py) only ever see FIT pages.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEVSET = ROOT.parent / "shared" / "devsets" / "cleaning"
sys.path.insert(0, str(ROOT))


def part_of(page_id: str) -> str:
    """``"check"`` for a third of the pages (by the SHA-1 of the id), else ``"fit"``."""
    return "check" if int(hashlib.sha1(page_id.encode()).hexdigest(), 16) % 3 == 0 else "fit"


def _selects(part: str, kind: str) -> Callable[[dict], bool]:
    """A filter for the pages of one split part with one kind of gold truth."""
    return lambda p: p["part"] == part and p["truth_kind"] == kind


def devset_scorer() -> Any:
    """The dev set's score.py as a module (it also puts page_dump.py on the path)."""
    if not (DEVSET / "score.py").is_file():
        raise SystemExit(f"dev set not found: {DEVSET}")
    sys.path.insert(0, str(DEVSET))
    import score

    return score


def load_pages(sets: list[str], limit: int | None, part: str = "all") -> list[dict]:
    """Manifest pages (with dump and truth) of the chosen sets and part."""
    pages = devset_scorer().load_pages(sets, limit)
    for page in pages:
        page["part"] = part_of(page["id"])
    return [p for p in pages if part in ("all", p["part"])]


def ours(kind: str) -> Callable[[dict], tuple[str, bool]]:
    """The tool's stored text for one page (``""``, True when it refuses the page)."""
    from bot.sources.ingest import parse_bytes
    from summarizer.errors import InputError

    def run(page: dict) -> tuple[str, bool]:
        data = page["dump"].encode("utf-8") if kind == "txt" else page["html_bytes"]
        try:
            return parse_bytes(data, kind, f"{page['id']}.{kind}").text, False
        except InputError:
            return "", True

    return run


def trafilatura_text(page: dict) -> tuple[str, bool]:
    """trafilatura's own extraction, as score.py's baseline runs it."""
    import trafilatura

    return trafilatura.extract(page["html_text"], include_comments=False) or "", False


def run_system(name: str, pages: list[dict]) -> tuple[list[str], list[bool], float]:
    """Texts, refusals and seconds of one system over the pages."""
    fn: Callable[[dict], tuple[str, bool]] = {
        "raw": lambda p: (p["dump"], False),
        "ours:txt": ours("txt"),
        "ours:html": ours("html"),
        "trafilatura": trafilatura_text,
    }[name]
    start = time.perf_counter()
    results = [fn(p) for p in pages]
    return [t for t, _ in results], [f for _, f in results], time.perf_counter() - start


def evaluate(systems: list[str], pages: list[dict], worst: int = 0) -> dict:
    """Figures per system, part and set (score.py's aggregate), plus the worst pages."""
    score = devset_scorer()
    groups: list[tuple[str, str, Callable[[dict], bool]]] = []
    for part in ("fit", "check"):
        groups.append((part, "text", _selects(part, "text")))
        groups.append((part, "snippets", _selects(part, "snippets")))
    groups.append(("all", "text", lambda p: p["truth_kind"] == "text"))
    rows, worst_pages = [], {}
    for system in systems:
        texts, failed, secs = run_system(system, pages)
        print(f"[{system}] {len(pages)} pages in {secs:.1f}s", file=sys.stderr)
        scores = [score.score_page(p, t) for p, t in zip(pages, texts, strict=True)]
        for part, kind, keep in groups:
            idx = [i for i, p in enumerate(pages) if keep(p)]
            if not idx:
                continue
            agg = score.aggregate([texts[i] for i in idx], [scores[i] for i in idx])
            rows.append({"system": system, "part": part, "truth": kind, "failed": sum(failed[i] for i in idx), **agg})
        if worst and system.startswith("ours"):
            worst_pages[system] = score.worst_pages(pages, texts, scores, worst)
    return {"rows": rows, "worst": worst_pages}


def table(rows: list[dict]) -> str:
    """The figures as an aligned text table."""
    cols = ["system", "part", "truth", "pages", "failed", "precision", "recall", "f1", "with_kept", "without_removed"]

    def fmt(v: object) -> str:
        return "-" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)

    cells = [[fmt(r.get(c)) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) if i < 3 else v.rjust(w) for i, (v, w) in enumerate(zip(row, widths, strict=True))) for row in cells]
    return "\n".join(lines)


def main() -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="readability,newspaper,trafilatura")
    ap.add_argument("--limit", type=int, help="only the first N pages of each set")
    ap.add_argument("--part", choices=("fit", "check", "all"), default="all")
    ap.add_argument("--no-html", action="store_true", help="skip the HTML systems (trafilatura, ours:html)")
    ap.add_argument("--systems", help="comma-separated subset of raw,ours:txt,trafilatura,ours:html")
    ap.add_argument("--worst", type=int, default=0, help="list the N worst pages of our systems")
    ap.add_argument("--json", type=Path, help="write the figures as JSON here")
    args = ap.parse_args()
    pages = load_pages([s for s in args.sets.split(",") if s], args.limit, args.part)
    systems = ["raw", "ours:txt"] + ([] if args.no_html else ["trafilatura", "ours:html"])
    if args.systems:
        systems = args.systems.split(",")
    figures = evaluate(systems, pages, args.worst)
    print(table(figures["rows"]))
    for system, rows in figures["worst"].items():
        print(f"\nworst pages, {system}")
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
