"""Markdown/plain-text lines of a raw input: link, image, heading and list marks reduced to text."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from itertools import pairwise

from summarizer.clean import boilerplate as bp
from summarizer.nlp.text import CharMap
from summarizer.read.meta import parse_byline, parse_datelines

__all__ = ["HAS_WORD_RE", "Line", "fold_key", "to_lines"]

_IMG_RE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*[\"')])?\s*\)")
_LINK_RE = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*[\"')])?\s*\)")
_REF_LINK_RE = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_REF_DEF_RE = re.compile(r"^\[[^\]]+\]:\s*\S+")
_URL_ONLY_RE = re.compile(r"^<?(https?://\S+?)>?$")
_HEADING_RE = re.compile(r"^#{1,6}\s+(.*?)\s*#*$")
_LIST_RE = re.compile(r"^(?:[-*+•‣◦▪·]|\d{1,3}[.)])(?:\s+|$)")
_QUOTE_RE = re.compile(r"^(?:>\s?)+")
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_EM_RE = re.compile(
    r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])|(?<![\w_])_(?!\s)(.+?)(?<!\s)_(?![\w_])"
)
_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_GLYPH_RE = re.compile(r"[☐☑☒✓✔✕✖✗✘■□▪▫●○◆◇►▶◀▲▼†‡¶§]")
HAS_WORD_RE = re.compile(r"[^\W_]")


_KEY_MAP = CharMap(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u00ab": '"',
        "\u00bb": '"',
        "\u00a0": " ",
    }
)


def fold_key(text: str) -> str:
    """A cheap comparison key: straight quotes, plain dashes, lower case."""
    return _KEY_MAP(text).lower()


@dataclass
class Line:
    """One non-empty line of the input, reduced to plain text, with what the rules decided."""

    text: str
    heading: bool = False
    link_chars: int = 0
    only_link: str = ""
    images: list[tuple[str, str]] = field(default_factory=list)
    drop: str = ""
    _key: str = ""
    block: int = 0  # index of the blank-line-separated block the line belongs to

    @property
    def key(self) -> str:
        """The folded text (computed once)."""
        if not self._key and self.text:
            self._key = fold_key(self.text)
        return self._key


def _md_line(raw: str) -> Line:
    text = raw
    heading = False
    m = _HEADING_RE.match(text)
    if m:
        text, heading = m.group(1), True
    if text.startswith(">"):
        text = _QUOTE_RE.sub("", text)
    text = _LIST_RE.sub("", text, count=1)
    images: list[tuple[str, str]] = []
    link_chars = 0
    only_link = ""
    if "[" in text:
        if "![" in text:
            images = [(a.strip(), u) for a, u in _IMG_RE.findall(text)]
            text = _IMG_RE.sub(" ", text)
        links = _LINK_RE.findall(text)
        if links:
            stripped = text.strip()
            whole = _LINK_RE.fullmatch(stripped)
            if whole:
                only_link = whole.group(2) or "#"
            link_chars = sum(len(t) for t, _ in links)
            text = _LINK_RE.sub(lambda mm: mm.group(1), text)
        if _REF_DEF_RE.match(text):
            text = ""
        text = _REF_LINK_RE.sub(r"\1", text)
    else:
        um = _URL_ONLY_RE.match(text)
        if um:
            only_link = um.group(1)
            text = ""
    if "*" in text or "__" in text:
        text = _BOLD_RE.sub(lambda mm: mm.group(1) or mm.group(2), text)
        text = _EM_RE.sub(lambda mm: mm.group(1) or mm.group(2), text)
    if "<" in text:
        text = _TAG_RE.sub("", text)
    if "&" in text and ";" in text:
        text = html.unescape(text)
    if "\\" in text:
        text = _ESCAPE_RE.sub(r"\1", text)
    if "`" in text:
        text = text.replace("`", "")
    if not text.isascii():  # every glyph is non-ASCII
        text = _GLYPH_RE.sub("", text)
    text = re.sub(r"\s{2,}", " ", text).strip() if "  " in text else text.strip()
    return Line(text, heading, link_chars, only_link, images)


_MARKER_RE = re.compile(r"^(?:#{1,6}\s|[-*+•]\s|\d{1,3}[.)]\s|>|!\[|\|)")


def _is_wrapped(lines: list[str]) -> bool:
    """True when paragraphs are hard-wrapped at a fixed width (an e-mail or a plain-text file).

    Wrapped prose breaks lines between arbitrary words, so most open-ended lines are followed
    by a line that starts in lower case; a flattened page (one paragraph per line) has none.
    """
    long = [ln for ln in lines if len(ln) >= 30]
    if len(long) < 4 or max(len(ln) for ln in long) > 100:
        return False
    pairs = lower = 0
    for a, b in pairwise(lines):
        if a and b and not bp.ends_like_sentence(a):
            pairs += 1
            lower += b[0].islower()
    return pairs >= 3 and lower >= 0.5 * pairs


def _is_head_line(line: str) -> bool:
    """A byline or a dateline: a line of its own even inside hard-wrapped text."""
    if bp.word_count(line) > 16:
        return False
    return bool(parse_byline(line)) or bool(parse_datelines(line))


_BULLET_RE = re.compile(r"^[-*•]\s+")


def _plain_line(raw: str) -> Line:
    """A line of extracted plain text (trafilatura's output): only its list bullet is removed.

    The text is the page's own words: no markdown is read into it (``__init__``, ``<tag>`` and
    ``1.`` stay as written).
    """
    return Line(_BULLET_RE.sub("", raw, count=1).strip())


def to_lines(body: str, markdown: bool = True) -> list[Line]:
    """The non-empty lines of a body, each tagged with its blank-line-separated block.

    ``markdown=False`` reads the body as extracted plain text (see :func:`_plain_line`).
    """
    raw_lines = body.split("\n")
    if markdown and _is_wrapped(raw_lines):
        merged: list[str] = []
        prev_blank = True
        for ln in raw_lines:
            if not ln:
                prev_blank = True
                continue
            if (
                merged
                and not prev_blank
                and not _MARKER_RE.match(ln)
                and not _MARKER_RE.match(merged[-1])
                and not _is_head_line(ln)
                and not _is_head_line(merged[-1])
            ):
                merged[-1] += " " + ln
            else:
                merged.append(ln)
            prev_blank = False
        raw_lines = [part for ln in merged for part in (ln, "")]
    out: list[Line] = []
    block = 0
    for ln in raw_lines:
        if not ln:
            block += 1
            continue
        line = _md_line(ln) if markdown else _plain_line(ln)
        if line.text or line.images or line.only_link:
            line.block = block
            out.append(line)
    return out
