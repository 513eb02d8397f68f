"""Dates in news text: ISO/RFC/English dates, publication and update stamps (datelines).

Zone convention: a time written with a zone (``+01:00``, ``Z``, ``EST``, ``GMT``...) keeps it. A
date or time written without one is a wall-clock time in a zone nobody stated: it carries
:data:`UNKNOWN_ZONE`, never UTC. That tzinfo has a zero offset, so such a datetime still sorts
and compares with aware ones as if it were UTC (the one place that conversion happens), while
:func:`zone_known`, :func:`date_iso` and :func:`from_iso` keep it honest on output and in storage
(an ISO string without an offset).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

__all__ = [
    "UNKNOWN_ZONE",
    "date_iso",
    "from_iso",
    "parse_date",
    "parse_dateline",
    "parse_datelines",
    "zone_known",
    "zone_label",
]


class _UnknownZone(tzinfo):
    """The zone of a time the source gave without one: compared as UTC, shown without an offset."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        """Zero: the wall time orders with aware datetimes as if it were UTC."""
        return timedelta(0)

    def dst(self, dt: datetime | None) -> timedelta:
        """No daylight-saving shift is known."""
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str | None:
        """No name: nothing is claimed."""
        return None

    def __repr__(self) -> str:
        return "UNKNOWN_ZONE"

    def __reduce__(self) -> str:
        return "UNKNOWN_ZONE"  # pickled by name: one instance across worker processes


#: tzinfo of a date whose zone the source did not state.
UNKNOWN_ZONE = _UnknownZone()


def zone_known(when: datetime) -> bool:
    """True when the source stated the zone of ``when`` (naive or :data:`UNKNOWN_ZONE`: False)."""
    return when.tzinfo is not None and when.tzinfo is not UNKNOWN_ZONE


def zone_label(when: datetime | None) -> str | None:
    """``"stated"`` (the source gave the zone), ``"unknown"`` (it did not) or None (no date)."""
    if when is None:
        return None
    return "stated" if zone_known(when) else "unknown"


def date_iso(when: datetime | None) -> str | None:
    """ISO-8601 text: with the offset when the zone is known, without one when it is not."""
    if when is None:
        return None
    return when.isoformat() if zone_known(when) else when.replace(tzinfo=None).isoformat()


def from_iso(text: str | None) -> datetime | None:
    """The inverse of :func:`date_iso` (``None`` when empty or unreadable)."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UNKNOWN_ZONE)


_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

_FIXED_ZONES = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "bst": 1,
    "cet": 1,
    "cest": 2,
    "eet": 2,
    "eest": 3,
    "msk": 3,
    "ist": 5.5,
    "sgt": 8,
    "hkt": 8,
    "jst": 9,
    "kst": 9,
    "aest": 10,
    "aedt": 11,
    "est": -5,
    "edt": -4,
    "cst": -6,
    "cdt": -5,
    "mst": -7,
    "mdt": -6,
    "pst": -8,
    "pdt": -7,
}
_REGION_ZONES = {
    "et": "America/New_York",
    "ct": "America/Chicago",
    "mt": "America/Denver",
    "pt": "America/Los_Angeles",
}

_ISO_RE = re.compile(
    r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?)?\b"
)
_MONTH_NAME = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_MDY_RE = re.compile(_MONTH_NAME + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.I)
_DMY_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_NAME + r",?\s+(\d{4})\b", re.I)
_SLASH_RE = re.compile(r"\b(\d{4})/(\d{1,2})/(\d{1,2})\b")
_TIME_RE = re.compile(
    r"\b(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?"
    r"(?:\s*\(?\b([A-Z]{1,4}T|UTC|GMT|Z)\b\)?|\s*([+-]\d{2}:?\d{2})\b)?",
    re.I,
)
_ZONE_WORD_RE = re.compile(r"\b([A-Z]{2,4}T|UTC|GMT)\b")


def _zone(name: str) -> tzinfo | None:
    key = name.lower()
    if key in _FIXED_ZONES:
        return timezone(timedelta(hours=_FIXED_ZONES[key]))
    if key in _REGION_ZONES:
        return ZoneInfo(_REGION_ZONES[key])
    return None


def _offset(text: str) -> tzinfo:
    if text.upper() == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def _build(y: int, mo: int, d: int, h: int, mi: int, s: int, tz: tzinfo | None) -> datetime | None:
    try:
        naive = datetime(y, mo, d, h, mi, s)
    except ValueError:
        return None
    if not 1990 <= y <= 2100:
        return None
    return naive.replace(tzinfo=tz or UNKNOWN_ZONE)


