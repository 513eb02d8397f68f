"""Settings: the only module that reads the environment (through a mapping handed to it)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class ConfigError(ValueError):
    """A setting has a value we cannot use."""


def _ids(raw: str, name: str) -> frozenset[int]:
    out: set[int] = set()
    for part in re.split(r"[,\s]+", raw.strip()):
        if not part:
            continue
        try:
            out.add(int(part))
        except ValueError:
            raise ConfigError(f"{name}: {part!r} is not a numeric Telegram id") from None
    return frozenset(out)


def parse_hhmm(raw: str) -> time:
    """Parse 'HH:MM' (24 h) into a time, or raise ConfigError."""
    m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", raw.strip())
    if not m:
        raise ConfigError(f"{raw!r} is not a time like 07:30")
    return time(int(m.group(1)), int(m.group(2)))


def parse_zone(raw: str) -> ZoneInfo:
    """Parse an IANA zone name like 'Europe/Berlin', or raise ConfigError."""
    name = raw.strip()
    if not re.fullmatch(r"[A-Za-z_]+(?:/[A-Za-z0-9_+\-]+)*", name):
        raise ConfigError(f"{raw!r} is not a time zone like Europe/Berlin")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {raw!r} (use a name like Europe/Berlin)") from None


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}: {raw!r} is not a whole number") from None
    if not low <= value <= high:
        raise ConfigError(f"{name}: {value} is outside {low}..{high}")
    return value


def _allow(raw: str) -> tuple[str, ...]:
    """BRIEFBOT_FETCH_ALLOW: host names or CIDRs (``localhost, 127.0.0.1, 10.0.0.0/8``)."""
    out = []
    for part in re.split(r"[,\s]+", raw.strip()):
        entry = part.strip().strip("[]")
        if not entry:
            continue
        if "/" in entry:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ConfigError(f"BRIEFBOT_FETCH_ALLOW: {part!r} is not a CIDR") from None
        elif not re.fullmatch(r"[A-Za-z0-9.:_-]+", entry):
            raise ConfigError(f"BRIEFBOT_FETCH_ALLOW: {part!r} is not a host name or address")
        out.append(entry.lower())
    return tuple(out)


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}: {raw!r} is not true/false")


@dataclass(frozen=True)
class Settings:
    """Everything configurable, from the environment or .env (see .env.example)."""

    token: str = field(default="", repr=False)
    api_base: str = ""
    db_path: str = "briefbot.db"
    admins: frozenset[int] = frozenset()
    allowed_chats: frozenset[int] = frozenset()
    digest_time: time = time(7, 30)
    digest_zone: str = "UTC"
    digest_stories: int = 5
    digest_empty_note: bool = True
    digest_in_flight: int = 1
    feeds: tuple[str, ...] = ()
    feed_interval_minutes: int = 15
    fetch_timeout: float = 15.0
    fetch_max_bytes: int = 5_000_000
    fetch_concurrency: int = 4
    fetch_allow: tuple[str, ...] = ()
    feed_max_entries: int = 100
    brief_words: int = 120
    log_level: str = "INFO"
    webhook_secret: str = field(default="", repr=False)

    @property
    def file_base(self) -> str:
        """PTB's base_file_url for a self-hosted Bot API server (``.../bot`` -> ``.../file/bot``)."""
        if not self.api_base:
            return ""
        base = self.api_base.rstrip("/")
        head, _, tail = base.rpartition("/")
        return f"{head}/file/{tail}" if head else f"{base}/file"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Build settings from a mapping (os.environ merged with .env by the CLI)."""
        zone = env.get("BRIEFBOT_DIGEST_TZ", "").strip() or "UTC"
        parse_zone(zone)
        dtime = env.get("BRIEFBOT_DIGEST_TIME", "").strip()
        feeds = tuple(u for u in re.split(r"[,\s]+", env.get("BRIEFBOT_FEEDS", "")) if u)
        level = env.get("BRIEFBOT_LOG_LEVEL", "").strip().upper() or "INFO"
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ConfigError(f"BRIEFBOT_LOG_LEVEL: {level!r} is not DEBUG/INFO/WARNING/ERROR")
        api_base = env.get("TELEGRAM_API_BASE", "").strip()
        if api_base and not re.match(r"https?://", api_base):
            raise ConfigError("TELEGRAM_API_BASE must start with http:// or https://")
        return cls(
            token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
            api_base=api_base,
            db_path=env.get("BRIEFBOT_DB", "").strip() or "briefbot.db",
            admins=_ids(env.get("BRIEFBOT_ADMINS", ""), "BRIEFBOT_ADMINS"),
            allowed_chats=_ids(env.get("BRIEFBOT_ALLOWED_CHATS", ""), "BRIEFBOT_ALLOWED_CHATS"),
            digest_time=parse_hhmm(dtime) if dtime else time(7, 30),
            digest_zone=zone,
            digest_stories=_int(env, "BRIEFBOT_DIGEST_STORIES", 5, 1, 20),
            digest_empty_note=_bool(env, "BRIEFBOT_DIGEST_EMPTY_NOTE", True),
            digest_in_flight=_int(env, "BRIEFBOT_DIGEST_IN_FLIGHT", 1, 1, 32),
            feeds=feeds,
            feed_interval_minutes=_int(env, "BRIEFBOT_FEED_INTERVAL_MINUTES", 15, 1, 1440),
            fetch_timeout=float(_int(env, "BRIEFBOT_FETCH_TIMEOUT", 15, 1, 300)),
            fetch_max_bytes=_int(env, "BRIEFBOT_FETCH_MAX_BYTES", 5_000_000, 10_000, 200_000_000),
            fetch_concurrency=_int(env, "BRIEFBOT_FETCH_CONCURRENCY", 4, 1, 64),
            fetch_allow=_allow(env.get("BRIEFBOT_FETCH_ALLOW", "")),
            feed_max_entries=_int(env, "BRIEFBOT_FEED_MAX_ENTRIES", 100, 1, 10_000),
            brief_words=_int(env, "BRIEFBOT_BRIEF_WORDS", 120, 30, 600),
            log_level=level,
            webhook_secret=env.get("BRIEFBOT_WEBHOOK_SECRET", "").strip(),
        )
