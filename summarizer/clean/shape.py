"""Basic shape measures of one line of text: sentence end, word count, capitals, title case."""

from __future__ import annotations

import re

__all__ = [
    "QUOTE_CHARS",
    "WORD_RE",
    "caps_ratio",
    "ends_like_sentence",
    "is_title_case",
    "title_case_words",
    "word_count",
]

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


# ASCII bytes that are not letters, and bytes that are not capitals: an ASCII line's letters
# and capitals are counted by deleting the others (C speed; the same counts as the patterns).
_ASCII_NOT_LETTER = bytes(c for c in range(256) if not (65 <= c <= 90 or 97 <= c <= 122))
_ASCII_NOT_CAPITAL = bytes(c for c in range(256) if not 65 <= c <= 90)


def caps_ratio(line: str) -> float:
    """Share of upper-case letters among the letters."""
    if line.isascii():
        ascii_letters = line.encode().translate(None, _ASCII_NOT_LETTER)
        if not ascii_letters:
            return 0.0
        return len(ascii_letters.translate(None, _ASCII_NOT_CAPITAL)) / len(ascii_letters)
    letters = "".join(_UPPER_RE.findall(line))
    if not letters:
        return 0.0
    return len(_CAP_RE.findall(letters)) / len(letters)


_SMALL = frozenset("a an and at by for from in of on or the to with vs via de la le du".split())
#: A word of a line: a letter, then letters, digits, apostrophes and hyphens.
WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")


def is_title_case(line: str) -> bool:
    """Most significant words start with a capital (menu items, headings, labels)."""
    found = WORD_RE.findall(line)
    return title_case_words(found, [w.lower() for w in found])


def title_case_words(found: list[str], lowered: list[str]) -> bool:
    """``is_title_case`` of a line's ``WORD_RE`` words (and the same words in lower case)."""
    significant = [w for w, low in zip(found, lowered, strict=True) if low not in _SMALL]
    if not significant:
        return False
    return sum(1 for w in significant if w[0].isupper()) >= 0.75 * len(significant)


# Related stories: "... Some Outlet - 4h -", "... 3 hours ago", "Outlet · 2d".
