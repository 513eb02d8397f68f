"""Quote extraction quality: recall, precision and speaker accuracy over annotated articles.

Usage: python bench/eval_quotes.py [-v] [--kinds]
Reads tests/fixtures/quotes/*.json ({"text", "quotes": [{"text", "speaker", "kind"?}]}):
the original fixtures (01-19) and the news-shaped fixtures (20+, one ERRORS.md category per
"kind"), split deterministically into FIT (develop on) and CHECK (measure only) by a hash of
the file name. When ../shared/seeds exists, also the seed articles annotated in
bench/seed_quotes.json. Speaker accuracy follows the scorer described in
../shared/devsets/quotes/ERRORS.md: the last word of the returned speaker equals the last word
of the gold name (possessive and Jr/Sr/II/III/PhD dropped), or the same person modulo a one-letter
slip (seeds spell names inconsistently); "lastword" is the bare last-word rule. "empty" counts matched quotes returned with no speaker. Also times extract_quotes.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import time
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.quotes.extract import extract_quotes  # noqa: E402
from summarizer.quotes.merge import wording_key  # noqa: E402
from summarizer.quotes.speakers import same_person  # noqa: E402

Gold = list[dict[str, object]]
_SUFFIXES = {"jr", "sr", "ii", "iii", "phd"}


def _match(pred: str, gold: str) -> bool:
    """The README scorer's match, or ERRORS.md's (gold words as one run of the quote)."""
    ka, kb = wording_key(pred), wording_key(gold)
    if ka == kb or (min(len(ka), len(kb)) > 8 and (ka in kb or kb in ka)):
        return True
    if kb and f" {kb} " in f" {ka} ":
        return True
    return SequenceMatcher(None, ka, kb, autojunk=False).ratio() >= 0.85


def last_word(name: str) -> str:
    """The scorer's key: last word, lower-cased, possessive and suffixes dropped."""
    words = [w for w in re.sub(r"[’']s\b|[.,]", " ", name.lower()).split() if w not in _SUFFIXES]
    return words[-1] if words else ""


def speaker_ok(pred: str, gold: str) -> bool:
    """ERRORS.md rule: the last words agree (an empty speaker is wrong unless the gold is empty,
    as in the original fixtures); a one-letter slip the article itself makes is accepted."""
    if not gold:
        return not pred
    return bool(pred) and (last_word(pred) == last_word(gold) or same_person(pred, gold))


def split_of(stem: str) -> str:
    """FIT or CHECK for a news-shaped fixture (first byte of sha1 of its name, even = FIT)."""
    return "fit" if hashlib.sha1(stem.encode()).digest()[0] % 2 == 0 else "check"


class Tally:
    """Counts for one set of articles."""

    def __init__(self) -> None:
        """Empty counts."""
        self.n = Counter[str]()
        self.kinds: dict[int, Counter[str]] = {}

    def line(self, label: str, articles: int) -> str:
        """One summary line."""
        n = self.n
        return (f"{label}: articles={articles} gold={n['gold']} predicted={n['pred']} "
                f"recall={n['match'] / max(n['gold'], 1):.3f} "
                f"precision={n['match'] / max(n['pred'], 1):.3f} "
                f"speaker_accuracy={n['ok'] / max(n['match'], 1):.3f} "
                f"lastword={n['strict'] / max(n['match'], 1):.3f} empty={n['empty']}")


def score(text: str, gold: Gold, name: str, tally: Tally, verbose: bool) -> None:
    """Add one article's counts to ``tally``."""
    pred = extract_quotes(text)
    used: set[int] = set()
    tally.n["pred"] += len(pred)
    tally.n["gold"] += len(gold)
    for g in gold:
        gtext, gspk = str(g["text"]), str(g["speaker"])
        kind = tally.kinds.setdefault(int(str(g.get("kind", 0))), Counter())
        kind["gold"] += 1
        hit = next((i for i, q in enumerate(pred) if i not in used and _match(q.text, gtext)), None)
        if hit is None:
            if verbose:
                print(f"  MISS {name}: {gtext[:70]!r} ({gspk})")
            continue
        used.add(hit)
        got = pred[hit].speaker
        tally.n["match"] += 1
        kind["match"] += 1
        tally.n["empty"] += not got
        tally.n["strict"] += bool(got) and last_word(got) == last_word(gspk)
        if speaker_ok(got, gspk):
            tally.n["ok"] += 1
            kind["ok"] += 1
        elif verbose:
            print(f"  SPKR {name}: {gtext[:50]!r} gold={gspk!r} got={got!r}")
    if verbose:
        for i, q in enumerate(pred):
            if i not in used:
                print(f"  EXTRA {name}: {q.text[:70]!r} ({q.speaker})")


def _strip_front_matter(text: str) -> str:
    """A seed file's body without its front matter."""
    if text.startswith("---"):
        parts = text.split("---", 2)
        return parts[2] if len(parts) == 3 else text
    return text


def report(label: str, cases: list[tuple[str, str, Gold]], verbose: bool, kinds: bool = False) -> Tally:
    """Print the figures for one set of annotated articles."""
    tally = Tally()
    for name, text, gold in cases:
        score(text, gold, name, tally, verbose)
    print(tally.line(label, len(cases)))
    if kinds:
        for k in sorted(tally.kinds):
            c = tally.kinds[k]
            print(f"    kind {k:2d}: gold={c['gold']:3d} matched={c['match']:3d} "
                  f"speaker_ok={c['ok']:3d} ({c['ok'] / max(c['match'], 1):.2f})")
    return tally


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


def load_fixtures() -> dict[str, list[tuple[str, str, Gold]]]:
    """Fixture articles by set: original, fit, check."""
    sets: dict[str, list[tuple[str, str, Gold]]] = {"original": [], "fit": [], "check": []}
    for path in sorted((ROOT / "tests" / "fixtures" / "quotes").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        key = "original" if int(path.stem[:2]) < 20 else split_of(path.stem)
        sets[key].append((path.stem, data["text"], data["quotes"]))
    return sets


def main() -> None:
    """Evaluate fixtures and seeds."""
    verbose = "-v" in sys.argv
    kinds = "--kinds" in sys.argv
    sets = load_fixtures()
    report("fixtures original", sets["original"], verbose)
    report("fixtures news FIT", sets["fit"], verbose, kinds)
    report("fixtures news CHECK", sets["check"], verbose, kinds)
    report("fixtures all", [c for s in sets.values() for c in s], False)
    seeds_dir = ROOT.parent / "shared" / "seeds"
    gold_path = ROOT / "bench" / "seed_quotes.json"
    if seeds_dir.is_dir() and gold_path.exists():
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        seeds = [(n, _strip_front_matter((seeds_dir / n).read_text(encoding="utf-8")), q)
                 for n, q in sorted(gold.items()) if (seeds_dir / n).exists()]
        report("seeds", seeds, verbose)
    every = [t for s in sets.values() for _, t, _ in s]
    if every:
        timing("\n\n".join(every))


if __name__ == "__main__":
    main()
