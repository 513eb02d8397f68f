"""Short real items are articles: stored whole and joined to their story; only input without
words of its own is refused."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import run_cli

from bot.store import Store

FLASH = (
    "VARNHOLM, June 9 (Wire) - The Varnholm port authority closed its container terminal on Monday "
    "after a crane collapsed onto a berth, a spokeswoman said; nobody was hurt in the accident."
)
STORY = (
    "The Varnholm port authority closed its container terminal on Monday after a crane collapsed "
    "onto a berth during unloading.",
    "A spokeswoman said nobody was hurt, but ships due this week would be sent to the northern "
    "quay while inspectors examine the remaining cranes.",
    "The terminal handles about a third of the port's container traffic, and shipping agents said "
    "the closure could last until the end of the month.",
    "Inspectors from the national safety board arrived on Tuesday morning and began questioning "
    "the crane operators and the maintenance contractor.",
)


def test_thirty_word_wire_flash_is_stored_whole_and_joins_its_story(tmp_path: Path) -> None:
    assert 28 <= len(FLASH.split()) <= 32
    (tmp_path / "story.txt").write_text(
        "Crane collapse shuts Varnholm container terminal\n\n" + "\n\n".join(STORY),
        encoding="utf-8",
    )
    (tmp_path / "flash.txt").write_text(FLASH, encoding="utf-8")
    (tmp_path / "menu.txt").write_text("Home\nNews\nSport\n\nShare\nTweet\nEmail", encoding="utf-8")
    result = run_cli(
        tmp_path, "--db", "t.db", "ingest", "--json", "story.txt", "flash.txt", "menu.txt"
    )
    report = json.loads(result.stdout)
    ids = {Path(r["input"]).name: r for r in report["ingested"]}
    assert set(ids) == {"story.txt", "flash.txt"}
    assert [Path(e["input"]).name for e in report["errors"]] == ["menu.txt"]
    with Store(tmp_path / "t.db") as store:
        flash = store.article(ids["flash.txt"]["id"])
        story = store.article(ids["story.txt"]["id"])
    assert flash is not None and story is not None
    assert flash.text == FLASH
    assert flash.short  # coverage, never briefing text
    assert not story.short
    assert ids["flash.txt"]["story_id"] == ids["story.txt"]["story_id"]
