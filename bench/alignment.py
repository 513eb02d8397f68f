"""Honesty metrics of briefings against a hand-made fact alignment (the seeds' devset format).

The alignment lists every sentence of every article with its main fact (``fact``), other facts
a compound sentence also states (``also``) and the outlets carrying each fact. A briefing
sentence is mapped back to the alignment sentences it was cut from (verbatim, so word-level
containment finds them); its facts are theirs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.models import Briefing

_WORD_RE = re.compile(r"[a-z0-9]+")


_LINK_TARGET_RE = re.compile(r"\]\([^)\s]*\)")


def norm_words(text: str) -> list[str]:
    """Lower-case alphanumeric words, quotes and apostrophes folded away; a markdown link's
    target is not part of the sentence ("[NBC](https://...)" reads "NBC", as the cleaner
    renders it)."""
    text = _LINK_TARGET_RE.sub("]", text)
    text = text.lower().replace("\u2019", "'").replace("'", "")
    return _WORD_RE.findall(text)


@dataclass(frozen=True)
class AlignedSentence:
    """One sentence of the alignment."""

    article: str
    outlet: str
    index: int
    text: str
    fact: str
    also: tuple[str, ...]
    clutter: bool
    words: tuple[str, ...]

    @property
    def facts(self) -> frozenset[str]:
        """Main fact plus the facts it also states."""
        return frozenset((self.fact, *self.also))


@dataclass
class Event:
    """One aligned event: its sentences and which outlets carry each fact."""

    id: str
    sentences: list[AlignedSentence]
    carriers: dict[str, frozenset[str]] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)  # article key -> relative path

    def subset(self, keys: set[str]) -> Event:
        """The event as told by some of its articles only (carriers recomputed)."""
        sents = [s for s in self.sentences if s.article in keys]
        carriers: dict[str, set[str]] = {}
        for s in sents:
            if not s.clutter:
                for f in s.facts:
                    carriers.setdefault(f, set()).add(s.outlet)
        return Event(
            id=self.id,
            sentences=sents,
            carriers={f: frozenset(o) for f, o in carriers.items()},
            paths={k: v for k, v in self.paths.items() if k in keys},
        )

    def outlets_of(self, facts: frozenset[str]) -> frozenset[str]:
        """Outlets carrying any of the facts."""
        out: set[str] = set()
        for f in facts:
            out |= self.carriers.get(f, frozenset())
        return frozenset(out)

    def central_facts(self, first: int = 3) -> frozenset[str]:
        """Facts carried by the most outlets within their first ``first`` content sentences."""
        seen: dict[str, set[str]] = {}
        rank: dict[str, int] = {}
        for s in self.sentences:
            if s.clutter:
                continue
            rank[s.article] = rank.get(s.article, 0) + 1
            if rank[s.article] <= first:
                for f in s.facts:
                    seen.setdefault(f, set()).add(s.outlet)
        if not seen:
            return frozenset()
        top = max(len(v) for v in seen.values())
        return frozenset(f for f, v in seen.items() if len(v) == top)


def load_events(path: Path) -> list[Event]:
    """Every event of an alignment file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    events: list[Event] = []
    for ev in data["events"]:
        sents: list[AlignedSentence] = []
        paths: dict[str, str] = {}
        for art in ev["articles"]:
            paths[art["key"]] = art["path"]
            for s in art["sentences"]:
                sents.append(
                    AlignedSentence(
                        article=art["key"],
                        outlet=art["outlet"],
                        index=int(s["i"]),
                        text=s["text"],
                        fact=s["fact"],
                        also=tuple(s.get("also", ())),
                        clutter=bool(s.get("clutter", False)),
                        words=tuple(norm_words(s["text"])),
                    )
                )
        carriers: dict[str, set[str]] = {}
        for s in sents:
            if s.clutter:
                continue
            for f in s.facts:
                carriers.setdefault(f, set()).add(s.outlet)
        events.append(
            Event(
                id=ev["id"],
                sentences=sents,
                carriers={f: frozenset(o) for f, o in carriers.items()},
                paths=paths,
            )
        )
    return events


def _contains(big: Sequence[str], small: Sequence[str]) -> bool:
    n = len(small)
    if n == 0 or n > len(big):
        return False
    first = small[0]
    return any(
        big[i] == first and tuple(big[i : i + n]) == tuple(small) for i in range(len(big) - n + 1)
    )


