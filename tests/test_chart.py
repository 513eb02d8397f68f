"""The coverage chart: rows per outlet by first report, a PNG, `briefbot chart`, fast enough."""

from __future__ import annotations

import json
import struct
import time
from datetime import timedelta
from pathlib import Path

from cli_runner import run_cli
from follow_corpus import T0, articles, write_wave

from bot.chat.coverage_chart import coverage_rows, render_chart
from summarizer.models import Article


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_rows_are_outlets_by_first_report() -> None:
    arts = [*articles(4), Article(id=99, title="No date", text="x", outlet="Nowhere Wire")]
    rows, undated = coverage_rows(arts)
    assert [r.outlet for r in rows] == [
        "Island Herald",
        "Lakeport Courier",
        "Northshore Daily",
        "Harbour Monitor",
    ]
    courier = rows[1]
    assert len(courier.times) == 2 and courier.first_title.startswith("Ferry crews")
    assert undated == 1


def test_png_is_phone_sized_and_quick() -> None:
    render_chart("warm-up", articles(1))  # the first call imports matplotlib
    many = [
        Article(
            id=k,
            title=f"Headline {k} of a long running story about the ferry strike",
            text="x",
            outlet=f"Outlet {k % 12}",
            published=T0 + timedelta(minutes=37 * k),
        )
        for k in range(60)
    ]
    start = time.process_time()
    png = render_chart("A story covered by twelve outlets over two days", many)
    cpu = time.process_time() - start
    width, height = png_size(png)
    assert width == 1200 and 600 <= height <= 2400  # 8 in at 150 dpi: sharp on a phone
    assert cpu < 1.5, cpu  # typically 0.2-0.4 s; generous for a loaded machine


def test_no_dated_article_is_a_clear_error(tmp_path: Path) -> None:
    try:
        render_chart("x", [Article(id=1, title="t", text="x", outlet="o")])
    except ValueError as exc:
        assert "no article" in str(exc)
    else:
        raise AssertionError("expected ValueError")


def test_cli_chart(tmp_path: Path) -> None:
    for w in range(2):
        write_wave(tmp_path / "in", w)
    db = str(tmp_path / "c.db")
    assert run_cli(tmp_path, "--db", db, "ingest", "in").returncode == 0
    r = run_cli(tmp_path, "--db", db, "chart", "1", "--out", "c.png", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["out"] == "c.png"
    assert png_size((tmp_path / "c.png").read_bytes())[0] == 1200
    missing = run_cli(tmp_path, "--db", db, "chart", "7", "--out", "c.png")
    assert missing.returncode == 2 and "no story 7" in missing.stderr
    bad = run_cli(tmp_path, "--db", db, "chart", "1", "--out", "nodir/c.png")
    assert bad.returncode == 2 and "cannot write" in bad.stderr
