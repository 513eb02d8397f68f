"""Metadata found in an article's own text: front matter, bylines, datelines, dates, copyright.

Date convention: every datetime returned here is timezone-aware. A time written with a zone
(``+01:00``, ``Z``, ``EST``, ``GMT``...) keeps that zone; a date or time written without one is
taken as UTC (a bare date becomes midnight UTC). Nothing is guessed beyond what the text says.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import yaml

__all__ = [
    "is_person_name",
    "parse_byline",
    "parse_copyright",
    "parse_date",
    "parse_dateline",
    "parse_datelines",
    "split_front_matter",
]

# --------------------------------------------------------------------------- front matter

_FM_RE = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n(.*?)\n(?:---|\.\.\.|\+\+\+)[ \t]*(?:\n|\Z)", re.S)
_FM_KEY_RE = re.compile(r"^([A-Za-z_][\w.-]*)\s*[:=]\s*(.*)$")
_FM_ITEM_RE = re.compile(r"^\s+-\s*(.*)$")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return inner.replace('\\"', '"') if value[0] == '"' else inner.replace("''", "'")
    return value


def _simple_front_matter(block: str) -> dict[str, Any] | None:
    """A fast parser for the flat ``key: value`` / ``key:\\n  - item`` shape; None if unsure."""
    out: dict[str, Any] = {}
    key = ""
    for line in block.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _FM_ITEM_RE.match(line)
        if item and key:
            current = out.get(key)
            if current in ("", None):
                current = []
                out[key] = current
            if not isinstance(current, list):
                return None
            current.append(_unquote(item.group(1)))
            continue
        m = _FM_KEY_RE.match(line)
        if not m:
            return None
        key, value = m.group(1).lower(), m.group(2).strip()
        if value.startswith(("[", "{", "|", ">", "&", "*")):
            return None
        out[key] = _unquote(value)
    return out


#: Front matter longer than this is not parsed as YAML (read line by line instead).
MAX_YAML_CHARS = 64_000
_ALIAS_RE = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\[\]{}*]+", re.M)


def _lenient_front_matter(block: str) -> dict[str, Any]:
    """Whatever flat ``key: value`` lines a broken block still has (the rest is ignored)."""
    out: dict[str, Any] = {}
    for line in block.split("\n"):
        m = _FM_KEY_RE.match(line)
        if m and not line[:1].isspace() and not m.group(2).startswith(("*", "&")):
            out[m.group(1).lower()] = _unquote(m.group(2))
    return out


_OPEN_RE = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n")


def _unterminated(text: str) -> tuple[str, int] | None:
    """An opening fence with no closing one: the leading run of key/item lines is the block."""
    m = _OPEN_RE.match(text)
    if not m:
        return None
    pos = m.end()
    lines = []
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end]
        if not (_FM_KEY_RE.match(line) or _FM_ITEM_RE.match(line)):
            break
        lines.append(line)
        pos = end + 1
    return ("\n".join(lines), min(pos, len(text))) if lines else None


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front matter as a dict with lower-case keys, the rest of the text).

    Broken front matter never leaks into the body: an unterminated block ends at its first line
    that is not ``key: value``, and a block that is not valid YAML keeps its readable keys.
    """
    m = _FM_RE.match(text)
    if m:
        block, rest = m.group(1), text[m.end() :]
    else:
        loose = _unterminated(text)
        if loose is None:
            return {}, text
        block, rest = loose[0], text[loose[1] :]
    data = _simple_front_matter(block)
    if data is None:
        loaded = None
        # Aliases can multiply a few lines into millions of values, and huge blocks are not
        # front matter: both are read line by line instead.
        if len(block) <= MAX_YAML_CHARS and not _ALIAS_RE.search(block):
            try:
                loaded = yaml.load(block, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
                loaded = None  # ValueError: an impossible timestamp such as 2024-02-30
        if isinstance(loaded, dict):
            data = {str(k).lower(): v for k, v in loaded.items()}
        else:
            data = _lenient_front_matter(block)
    return data, rest


# --------------------------------------------------------------------------- dates

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
    return naive.replace(tzinfo=tz or UTC)


def parse_date(text: Any) -> datetime | None:
    """A timezone-aware datetime from a date string in a common news format, else None.

    Understands ISO 8601 (``2025-02-11T05:01:11Z``, ``2025-02-11 05:01:11``), RFC 2822, and
    English forms such as ``09:33, February 11, 2025`` or ``3:05 PM EST, Mon February 10, 2025``.
    Without a zone the time is taken as UTC.
    """
    if isinstance(text, datetime):
        return text if text.tzinfo else text.replace(tzinfo=UTC)
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


# --------------------------------------------------------------------------- bylines

_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|da|van|von|der|bin|al|la|le|di|du))*"
_BYLINE_RE = re.compile(
    r"^(?:(?:written|words|story|reported|reporting|text)\s+)?by\s*:?\s+(.{2,120}?)\s*$", re.I
)
_BYLINE_TAIL_RE = re.compile(
    r"\s*(?:[,|•·—–-]\s*|\s+)(?:(?:published|updated|posted)\b.*|\d.*|"
    r"(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s.*)$",
    re.I,
)
_ROLE_TAIL_RE = re.compile(
    r"\s*,\s*(?:[a-z].*|(?:the\s+)?[A-Z][\w ]*(?i:reporter|correspondent|editor|writer|staff|"
    r"journalist|bureau|producer|columnist|contributor).*)$"
)
_PERSON_RE = re.compile(r"^" + _NAME + r"$")
_SPLIT_RE = re.compile(r"\s*(?:,\s*and\s+|\s+and\s+|\s*&\s*|,\s*)")


