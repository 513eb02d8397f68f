"""Shape rules of the cleaner: per-line labels (byline, dateline, promo...) and context rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise

from summarizer.clean import boilerplate as bp
from summarizer.clean.lines import HAS_WORD_RE, Line
from summarizer.clean.metadata import MORE_FROM_RE, NOT_ORGS, STAMP_STARTS, Meta, is_author_name
from summarizer.read.meta import parse_byline, parse_copyright, parse_datelines

# Whole-line clutter shapes, tried in order; the first that matches names the drop.
_LINE_RULES: tuple[tuple[Callable[[str], object], str], ...] = (
    (bp.is_related_item, "related"),
    (bp.is_cross_link, "cross-link"),
    (bp.is_promo, "promo"),
    (bp.is_appeal, "appeal"),
    (bp.credit_tail, "caption"),
)


def classify(lines: list[Line], meta: Meta) -> None:
    """Per-line rules: set ``drop`` and collect metadata from bylines, datelines, copyright..."""
    n = len(lines)
    ev = meta.evidence
    authors: list[str] = []
    for i, line in enumerate(lines):
        t = line.text
        if line.only_link:
            line.drop = "link"
            continue
        if not t or not HAS_WORD_RE.search(t):
            line.drop = "symbols"
            continue
        wc = bp.word_count(t)
        sentence = bp.ends_like_sentence(t)
        if t[0] in "©(C" and (holder := parse_copyright(t)) is not None:
            if holder:
                ev.add_holder(holder, 3)
            line.drop = "copyright"
            continue
        if wc <= 14 and t[:2].lower() in ("by", "wr", "wo", "st", "re", "te"):
            names = parse_byline(t)
            if names and not (sentence and not re.search(r"\b[A-Z]\.$", t)):
                names = [x for x in names if x.lower() not in NOT_ORGS]
                if names:
                    people = [x for x in names if is_author_name(x)]
                    for org in (x for x in names if not is_author_name(x)):
                        ev.add_name(org, 5 if len(names) == 1 else 4)
                    authors.extend(p for p in people if p not in authors)
                    line.drop = "byline"
                    continue
        if wc <= 16 or (wc <= 32 and t[:3].lower() in STAMP_STARTS):
            stamps = parse_datelines(t)
            if stamps:
                for kind, when in stamps:
                    if kind == "published" and meta.published is None:
                        meta.published = when
                    elif kind == "updated" and meta.updated is None:
                        meta.updated = when
                line.drop = "dateline"
                continue
        if wc <= 16:
            if bp.is_reading_time(t) or bp.is_share_widget(t):
                line.drop = "widget"
                continue
            if bp.is_related_header(t):
                m = MORE_FROM_RE.match(t)
                if m:
                    ev.add_name(m.group(1), 3)
                line.drop = "related-header"
                continue
            if bp.is_credit_line(t):
                line.drop = "credit"
                continue
        label = next((name for test, name in _LINE_RULES if test(t)), "")
        if label:
            line.drop = label
            continue
        if i >= n // 2 and bp.is_bio(t):
            outlet = bp.bio_outlet(t)
            if outlet:
                ev.add_name(outlet, 4)
            line.drop = "bio"
            continue
        if line.link_chars and line.link_chars >= 0.6 * len(t) and not (sentence and wc >= 12):
            line.drop = "links"
            continue
        if line.heading or not sentence:
            ends_colon = t.endswith(":") and wc >= 5 and not line.heading
            if not ends_colon and (wc <= 12 or bp.caps_ratio(t) > 0.8 or line.heading):
                line.drop = "label"
                continue
        if wc <= 10 and bp.is_nav_word(t) and not sentence:
            line.drop = "nav"
    if authors and not meta.author:
        meta.author = ", ".join(authors)


def _teaser_headline(lines: list[Line], k: int) -> bool:
    """``lines[k]`` (above a teaser) is the teaser's headline.

    A headline has no full stop; a short question is one too when it opens the item (the line
    above it is a separator or other clutter): ``Is now the time to fix your mortgage?``.
    """
    t = lines[k].text
    if not bp.ends_like_sentence(t):
        return True
    return t.endswith("?") and bp.word_count(t) <= 16 and (k == 0 or bool(lines[k - 1].drop))


def _is_prose(line: Line) -> bool:
    """A full sentence of twelve words or more (a paragraph, or a teaser that reads like one)."""
    return bp.word_count(line.text) >= 12 and bp.ends_like_sentence(line.text)


_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)]*\s+[\"'“‘(]?[A-Z0-9]")


def _is_paragraph(text: str) -> bool:
    """Two sentences or more and at least 35 words: longer than any teaser."""
    return bp.word_count(text) >= 35 and bool(_SENTENCE_END_RE.search(text))


def context_rules(lines: list[Line]) -> None:
    """Rules that look at neighbours: related lists, captions, appeal blocks."""
    n = len(lines)
    # The headline above a teaser; every headline/teaser pair after a related-stories header.
    # The run ends at two prose lines in a row (a teaser follows a headline, not a sentence);
    # the first of them, marked only for following the run, is text again.
    in_related = False
    by_run: set[int] = set()
    for i, line in enumerate(lines):
        if line.drop in ("related-header", "related") and i not in by_run:
            in_related = True
            if i > 0 and lines[i - 1].drop in ("", "label") and _teaser_headline(lines, i - 1):
                lines[i - 1].drop = "related"
            continue
        if in_related and not line.drop:
            prev = lines[i - 1]
            if _is_paragraph(line.text):  # several sentences: a section, not a teaser
                in_related = False
            elif _is_prose(line) and _is_prose(prev) and (not prev.drop or i - 1 in by_run):
                in_related = False
                if i - 1 in by_run:
                    prev.drop = ""
            else:
                line.drop = "related"
                by_run.add(i)
    # A caption repeated twice (the second time with its credit); a caption above a credit.
    for i in range(n - 1):
        a, b = lines[i], lines[i + 1]
        if len(a.text) >= 20 and bp.word_count(a.text) <= 45 and a.drop in ("", "label", "caption"):
            fa, fb = a.key, b.key
            if (fb.startswith(fa) and fb != fa) or (fa == fb and bp.word_count(a.text) <= 45):
                a.drop = "caption"
                b.drop = "caption"
        if (
            b.drop == "credit"
            and a.drop == ""
            and bp.word_count(a.text) <= 45
            and not any(q in a.text for q in ('"', "“", "”"))
        ):
            a.drop = "caption"
    # The outlet's own plea between two appeals ("we need reporters... your donation...").
    appeals = [i for i, ln in enumerate(lines) if ln.drop == "appeal"]
    for first, last in pairwise(appeals):
        if last - first <= 6:
            for j in range(first + 1, last):
                if lines[j].drop == "" and (bp.is_we_voice(lines[j].text)):
                    lines[j].drop = "appeal"
    for k in appeals:
        t = lines[k].text
        if bp.word_count(t) <= 12 and not bp.ends_like_sentence(t):
            j = k + 1
            while j < n and j <= k + 4 and lines[j].drop == "" and bp.is_we_voice(lines[j].text):
                lines[j].drop = "appeal"
                j += 1


def _is_plea(line: Line) -> bool:
    if line.drop == "appeal":
        return True
    return line.drop in ("", "label") and bp.is_fundraising(line.text)


def appeal_blocks(lines: list[Line], protected: set[str]) -> None:
    """Drop a whole donation block: its short heading and the pleas under it.

    A block is a run of consecutive pleas (reader appeals, or lines dominated by "we"/"you" with
    a fundraising term) with "we"/"you" lines between them; it needs two pleas, or one reader
    appeal that asks for money. The short line above it (``Keep the <Outlet> going``) is the
    block's heading, never the article's title, unless it repeats a title given elsewhere
    (``protected`` keys).
    """
    n = len(lines)
    i = 0
    while i < n:
        if not _is_plea(lines[i]):
            i += 1
            continue
        end = i  # last plea of the run
        j = i + 1
        while j < n:
            ln = lines[j]
            if _is_plea(ln):
                end = j
            elif not (ln.drop in ("", "label") and bp.is_personal_voice(ln.text)) or j - end > 2:
                break
            j += 1
        run = lines[i : end + 1]
        pleas = [ln for ln in run if _is_plea(ln)]
        # One line alone is a block only when it is both a reader appeal and a plea for money.
        if len(pleas) >= 2 or (pleas[0].drop == "appeal" and bp.is_fundraising(pleas[0].text)):
            for ln in run:
                ln.drop = "appeal"
            if i > 0:
                head = lines[i - 1]
                t = head.text
                if (
                    head.drop in ("", "label")
                    and t
                    and bp.word_count(t) <= 8
                    and not bp.ends_like_sentence(t)
                    and not t.endswith(":")
                    and head.key not in protected
                ):
                    head.drop = "appeal"
        i = end + 1
