"""Following stories: /follow, /following, /unfollow, and alerts with only what is new, sent
exactly once per (chat, story, version) across restarts, batched, hourly, outside quiet hours.

Real SQLite files, the real ingest; the clock is driven (the story waves of follow_corpus).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from follow_corpus import wave_time, write_wave

from bot.chat.commands import Caller, Commands
from bot.chat.views import refresh_dirty
from bot.config import Settings
from bot.digest.digest import SendAmbiguous, SendFailed
from bot.follow.alerts import PlannedAlert, plan_alerts, quiet, record_alert
from bot.sources.ingest import ingest_paths
from bot.store import Store
from bot.store.filters import ChatSettings, Prefs
from bot.store.follows import Follows

CHAT = 4242
OTHER = 5151


def ingest_wave(store: Store, folder: Path, wave: int) -> None:
    report = ingest_paths(store, [str(p) for p in write_wave(folder / f"w{wave}", wave)])
    assert not report.errors
    refresh_dirty(store)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "f.db")
    ingest_wave(s, tmp_path, 0)
    return s


def cmds_at(store: Store, when: datetime) -> Commands:
    return Commands(store, Settings(), clock=lambda: when)


def story_id(store: Store) -> int:
    [story] = store.stories()
    return story.id


async def test_follow_following_unfollow(store: Store) -> None:
    cmds = cmds_at(store, wave_time(0) + timedelta(hours=1))
    me = Caller(chat_id=CHAT)
    sid = story_id(store)
    brief = await cmds.handle("/brief", me)
    assert ("🔔 Follow", f"/follow {sid}") in [(b.text, b.data) for r in brief.buttons for b in r]
    reply = await cmds.handle(f"/follow {sid}", me)
    assert "Following" in reply.plain and "240" in reply.plain  # the briefing stays in place
    assert f"/unfollow {sid}" in [b.data for r in reply.buttons for b in r]
    assert "already follow" in (await cmds.handle("/follow ferry strike", me)).plain
    again = await cmds.handle("/brief", me)  # the briefing now offers to unfollow
    assert f"/unfollow {sid}" in [b.data for r in again.buttons for b in r]
    assert f"/follow {sid}" not in [b.data for r in again.buttons for b in r]
    listed = await cmds.handle("/following", me)
    assert listed.data["following"] == [{"story_id": sid, "title": store.stories()[0].title}]
    assert "You follow no story" in (await cmds.handle("/following", Caller(OTHER))).plain
    assert "don't follow story #99" in (await cmds.handle("/unfollow 99", me)).plain
    gone = await cmds.handle("/unfollow", me)  # the only followed story
    assert "No more alerts" in gone.plain
    assert Follows(store.conn).following(CHAT) == []
    assert "You follow no story" in (await cmds.handle("/unfollow", me)).plain


def follow_now(store: Store, chat: int = CHAT) -> int:
    sid = story_id(store)
    story = store.story(sid)
    assert story is not None
    assert Follows(store.conn).follow(chat, sid, story.version, story.article_ids, wave_time(0))
    return sid


def send_all(store: Store, now: datetime, error: Exception | None = None) -> list[PlannedAlert]:
    planned = plan_alerts(store, now)
    for alert in planned:
        record_alert(store, alert, error, now)
    return planned


def test_alert_has_only_what_is_new_once_across_restarts(tmp_path: Path, store: Store) -> None:
    sid = follow_now(store)
    assert plan_alerts(store, wave_time(0) + timedelta(hours=1)) == []  # nothing new yet
    ingest_wave(store, tmp_path, 1)
    now = wave_time(1) + timedelta(minutes=10)
    [alert] = send_all(store, now)
    text = alert.reply.plain
    assert alert.chat_id == CHAT and "1,500 euros" in text and "Northshore Daily" in text
    assert "240 deckhands" not in text  # known before the follow
    assert "New outlets" in text
    assert send_all(store, now + timedelta(hours=2)) == []
    store.close()
    with Store(tmp_path / "f.db") as again:  # a restart: the log and the seen state persist
        assert plan_alerts(again, now + timedelta(hours=3)) == []
        log = Follows(again.conn).alert_log()
        assert [(a.chat_id, a.story_id, a.status) for a in log] == [(CHAT, sid, "sent")]
        ingest_wave(again, tmp_path, 2)  # only repeats what was known
        assert plan_alerts(again, now + timedelta(hours=4)) == []
        follow = Follows(again.conn).get(CHAT, sid)
        assert follow is not None and len(follow.seen_articles) == 4  # marked seen silently


def test_at_most_one_alert_per_story_per_hour(tmp_path: Path, store: Store) -> None:
    follow_now(store)
    ingest_wave(store, tmp_path, 1)
    t = wave_time(1)
    assert len(send_all(store, t)) == 1
    ingest_wave(store, tmp_path, 3)
    assert plan_alerts(store, t + timedelta(minutes=59)) == []  # held, not dropped
    [later] = send_all(store, t + timedelta(hours=1))
    assert "180 to 52" in later.reply.plain and "1,500" not in later.reply.plain
    assert "Harbour Monitor" in later.reply.plain


def test_quiet_hours_hold_alerts(tmp_path: Path, store: Store) -> None:
    follow_now(store)
    Prefs(store.conn).save_settings(CHAT, ChatSettings(quiet_start="22:00", quiet_end="07:00"))
    ingest_wave(store, tmp_path, 1)
    night = wave_time(1).replace(hour=23)
    assert plan_alerts(store, night) == []
    assert len(send_all(store, night + timedelta(hours=8))) == 1  # 07:00 UTC: quiet is over


def test_quiet_rule_wraps_midnight() -> None:
    s = ChatSettings(quiet_start="22:30", quiet_end="06:15")
    at = wave_time(0).replace(hour=0, minute=0)
    assert quiet(at.replace(hour=23), s, "UTC") and quiet(at.replace(hour=6, minute=14), s, "UTC")
    assert not quiet(at.replace(hour=6, minute=15), s, "UTC")
    assert quiet(at.replace(hour=21, minute=45), s, "Europe/London")  # 22:45 BST
    assert not quiet(at, ChatSettings(), "UTC")


def test_failed_send_is_retried_ambiguous_is_not(tmp_path: Path, store: Store) -> None:
    follow_now(store)
    follow_now(store, OTHER)
    ingest_wave(store, tmp_path, 1)
    t = wave_time(1)
    planned = plan_alerts(store, t)
    assert sorted(a.chat_id for a in planned) == [CHAT, OTHER]
    for alert in planned:
        error = SendFailed("502") if alert.chat_id == CHAT else SendAmbiguous("timeout")
        record_alert(store, alert, error, t)
    [retry] = send_all(store, t + timedelta(minutes=5))
    assert retry.chat_id == CHAT
    assert send_all(store, t + timedelta(hours=2)) == []


def test_a_claimed_alert_is_never_sent_twice(tmp_path: Path, store: Store) -> None:
    follow_now(store)
    ingest_wave(store, tmp_path, 1)
    assert len(plan_alerts(store, wave_time(1))) == 1  # claimed, then the process died
    assert plan_alerts(store, wave_time(1) + timedelta(hours=2)) == []


def test_muted_outlet_alerts_nothing(tmp_path: Path, store: Store) -> None:
    follow_now(store)
    Prefs(store.conn).add_filter(CHAT, "outlet", "Northshore Daily")
    ingest_wave(store, tmp_path, 1)
    assert plan_alerts(store, wave_time(1)) == []


def test_merged_story_keeps_its_followers(tmp_path: Path, store: Store) -> None:
    from bot.sources.mending import merge_stories

    sid = follow_now(store)
    report = ingest_paths(store, [str(p) for p in write_wave(tmp_path / "x", 3)])
    extra = report.ingested[0].story_id
    assert extra is not None
    if extra == sid:  # joined the followed story already: split it out to merge it back
        from bot.sources.mending import split_article

        extra = split_article(store, sid, report.ingested[0].id)
    refresh_dirty(store)
    follows = Follows(store.conn)
    follows.follow(OTHER, extra, 0, [report.ingested[0].id], wave_time(0), thread_id=12)
    merge_stories(store, sid, extra)
    assert [f.story_id for f in follows.following(CHAT)] == [sid]
    moved = follows.get(OTHER, sid)
    assert moved is not None and moved.seen_articles == {report.ingested[0].id}
    assert moved.thread_id == 12  # its alerts still go to the forum topic it was followed from
    assert follows.following(OTHER) == [moved]
    refresh_dirty(store)
    [alert] = [a for a in plan_alerts(store, wave_time(3)) if a.chat_id == OTHER]
    assert alert.thread_id == 12
    # The coverage merged in is new to this chat: its facts and outlets, nothing it had seen.
    assert alert.reply.data["alert"] == [{"story_id": sid, "article_ids": [1, 2]}]
    assert "Island Herald" in alert.reply.plain and "180 to 52" not in alert.reply.plain
