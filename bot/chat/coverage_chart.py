"""The coverage chart of a story: one row per outlet, a mark per article over time, the first
report of each outlet labelled. A PNG made with matplotlib's Agg canvas (no display, no pyplot
state), imported only when a chart is drawn."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from summarizer.brief.since import article_time
from summarizer.models import Article
from summarizer.nlp.text import fold

MAX_ROWS = 20  # outlets shown; the rest are summed up in a note
LABEL_CHARS = 34


@dataclass(frozen=True)
class Row:
    """One outlet's coverage: its articles' times (oldest first) and first headline."""

    outlet: str
    times: tuple[datetime, ...]
    first_title: str


def coverage_rows(articles: Sequence[Article]) -> tuple[list[Row], int]:
    """Rows by first report (earliest first) and how many articles had no date."""
    by_outlet: dict[str, list[tuple[datetime, Article]]] = {}
    undated = 0
    for a in articles:
        t = article_time(a)
        if t is None:
            undated += 1
            continue
        name = a.outlet.strip() or "Unknown outlet"
        by_outlet.setdefault(fold(name), []).append((t.astimezone(UTC), a))
    rows = []
    for items in by_outlet.values():
        items.sort(key=lambda p: (p[0], p[1].id))
        first = items[0][1]
        rows.append(
            Row(first.outlet.strip() or "Unknown outlet", tuple(t for t, _ in items), first.title)
        )
    rows.sort(key=lambda r: (r.times[0], fold(r.outlet)))
    return rows, undated


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _num(t: datetime) -> float:
    """matplotlib's date number: days since its default epoch, 1970-01-01 UTC."""
    return t.timestamp() / 86400.0


def render_chart(title: str, articles: Sequence[Article]) -> bytes:
    """The chart as PNG bytes (ValueError when no article has a date)."""
    from matplotlib import dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows, undated = coverage_rows(articles)
    if not rows:
        raise ValueError("no article of this story has a date")
    hidden = rows[MAX_ROWS:]
    rows = rows[:MAX_ROWS]
    height = 1.5 + 0.62 * len(rows)
    fig = Figure(figsize=(8.0, height), dpi=150)
    heading = textwrap.wrap(title, 60)[:2]
    top = 1 - (0.2 + 0.25 * len(heading)) / height
    fig.subplots_adjust(left=0.2, right=0.97, top=top, bottom=0.62 / height)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    first_all = min(r.times[0] for r in rows)
    last_all = max(r.times[-1] for r in rows)
    lo, hi = _num(first_all), _num(last_all)
    firsts: list[tuple[float, int]] = []
    for y, row in enumerate(rows):
        xs = [_num(t) for t in row.times]
        ys = [y] * len(xs)
        ax.plot(
            xs,
            ys,
            "-o",
            color="#9aa5b1",
            linewidth=1.2,
            markersize=8,
            zorder=1,
            markerfacecolor="#1f6feb",
            markeredgecolor="#1f6feb",
        )
        firsts.append((xs[0], y))
        label = f"{row.times[0]:%d %b %H:%M}  {_short(row.first_title, LABEL_CHARS)}"
        right = (xs[0] - lo) > 0.55 * (hi - lo)  # late first reports label leftwards
        ax.annotate(
            label,
            (xs[0], y),
            xytext=(6 if right else -6, 9),
            textcoords="offset points",
            ha="right" if right else "left",
            fontsize=8.5,
            color="#24292f",
        )
    ax.plot(
        [x for x, _ in firsts],
        [y for _, y in firsts],
        "o",
        color="#d1242f",
        markersize=11,
        zorder=3,
    )
    ax.set_yticks(range(len(rows)), [_short(r.outlet, 22) for r in rows], fontsize=10)
    ax.set_ylim(len(rows) - 0.4, -0.8)
    span = max((last_all - first_all).total_seconds(), 3600.0) / 86400.0  # in days
    ax.set_xlim(lo - span * 0.06, hi + span * 0.06)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6, tz=UTC)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(
        mdates.ConciseDateFormatter(locator, tz=UTC)  # type: ignore[no-untyped-call]
    )
    ax.xaxis.get_offset_text().set_visible(False)  # each label names its day
    ax.tick_params(axis="x", labelsize=9)
    ax.grid(axis="x", color="#eaeef2")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title("\n".join(heading), fontsize=12, loc="left")
    notes = [
        f"{sum(len(r.times) for r in rows)} articles · {len(rows)} outlets · times UTC",
        "red: first report",
    ]
    if hidden:
        notes.append(f"+{len(hidden)} more outlets")
    if undated:
        notes.append(f"{undated} undated not shown")
    ax.set_xlabel(" · ".join(notes), fontsize=9, color="#57606a")
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
