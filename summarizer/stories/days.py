"""When a happening took place, and the figures that identify it (scores, poll numbers).

Used by the recurring-event rule in ``summarizer.stories.assign``: a report names the day of
what it reports ("on Tuesday", "Monday's debate", "March 10", "yesterday") and often its result
("112-105", "48% to 45%"). Both are read from the title and the lead only, where news puts the
happening it is about; later paragraphs look back at earlier days and other results.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from summarizer.nlp.text import ignorecase_lower, ignorecase_plain

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january february march april may june july august september october november december".split()
)
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)} | {"sept": 9}
_MONTH_NAMES = {m: i + 1 for i, m in enumerate(_MONTHS)} | _MONTH_ABBR
_MONTH_ALT = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))

_DAY_RE = re.compile(
    r"\b(?:(?P<next>next|coming)\s+)?(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b"
    r"|\b(?P<rel>today|tonight|yesterday|last night|this morning|this evening)\b"
    r"|\b(?P<month1>"
    + _MONTH_ALT
    + r")\.?\s+(?P<day1>\d{1,2})(?:st|nd|rd|th)?\b(?!\s*(?:,\s*)?\d{3})"
    r"|\b(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month2>" + _MONTH_ALT + r")\b",
    re.IGNORECASE,
)
# The small hours belong to the evening before: "early on Wednesday", "shortly after midnight",
# "overnight" name the day they are in and the day before (an election night, a late game).
_EARLY_RE = re.compile(
    r"\b(?:early\s+(?:on\s+)?(?P<early>" + "|".join(_WEEKDAYS) + r")"
    r"|(?:shortly\s+)?after\s+midnight|in\s+the\s+early\s+hours|before\s+dawn|overnight)\b",
    re.IGNORECASE,
)
# The same two patterns for lower-cased text, without IGNORECASE (2-3 times faster), used when
# they find the same (``ignorecase_lower``; checked over every code point in tests).
_DAY_LOWER_RE = re.compile(_DAY_RE.pattern)
_EARLY_LOWER_RE = re.compile(_EARLY_RE.pattern)
# A score (3-1, 102-99, 6-4) or a percentage: the result of a game, a vote, a poll.
_SCORE_RE = re.compile(r"(?<![\d.,-])(\d{1,3})\s?[-–]\s?(\d{1,3})(?![\d%.,-])")
_PERCENT_RE = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d)?)\s?(?:%|per ?cent\b|percent\b)", re.I)


def day_references(text: str, published: datetime | None) -> list[date]:
    """The calendar days a text names, in order of mention, resolved against its publication time.

    A bare weekday is the latest such day on or before publication ("next Tuesday" the coming
    one); "yesterday" and "last night" the day before; dates without a year take the
    publication year; the small hours ("early on Wednesday", "after midnight") both their day
    and the evening before (the last day named, else the publication day, is "their day").
    "A day after the primary" names no day on purpose: a next-day report that looks back at a
    happening is as often a new happening (the loser's staff lay-offs) as a reaction to it.
    Without a publication time nothing can be resolved: an empty list.
    """
    if published is None:
        return []
    base = published.date()
    out: list[date] = []
    anchor = base
    lowered = ignorecase_lower(text)
    if lowered is not None:
        day_re, early_re, scanned = _DAY_LOWER_RE, _EARLY_LOWER_RE, lowered
    else:
        day_re, early_re, scanned = _DAY_RE, _EARLY_RE, text
    found = [*day_re.finditer(scanned), *early_re.finditer(scanned)]
    for m in sorted(found, key=lambda m: m.start()):
        days: list[date | None]
        if m.re is early_re:
            if m.group("early"):
                anchor = _weekday_on_or_before(m.group("early"), base)
            days = [anchor, anchor - timedelta(days=1)]
        else:
            days = [_resolve(m, base)]
            anchor = days[0] or anchor
        out.extend(d for d in days if d is not None and d not in out)
    return out


def _weekday_on_or_before(name: str, base: date) -> date:
    """The latest day named ``name`` on or before ``base``."""
    return base - timedelta(days=(base.weekday() - _WEEKDAYS.index(ignorecase_plain(name))) % 7)


def _resolve(m: re.Match[str], base: date) -> date | None:
    """The day one match names (None when it names no valid day)."""
    if m.group("weekday"):
        if m.group("next"):
            target = _WEEKDAYS.index(ignorecase_plain(m.group("weekday")))
            return base + timedelta(days=(target - base.weekday() - 1) % 7 + 1)
        return _weekday_on_or_before(m.group("weekday"), base)
    if m.group("rel"):
        rel = ignorecase_plain(m.group("rel"))
        return base - timedelta(days=1) if rel in ("yesterday", "last night") else base
    month_word = ignorecase_plain(m.group("month1") or m.group("month2") or "").rstrip(".")
    day_text = m.group("day1") or m.group("day2")
    month = _MONTH_NAMES.get(month_word)
    if month is None or day_text is None:
        return None
    if month_word == "may" and m.group("month1"):
        return None  # "may 3" is far more often the verb than the month
    try:
        found = date(base.year, month, int(day_text))
    except ValueError:
        return None
    if found > base + timedelta(days=31):  # "December 30" read in early January: last year
        found = found.replace(year=base.year - 1)
    return found


def event_day(title: str, lead: str, published: datetime | None) -> date | None:
    """The day of the happening a report is about: the first day its title names, else its lead's."""
    for part in (title, lead):
        refs = day_references(part, published)
        if refs:
            return refs[0]
    return None


def result_figures(text: str) -> frozenset[str]:
    """Scores and percentages in a text, normalised ("102-99", "48%"): what a result looks like.

    Scores whose parts look like a date or a range of years are skipped.
    """
    found: set[str] = set()
    for m in _SCORE_RE.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if a > 200 or b > 200:
            continue
        found.add(f"{max(a, b)}-{min(a, b)}")
    for m in _PERCENT_RE.finditer(text):
        found.add(f"{float(m.group(1)):g}%")
    return frozenset(found)
