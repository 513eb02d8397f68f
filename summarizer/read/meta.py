"""Metadata found in an article's own text: bylines and copyright lines.

Front matter is read by :mod:`summarizer.read.frontmatter` and dates and datelines by
:mod:`summarizer.read.dates`; both are re-exported here for the callers that read all three.
"""

from __future__ import annotations

import re

from summarizer.read.dates import parse_date, parse_dateline, parse_datelines
from summarizer.read.frontmatter import split_front_matter

__all__ = [
    "is_person_name",
    "parse_byline",
    "parse_copyright",
    "parse_date",
    "parse_dateline",
    "parse_datelines",
    "split_front_matter",
]

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
