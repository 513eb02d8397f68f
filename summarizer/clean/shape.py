"""Basic shape measures of one line of text: sentence end, word count, capitals, title case."""

from __future__ import annotations

import re

__all__ = ["QUOTE_CHARS", "caps_ratio", "ends_like_sentence", "is_title_case", "word_count"]

#: Characters that open or close a quotation.
QUOTE_CHARS = ('"', "“", "”", "«", "»")
_TERMINAL_RE = re.compile(r"[.!?…][\"'”’»)\]]*\s*$|[\"”»]\s*$")


def ends_like_sentence(line: str) -> bool:
    """Ends with . ! ? … (possibly followed by closing quotes/brackets) or a closing quote."""
    return bool(_TERMINAL_RE.search(line[-8:]))


def word_count(line: str) -> int:
    """Whitespace-separated words."""
    return line.count(" ") + 1 if line else 0


_UPPER_RE = re.compile(r"[^\W\d_]")
_CAP_RE = re.compile(r"[A-ZÀ-ÖØ-ÞΑ-ΩА-Я]")


def caps_ratio(line: str) -> float:
    """Share of upper-case letters among the letters."""
    letters = "".join(_UPPER_RE.findall(line))
    if not letters:
        return 0.0
    return len(_CAP_RE.findall(letters)) / len(letters)


_SMALL = frozenset("a an and at by for from in of on or the to with vs via de la le du".split())


def is_title_case(line: str) -> bool:
    """Most significant words start with a capital (menu items, headings, labels)."""
    significant = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if w.lower() not in _SMALL]
    if not significant:
        return False
    return sum(1 for w in significant if w[0].isupper()) >= 0.75 * len(significant)


# Related stories: "... Some Outlet - 4h -", "... 3 hours ago", "Outlet · 2d".