def parse_byline(line: str) -> list[str] | None:
    """Names in a ``By Jane Doe`` / ``By Jane Doe and John Roe`` / ``By AGENCY`` line, else None."""
    m = _BYLINE_RE.match(line.strip())
    if not m:
        return None
    body = _BYLINE_TAIL_RE.sub("", m.group(1)).strip()
    body = _ROLE_TAIL_RE.sub("", body).strip(" ,;|")
    if body.lower().startswith(("the ", "a ", "an ")) and " and " not in body:
        return None
    names = [n.strip(" .,;") for n in _SPLIT_RE.split(body) if n.strip(" .,;")]
    if not names or len(names) > 6:
        return None
    for name in names:
        if not _PERSON_RE.match(name) or len(name.split()) > 5:
            return None
    return names


def is_person_name(name: str) -> bool:
    """Two to five capitalised words (``Jane Doe``): a person rather than an organisation."""
    parts = name.split()
    return 2 <= len(parts) <= 5 and bool(_PERSON_RE.match(name)) and not name.isupper()


# --------------------------------------------------------------------------- copyright

_COPYRIGHT_PREFIX_RE = re.compile(
    r"^(?:copyright\s*)?(?:©|\(c\)|copyright)\s*(?:(?:\d{4}\s*[-–]\s*)?\d{4}\s*,?\s*)?(?:by\s+)?",
    re.I,
)
_COPYRIGHT_END_RE = re.compile(r"\.\s|\s[|•·]\s|\s*\ball rights reserved|\.$", re.I)


def parse_copyright(line: str) -> str | None:
    """The holder in a ``© 2025 Some Media, LLC`` line (``""`` when only a year), else None."""
    line = line.strip()
    if len(line) > 300 or not re.match(r"(?:©|\(c\)|copyright\b)", line, re.I):
        return None
    rest = _COPYRIGHT_PREFIX_RE.sub("", line, count=1)
    end = _COPYRIGHT_END_RE.search(rest)
    holder = (rest[: end.start()] if end else rest).strip(" .,;")
    holder = re.sub(r"^\d{4}\s*", "", holder)
    if len(holder) > 80 or not re.search(r"[A-Za-z]", holder):
        return ""
    return holder
