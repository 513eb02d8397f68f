"""Quote extraction quality: recall, precision and speaker accuracy over annotated articles.

Usage: python bench/eval_quotes.py [-v]
Reads tests/fixtures/quotes/*.json ({"text", "quotes": [{"text", "speaker"}]}) and, when
../shared/seeds exists, the seed articles annotated in bench/seed_quotes.json. Also times
extract_quotes on a ~5 KB article.
"""

from __future__ import annotations

import json
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.quotes.extract import extract_quotes  # noqa: E402
from summarizer.quotes.merge import wording_key  # noqa: E402
from summarizer.quotes.speakers import same_person  # noqa: E402

Gold = list[dict[str, str]]


def _match(a: str, b: str) -> bool:
    ka, kb = wording_key(a), wording_key(b)
    if ka == kb or (min(len(ka), len(kb)) > 8 and (ka in kb or kb in ka)):
        return True
    return SequenceMatcher(None, ka, kb, autojunk=False).ratio() >= 0.85


def _same_speaker(pred: str, gold: str) -> bool:
    return (not pred and not gold) or bool(pred and gold and same_person(pred, gold))


def score(text: str, gold: Gold, name: str, verbose: bool) -> tuple[int, int, int, int]:
    """(matched, predicted, gold, speaker-correct) for one article."""
    pred = extract_quotes(text)
    used: set[int] = set()
    matched = correct = 0
    for g in gold:
        hit = next((i for i, q in enumerate(pred) if i not in used and _match(q.text, g["text"])),
                   None)
        if hit is None:
            if verbose:
                print(f"  MISS {name}: {g['text'][:70]!r} ({g['speaker']})")
            continue
        used.add(hit)
        matched += 1
        if _same_speaker(pred[hit].speaker, g["speaker"]):
            correct += 1
        elif verbose:
            print(f"  SPKR {name}: {g['text'][:50]!r} gold={g['speaker']!r} got={pred[hit].speaker!r}")
    if verbose:
        for i, q in enumerate(pred):
            if i not in used:
                print(f"  EXTRA {name}: {q.text[:70]!r} ({q.speaker})")
    return matched, len(pred), len(gold), correct


def _strip_front_matter(text: str) -> str:
    if text.startswith("---"):
        parts = text.split("---", 2)
        return parts[2] if len(parts) == 3 else text
    return text


def report(label: str, cases: list[tuple[str, str, Gold]], verbose: bool) -> None:
    """Print the figures for one set of annotated articles."""
    m = p = g = c = 0
    for name, text, gold in cases:
        dm, dp, dg, dc = score(text, gold, name, verbose)
        m, p, g, c = m + dm, p + dp, g + dg, c + dc
    print(f"{label}: articles={len(cases)} gold={g} predicted={p} "
          f"recall={m / max(g, 1):.3f} precision={m / max(p, 1):.3f} "
          f"speaker_accuracy={c / max(m, 1):.3f}")


def timing(text: str) -> None:
    """Mean extract_quotes time on a text of about 5 KB."""
    body = (text * (5000 // max(len(text), 1) + 1))[:5000]
    body = body[: body.rfind("\n\n")] if "\n\n" in body else body
    extract_quotes(body)
    runs = 200
    t0 = time.perf_counter()
    for _ in range(runs):
        extract_quotes(body)
    ms = (time.perf_counter() - t0) / runs * 1000
    print(f"timing: extract_quotes on {len(body)} chars: {ms:.2f} ms")


def main() -> None:
    """Evaluate fixtures and seeds."""
    verbose = "-v" in sys.argv
    fixtures = []
    for path in sorted((ROOT / "tests" / "fixtures" / "quotes").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        fixtures.append((path.stem, data["text"], data["quotes"]))
    report("fixtures", fixtures, verbose)
    seeds_dir = ROOT.parent / "shared" / "seeds"
    gold_path = ROOT / "bench" / "seed_quotes.json"
    if seeds_dir.is_dir() and gold_path.exists():
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        seeds = [(n, _strip_front_matter((seeds_dir / n).read_text(encoding="utf-8")), q)
                 for n, q in sorted(gold.items()) if (seeds_dir / n).exists()]
        report("seeds", seeds, verbose)
    if fixtures:
        timing("\n\n".join(t for _, t, _ in fixtures))


if __name__ == "__main__":
    main()