def match(event: Event, text: str) -> list[AlignedSentence]:
    """The alignment sentences (of one article) a briefing sentence was cut from (a subject
    replaced by "[Name]" is matched on the longest verbatim piece)."""
    target = norm_words(max(re.split(r"\[[^\]]*\]", text), key=len))
    best: list[AlignedSentence] = []
    best_cover = 0
    by_article: dict[str, list[AlignedSentence]] = {}
    for s in event.sentences:
        if not s.clutter and len(s.words) >= 3:
            by_article.setdefault(s.article, []).append(s)
    for _, sents in sorted(by_article.items()):
        hits = [s for s in sents if _contains(target, s.words) or _contains(s.words, target)]
        cover = sum(min(len(s.words), len(target)) for s in hits)
        if cover > best_cover:
            best, best_cover = hits, cover
    return best


@dataclass
class Report:
    """Counts over briefings (add several with ``add``)."""

    credits_listed: int = 0
    credits_true: int = 0
    carriers_total: int = 0
    carriers_found: int = 0
    only_claims: int = 0
    only_true: int = 0
    redundant: int = 0
    overlapping: int = 0
    unmatched: int = 0
    leads: int = 0
    leads_central: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One summary line."""
        p = self.credits_true / self.credits_listed if self.credits_listed else 1.0
        r = self.carriers_found / self.carriers_total if self.carriers_total else 1.0
        o = self.only_true / self.only_claims if self.only_claims else 1.0
        return (
            f"credit P {p:.3f} R {r:.3f} | only-X {self.only_true}/{self.only_claims} "
            f"(P {o:.2f}) | redundant {self.redundant} (+{self.overlapping} partial) | "
            f"lead central {self.leads_central}/{self.leads} | unmatched {self.unmatched}"
        )


def score_briefing(event: Event, briefing: Briefing, report: Report) -> None:
    """Add one briefing's credits, "only X" claims, redundancy and lead to the report."""
    facts_of: list[tuple[str, frozenset[str]]] = []
    for s in briefing.sentences:
        hits = match(event, s.text)
        if not hits:
            report.unmatched += 1
            report.problems.append(f"unmatched: {s.text[:80]}")
            continue
        main = max(hits, key=lambda h: len(h.words)).fact
        facts = frozenset().union(*(h.facts for h in hits))
        facts_of.append((main, facts))
        true = event.outlets_of(facts)
        listed = set(s.outlets)
        report.credits_listed += len(listed)
        report.credits_true += len(listed & true)
        must = event.carriers.get(main, frozenset())
        report.carriers_total += len(must)
        report.carriers_found += len(listed & must)
        for o in sorted(listed - true):
            report.problems.append(f"false credit {o}: {s.text[:70]}")
        for o in sorted(must - listed):
            report.problems.append(f"missed credit {o} [{main}]: {s.text[:70]}")
    for i in range(len(facts_of)):
        for j in range(i + 1, len(facts_of)):
            (mi, fi), (mj, fj) = facts_of[i], facts_of[j]
            if mi == mj:
                report.redundant += 1
                report.problems.append(f"redundant [{mi}] sentences {i} and {j}")
            elif mi in fj or mj in fi:
                report.overlapping += 1
    if facts_of:
        report.leads += 1
        central = event.central_facts()
        if facts_of[0][1] & central:
            report.leads_central += 1
        else:
            report.problems.append(f"lead not central ({sorted(central)})")
    for s in briefing.exclusives:
        hits = match(event, s.text)
        report.only_claims += 1
        if not hits:
            report.problems.append(f"only-X unmatched: {s.text[:70]}")
            continue
        main = max(hits, key=lambda h: len(h.words)).fact
        if event.carriers.get(main, frozenset()) == frozenset(s.outlets):
            report.only_true += 1
        else:
            others = sorted(event.carriers.get(main, frozenset()) - set(s.outlets))
            report.problems.append(f"false only-{s.outlets} [{main}] also {others}: {s.text[:60]}")
        for _, fx in facts_of:
            if main in fx:
                report.redundant += 1
                report.problems.append(f"only-X repeats a briefing sentence [{main}]")


def same_fact_pairs(
    event: Event, items: Sequence[tuple[str, int]]
) -> tuple[int, int, int]:
    """(true positives, predicted pairs, gold pairs) of "same fact" over (text, group) items,
    counting pairs of sentences from different outlets only."""
    labelled: list[tuple[str, frozenset[str], str, int]] = []
    for text, group in items:
        hits = match(event, text)
        if hits:
            h = max(hits, key=lambda h: len(h.words))
            labelled.append((h.fact, h.facts, h.outlet, group))
    tp = pred = gold = 0
    for i in range(len(labelled)):
        for j in range(i + 1, len(labelled)):
            fi, _, oi, gi = labelled[i]
            fj, _, oj, gj = labelled[j]
            if oi == oj:
                continue  # one outlet's two renderings of an article agree trivially
            same_gold = fi == fj
            same_pred = gi == gj
            gold += same_gold
            pred += same_pred
            tp += same_gold and same_pred
    return tp, pred, gold
