"""Dates without a zone stay zone-less from the page to ``article --json``; stated zones are kept."""

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from cli_runner import run_cli

from summarizer.clean.cleaner import clean_document
from summarizer.read.dates import (
    UNKNOWN_ZONE,
    date_iso,
    from_iso,
    parse_date,
    zone_known,
    zone_label,
)

BODY = (
    "The river authority opened its new flood barrier on the east bank after three years of work.",
    "Engineers said the barrier can hold back water two metres above the worst flood on record.",
    "Residents of the low streets near the quay had waited for the barrier since the 2019 floods.",
)


def _page(stamp: str) -> str:
    return "\n".join(
        ["River authority opens the east bank flood barrier", "By Ilse Marchetti", stamp, "", *BODY]
    )


def test_a_dateline_without_a_zone_is_not_utc() -> None:
    doc = clean_document(_page("Published: 12:00, March 3, 2025"), "txt", "barrier.txt")
    assert doc.published is not None
    assert not zone_known(doc.published)
    assert date_iso(doc.published) == "2025-03-03T12:00:00"
    assert zone_label(doc.published) == "unknown"


def test_a_dateline_with_a_zone_keeps_it() -> None:
    doc = clean_document(_page("Published: 12:00 EST, March 3, 2025"), "txt", "barrier.txt")
    assert doc.published is not None and zone_known(doc.published)
    assert date_iso(doc.published) == "2025-03-03T12:00:00-05:00"
    assert zone_label(doc.published) == "stated"


def test_zone_less_dates_sort_and_compare_with_aware_ones() -> None:
    naive = parse_date("2025-03-03 12:00")
    assert naive is not None and naive.tzinfo is UNKNOWN_ZONE
    earlier = datetime(2025, 3, 3, 11, 0, tzinfo=UTC)
    later = datetime(2025, 3, 3, 9, 0, tzinfo=timezone(timedelta(hours=-5)))  # 14:00 UTC
    assert sorted([later, naive, earlier]) == [earlier, naive, later]
    assert (later - naive).total_seconds() == 7200
    assert naive.astimezone(UTC) == datetime(2025, 3, 3, 12, 0, tzinfo=UTC)


def test_unknown_zone_survives_pickling_and_storage_text() -> None:
    naive = parse_date("March 3, 2025")
    assert naive is not None
    copy = pickle.loads(pickle.dumps(naive))  # CleanDoc crosses a worker-process boundary
    assert copy.tzinfo is UNKNOWN_ZONE
    assert from_iso(date_iso(naive)) == naive and not zone_known(from_iso(date_iso(naive)) or naive)
    stated = datetime(2025, 3, 3, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    back = from_iso(date_iso(stated))
    assert back == stated and back is not None and zone_known(back)
    assert from_iso("") is None and from_iso("not a date") is None
    assert zone_label(None) is None and date_iso(None) is None


def test_article_json_says_when_the_zone_is_unknown(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(_page("Published: 12:00, March 3, 2025"), encoding="utf-8")
    body = "\n".join(BODY).replace("river authority", "harbour board").replace("barrier", "wall")
    (tmp_path / "b.txt").write_text(
        "\n".join(
            [
                "Harbour board finishes the sea wall",
                "Published: 2025-03-04T08:30:00+01:00",
                "",
                body,
            ]
        ),
        encoding="utf-8",
    )
    ingest = run_cli(tmp_path, "--db", "t.db", "ingest", "--json", "a.txt", "b.txt")
    assert ingest.returncode == 0, ingest.stderr
    ids = {Path(r["input"]).name: r["id"] for r in json.loads(ingest.stdout)["ingested"]}
    first = json.loads(
        run_cli(tmp_path, "--db", "t.db", "article", str(ids["a.txt"]), "--json").stdout
    )
    assert first["published"] == "2025-03-03T12:00:00"
    assert first["published_zone"] == "unknown"
    second = json.loads(
        run_cli(tmp_path, "--db", "t.db", "article", str(ids["b.txt"]), "--json").stdout
    )
    assert second["published"] == "2025-03-04T08:30:00+01:00"
    assert second["published_zone"] == "stated"
    story = first["story_id"]
    sources = json.loads(run_cli(tmp_path, "--db", "t.db", "sources", str(story), "--json").stdout)
    zones = {s["article_id"]: (s["published"], s["published_zone"]) for s in sources["sources"]}
    assert zones[ids["a.txt"]] == ("2025-03-03T12:00:00", "unknown")


def _rss(stamp: str) -> bytes:
    return (
        "<rss version='2.0'><channel><title>Valley Wire</title><item><title>Pier reopens</title>"
        f"<link>https://valleywire.example/pier</link><pubDate>{stamp}</pubDate></item></channel></rss>"
    ).encode()


def test_feed_dates_without_a_zone_are_not_utc() -> None:
    from summarizer.read.feeds import parse_feed

    for stamp in ("Mon, 03 Mar 2025 12:00:00", "2025-03-03T12:00:00"):
        (entry,) = parse_feed(_rss(stamp), "https://valleywire.example/feed").entries
        assert entry.published is not None and not zone_known(entry.published), stamp
        assert date_iso(entry.published) == "2025-03-03T12:00:00"
    (entry,) = parse_feed(
        _rss("Mon, 03 Mar 2025 12:00:00 +0200"), "https://valleywire.example/feed"
    ).entries
    assert entry.published == datetime(2025, 3, 3, 10, 0, tzinfo=UTC) and zone_known(
        entry.published
    )


def test_the_human_article_view_does_not_label_a_zone_less_time_as_utc(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Quiet harbour reopens after the storm\nBy Ana Reyes\nPublished: 12:00, March 3, 2025\n\n"
        "The harbour at Lenwick reopened on Monday after three days of closure, the port office "
        "said in a statement on its website.\n\nShips waiting offshore began to enter the harbour "
        "in the early afternoon, and the ferry service will resume on Tuesday morning.\n",
        encoding="utf-8",
    )
    assert run_cli(tmp_path, "--db", "t.db", "ingest", "a.txt").returncode == 0
    shown = run_cli(tmp_path, "--db", "t.db", "article", "1").stdout
    assert "2025-03-03T12:00:00" in shown and "+00:00" not in shown
