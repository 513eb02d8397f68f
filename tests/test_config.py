"""Settings come from a mapping; bad values give clear errors; the token never shows in repr."""

from __future__ import annotations

from datetime import time

import pytest

from bot.config import ConfigError, Settings, parse_hhmm, parse_zone


def test_defaults() -> None:
    s = Settings.from_env({})
    assert s.token == "" and s.db_path == "briefbot.db" and s.digest_time == time(7, 30)
    assert s.admins == frozenset() and s.digest_zone == "UTC"


def test_values_and_file_base() -> None:
    s = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": "123:abc",
            "TELEGRAM_API_BASE": "http://127.0.0.1:8081/bot",
            "BRIEFBOT_ADMINS": "1, 2 3",
            "BRIEFBOT_ALLOWED_CHATS": "-100",
            "BRIEFBOT_DIGEST_TIME": "06:05",
            "BRIEFBOT_DIGEST_TZ": "Europe/Berlin",
            "BRIEFBOT_FEEDS": "https://a.test/rss https://b.test/atom",
        }
    )
    assert s.admins == {1, 2, 3} and s.allowed_chats == {-100}
    assert s.file_base == "http://127.0.0.1:8081/file/bot"
    assert s.digest_time == time(6, 5) and s.feeds == ("https://a.test/rss", "https://b.test/atom")
    assert "123:abc" not in repr(s)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"BRIEFBOT_ADMINS": "alice"}, "not a numeric Telegram id"),
        ({"BRIEFBOT_DIGEST_TIME": "25:00"}, "not a time"),
        ({"BRIEFBOT_DIGEST_TZ": "Mars/Olympus"}, "unknown time zone"),
        ({"BRIEFBOT_DIGEST_STORIES": "0"}, "outside"),
        ({"TELEGRAM_API_BASE": "ftp://x"}, "http"),
        ({"BRIEFBOT_LOG_LEVEL": "LOUD"}, "LOUD"),
    ],
)
def test_bad_values(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env)


def test_parsers() -> None:
    assert parse_hhmm("7:05") == time(7, 5)
    assert str(parse_zone("America/New_York")) == "America/New_York"
    with pytest.raises(ConfigError):
        parse_zone("../../etc/passwd")
