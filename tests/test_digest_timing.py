"""Digest times are wall-clock times in the subscriber's zone and survive DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from bot.digest.digest import due_at, is_due, local_day


def test_due_at_follows_daylight_saving() -> None:
    winter = due_at(date(2026, 1, 15), time(7, 30), "Europe/Berlin")
    summer = due_at(date(2026, 7, 15), time(7, 30), "Europe/Berlin")
    assert winter.astimezone(UTC).time() == time(6, 30)
    assert summer.astimezone(UTC).time() == time(5, 30)


def test_time_in_spring_forward_gap_moves_on() -> None:
    # 02:30 does not exist in Berlin on 29 March 2026; the digest still has one instant.
    when = due_at(date(2026, 3, 29), time(2, 30), "Europe/Berlin")
    assert when.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_is_due_and_local_day_use_the_zone() -> None:
    now = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)
    assert local_day(now, "Asia/Tokyo") == date(2026, 11, 22)
    assert local_day(now, "America/Los_Angeles") == date(2026, 11, 21)
    assert is_due(now, time(7, 0), "Asia/Tokyo")  # 08:30 in Tokyo on the 22nd
    assert not is_due(now, time(9, 0), "Asia/Tokyo")