def parse_date(text: Any) -> datetime | None:
    """A datetime from a date string in a common news format, else None.

    Understands ISO 8601 (``2025-02-11T05:01:11Z``, ``2025-02-11 05:01:11``), RFC 2822, and
    English forms such as ``09:33, February 11, 2025`` or ``3:05 PM EST, Mon February 10, 2025``.
    A stated zone is kept; without one the result is in :data:`UNKNOWN_ZONE` (never UTC).
    """
    if isinstance(text, datetime):
        return text if text.tzinfo else text.replace(tzinfo=UNKNOWN_ZONE)
    if text is None:
        return None
    text = str(text).strip()
    if not text or len(text) > 200:
        return None
    tz: tzinfo | None = None
    m = _ISO_RE.search(text)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        h, mi, s = int(m.group(4) or 0), int(m.group(5) or 0), int(m.group(6) or 0)
        tz = _offset(m.group(7)) if m.group(7) else None
        if tz is None and m.group(4):
            zm = _ZONE_WORD_RE.search(text, m.end())
            tz = _zone(zm.group(1)) if zm else None
        return _build(y, mo, d, h, mi, s, tz)
    m = _MDY_RE.search(text)
    if m:
        y, mo, d = int(m.group(3)), _MONTHS[m.group(1)[:3].lower()], int(m.group(2))
    else:
        m = _DMY_RE.search(text)
        if m:
            y, mo, d = int(m.group(3)), _MONTHS[m.group(2)[:3].lower()], int(m.group(1))
        else:
            m = _SLASH_RE.search(text)
            if not m:
                return None
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    rest = text[: m.start()] + " " + text[m.end() :]
    h = mi = s = 0
    t = _TIME_RE.search(rest)
    if t:
        h, mi, s = int(t.group(1)), int(t.group(2)), int(t.group(3) or 0)
        ampm = (t.group(4) or "").lower().replace(".", "")
        if ampm == "pm" and h < 12:
            h += 12
        elif ampm == "am" and h == 12:
            h = 0
        if h > 23 or mi > 59:
            h = mi = s = 0
        elif t.group(5):
            tz = _zone(t.group(5))
        elif t.group(6):
            tz = _offset(t.group(6))
    if tz is None:
        zm = _ZONE_WORD_RE.search(rest)
        if zm:
            tz = _zone(zm.group(1))
        else:
            om = re.search(r"(?<![\d:])([+-]\d{2}:?\d{2})\b", rest)
            tz = _offset(om.group(1)) if om and t else None
    return _build(y, mo, d, h, mi, s, tz)


# --------------------------------------------------------------------------- datelines

_DATELINE_RE = re.compile(
    r"^(?:(?:first\s+)?published|updated|last\s+updated|posted|modified|date|"
    r"last\s+modified|created)\b\s*(?:on|at)?\s*:?\s*(.{6,80})$",
    re.I,
)
_DATE_HINT_RE = re.compile(r"\d{4}|\b\d{1,2}[:.]\d{2}\b", re.I)
_BARE_DATE_RE = re.compile(
    r"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?:" + _MONTH_NAME + r"\s+\d{1,2}"
    r"|\d{1,2}\s+" + _MONTH_NAME + r"|\d{4}-\d{2}-\d{2})[\w\s,.:/+()-]{0,40}$",
    re.I,
)


_STAMP_SPLIT_RE = re.compile(
    r"\s+[|•·]\s+|\s*;\s+|\s+[–—-]\s+(?=(?:last\s+)?(?:updated|modified|published|posted)\b)",
    re.I,
)


def parse_datelines(line: str) -> list[tuple[str, datetime]]:
    """Every stamp of a line made only of stamps, in order; ``[]`` when any part is not one.

    ``Published March 2, 2026 at 10:05 p.m. ET | Updated March 3, 2026 at 7:15 a.m. ET`` gives a
    ``published`` and an ``updated`` stamp.
    """
    if len(line) > 200 or not _DATE_HINT_RE.search(line):
        return []
    parts = _STAMP_SPLIT_RE.split(line) if len(line) > 30 else [line]
    if len(parts) > 3:
        return []
    out: list[tuple[str, datetime]] = []
    for part in parts:
        stamp = _one_dateline(part.strip())
        if stamp is None or stamp[1] is None:
            break
        out.append((stamp[0], stamp[1]))
    else:
        return out
    whole = _one_dateline(line) if len(parts) > 1 else None  # "Published ... | 3 min read"
    return [(whole[0], whole[1])] if whole and whole[1] else []


def parse_dateline(line: str) -> tuple[str, datetime | None] | None:
    """For a line that is only a publication/update stamp: (kind, datetime); else None.

    kind is ``"published"`` or ``"updated"``. ``Published: 09:33, February 11, 2025``,
    ``Updated 3:05 PM EST, Mon February 10, 2025``, a bare ``Feb. 10, 2025, 3:05 PM`` and
    ``Published March 2, 2026 at 10:05 p.m. ET`` qualify. Of a pair separated by ``|``
    (``Published ... | Updated ...``) the publication stamp is returned.
    """
    stamps = parse_datelines(line)
    if not stamps:
        return None
    return next((s for s in stamps if s[0] == "published"), stamps[0])


def _one_dateline(line: str) -> tuple[str, datetime | None] | None:
    if len(line) > 100 or not _DATE_HINT_RE.search(line):
        return None
    m = _DATELINE_RE.match(line)
    if m:
        kind = "updated" if re.match(r"(last\s+)?(updated|modified)", line, re.I) else "published"
        when = parse_date(m.group(1))
        return (kind, when) if when else None
    if _BARE_DATE_RE.match(line) and len(line.split()) <= 10:
        when = parse_date(line)
        return ("published", when) if when else None
    return None
