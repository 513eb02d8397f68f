"""Generated test articles: many outlets covering one invented event in different words."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

from bot.chat.views import refresh_dirty
from bot.sources.ingest import IngestReport, ingest_paths
from bot.store import Store

SAMPLES = Path(__file__).resolve().parents[1] / "bot" / "samples"


def build_db(path: Path, *inputs: Path) -> list[IngestReport]:
    """A database of the sample articles plus ``inputs``, views cached, WAL checkpointed."""
    reports = []
    with Store(path) as store:
        for folder in (SAMPLES, *inputs):
            report = ingest_paths(store, [str(folder)])
            assert not report.errors, report.errors
            reports.append(report)
        refresh_dirty(store)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return reports

_SUBJECTS = ["The keepers", "Union officials", "The coastal agency", "Local fishermen", "Harbour pilots",
             "Town councillors", "The regional ombudsman", "Two former keepers", "Lifeboat volunteers",
             "The agency's chief engineer"]
_VERBS = ["warned", "argued", "insisted", "noted", "told reporters", "wrote in a letter", "said on Tuesday",
          "said in a statement", "told a public meeting", "conceded"]
_CLAIMS = [
    "that the automated lamp failed twice during January gales",
    "that a keeper on site saved a trawler crew in the storm of 2019",
    "that automation would save about 310,000 pounds a year",
    "that the light at Cape Morrow guides forty vessels a night in winter",
    "that the backup generator has not been serviced since spring",
    "that the strike ballot passed with 87 percent support",
    "that talks with the ministry stalled over night-shift staffing",
    "that the fog signal would be switched off under the new plan",
    "that insurers asked for a human watch during hurricane season",
    "that the tower's stone stairway needs urgent repairs",
    "that the sea lane past the cape was widened last year",
    "that two neighbouring lights were automated without incident",
    "that satellite monitoring cannot see a dead battery bank",
    "that the keepers' cottage could become a museum",
    "that a helicopter crew relies on the light for night landings",
]


def lighthouse_articles(n: int, seed: int = 7) -> list[tuple[str, str]]:
    """``n`` distinct articles (file name, text) about one invented lighthouse strike."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        outlet = f"Coastline Courier {i + 1}"
        claims = rng.sample(_CLAIMS, 6)
        paras = [
            f"Lighthouse keepers at Cape Morrow vote to strike over automation plan, "
            f"{outlet} reports from the harbour of Port Selkie ({i + 1})",
            f"By Reporter{i + 1} Nolan",
            "The keepers of the Cape Morrow lighthouse voted on Monday to strike over the coastal "
            "agency's plan to automate the light and remove its last three keepers.",
        ]
        for claim in claims:
            paras.append(f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {claim}.")
        paras.append(f"© 2026 {outlet} Media Group")
        out.append((f"lighthouse-{i + 1:02d}.txt", "\n\n".join(paras) + "\n"))
    return out


def write_lighthouse(folder: Path, n: int) -> list[Path]:
    """Write ``n`` lighthouse articles into a folder."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in lighthouse_articles(n):
        p = folder / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def within_one_day(start: datetime, step: timedelta, n: int) -> list[datetime]:
    """``n`` publication times from ``start`` every ``step``, kept on ``start``'s UTC day, so that
    articles which say "on Monday" all read the same day even when the suite runs near midnight."""
    day_end = start.replace(hour=23, minute=59, second=59, microsecond=0)
    return [min(start + i * step, day_end) for i in range(n)]
