"""An invented story told in three waves, for follow, update and filter tests.

Wave 1 (two outlets) reports the ferry strike; wave 2 adds a new outlet with a new fact (the
ministry's offer) and a repeat of an old fact; wave 3 only repeats what was known; wave 4 brings another new outlet and the vote's result.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from summarizer.models import Article

T0 = datetime(2026, 5, 11, 8, 0, tzinfo=UTC)

_WAVES: list[list[tuple[str, str, str]]] = [
    [
        (
            "Lakeport Courier",
            "Ferry crews in Lakeport walk out over rota changes",
            "Ferry crews in Lakeport walked out on Monday morning over new rota changes, halting "
            "every crossing to Brannock Island. The union said 240 deckhands and engineers joined "
            "the strike. Commuters queued for hours at the Lakeport terminal before the operator "
            "cancelled the remaining sailings.",
        ),
        (
            "Island Herald",
            "Brannock Island cut off as Lakeport ferry strike begins",
            "Brannock Island was cut off on Monday after ferry crews in Lakeport went on strike "
            "over rota changes. About 240 deckhands and engineers stopped work, the union said. "
            "Shops on the island warned that fresh food deliveries would run out within three days.",
        ),
    ],
    [
        (
            "Northshore Daily",
            "Ministry offers ferry union a bonus to end Lakeport strike",
            "The transport ministry offered the ferry union a one-off bonus of 1,500 euros per crew "
            "member. Union leader Marta Olsen said members would vote on the offer on Thursday. The strike by 240 deckhands and engineers had halted every "
            "crossing to Brannock Island.",
        ),
    ],
    [
        (
            "Lakeport Courier",
            "Lakeport ferry strike halts Brannock crossings",
            "Ferry crews in Lakeport are on strike over rota changes, halting every crossing to "
            "Brannock Island. About 240 deckhands and engineers joined the strike, the union said.",
        ),
    ],
    [
        (
            "Harbour Monitor",
            "Lakeport ferry crews accept bonus, crossings resume",
            "The Lakeport ferry strike by 240 deckhands and engineers over rota changes is over. "
            "Crews voted 180 to 52 on Thursday to accept the offer. The first boat to Brannock "
            "Island left at noon, and island shopkeepers said shelves would be restocked by the "
            "weekend.",
        ),
    ],
]


def wave_time(wave: int) -> datetime:
    """When wave ``wave`` (0 to 3) was published: six hours apart."""
    return T0 + timedelta(hours=6 * wave)


def articles(waves: int = 4) -> list[Article]:
    """The first ``waves`` waves as Article values (ids from 1, published per wave)."""
    out: list[Article] = []
    for w, wave in enumerate(_WAVES[:waves]):
        for outlet, title, body in wave:
            out.append(
                Article(
                    id=len(out) + 1, title=title, text=body, outlet=outlet, published=wave_time(w)
                )
            )
    return out


def write_wave(folder: Path, wave: int, when: datetime | None = None) -> list[Path]:
    """Write wave ``wave`` as front-matter files (published ``when``, default its wave time)."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (when or wave_time(wave)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    paths = []
    for k, (outlet, title, body) in enumerate(_WAVES[wave]):
        p = folder / f"ferry-{wave}-{k}.md"
        p.write_text(
            f'---\ntitle: "{title}"\ndate: "{stamp}"\nsource: "{outlet}"\n'
            f'url: "https://{outlet.lower().replace(" ", "")}.example/ferry-{wave}-{k}"\n---\n\n'
            f"{body}\n",
            encoding="utf-8",
        )
        paths.append(p)
    return paths
