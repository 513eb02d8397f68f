"""What is new in a story: `story_update` on invented articles and `briefbot brief --since`."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import run_cli
from follow_corpus import T0, articles, wave_time, write_wave

from summarizer.brief.since import after, story_update


def test_only_facts_first_reported_after_the_time() -> None:
    update = story_update(1, "Ferry strike", articles(2), after(wave_time(0)))
    texts = " ".join(s.text for s in update.sentences)
    assert "1,500 euros" in texts  # the new fact
    assert "240 deckhands" not in texts  # restated, but wave 1 reported it first
    assert all(s.outlets == ("Northshore Daily",) for s in update.sentences)
    assert [f.outlet for f in update.new_outlets] == ["Northshore Daily"]
    assert update.article_ids == (3,)


def test_a_repeat_from_a_known_outlet_is_nothing_new() -> None:
    update = story_update(1, "Ferry strike", articles(3), after(wave_time(1)))
    assert update.article_ids == (4,)
    assert update.sentences == () and update.new_outlets == ()
    assert update.empty


def test_nothing_after_the_last_article_is_empty() -> None:
    assert story_update(1, "Ferry strike", articles(3), after(wave_time(2))).empty
    everything = story_update(1, "Ferry strike", articles(1), after(T0.replace(year=2025)))
    assert everything.sentences and len(everything.new_outlets) == 2


def test_cli_brief_since(tmp_path: Path) -> None:
    for w in range(3):
        write_wave(tmp_path / "in", w)
    db = str(tmp_path / "f.db")
    assert run_cli(tmp_path, "--db", db, "ingest", "in").returncode == 0
    stories = json.loads(run_cli(tmp_path, "--db", db, "stories", "--json").stdout)["stories"]
    assert len(stories) == 1
    sid = str(stories[0]["id"])
    r = run_cli(tmp_path, "--db", db, "brief", sid, "--since", "2026-05-11T10:00", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["since"] == "2026-05-11T10:00:00+00:00"
    assert any("1,500 euros" in s["text"] for s in data["sentences"])
    assert all(s["outlets"] == ["Northshore Daily"] for s in data["sentences"])
    r = run_cli(tmp_path, "--db", db, "brief", sid, "--since", "2026-05-11T15:00+00:00", "--json")
    assert json.loads(r.stdout)["sentences"] == []  # wave 3 only repeats
    human = run_cli(tmp_path, "--db", db, "brief", sid, "--since", "2026-05-11T10:00").stdout
    assert "New since 2026-05-11T10:00+00:00" in human and "— Northshore Daily" in human
    bad = run_cli(tmp_path, "--db", db, "brief", sid, "--since", "yesterday")
    assert bad.returncode == 2 and "not an ISO time" in bad.stderr
    assert run_cli(tmp_path, "--db", db, "brief", "99", "--since", "2026-05-11").returncode == 2
