"""Turn one raw input (markdown, a flattened text dump or HTML) into a :class:`CleanDoc`.

The body keeps the article's own paragraphs, in order. Clutter is recognised by its shape:

* per line (:mod:`summarizer.clean.boilerplate`): symbol-only lines and checkbox glyphs, share/print
  buttons, reading-time stamps, ``LABEL: headline`` cross-links, teasers ending with an age stamp
  (``Outlet - 4h -``), ``More from X`` / ``More in X`` headers, imperative promos, reader appeals
  (``your support``, ``sign up``...), picture credits, author bios, bylines, datelines,
  copyright lines, link-only lines, and short lines without sentence punctuation (kickers,
  headings, menu items, lone names);
* in context: the headline above a teaser, everything in a related-stories list, a caption
  repeated twice or followed by a credit line, the first-person-plural lines between two appeals
  (the outlet pleading for money), repeated headline/standfirst, duplicate paragraphs.

Metadata is taken from front matter, HTML meta/JSON-LD, bylines, datelines, copyright lines,
source links and image URLs; the outlet is reconciled by :class:`summarizer.read.outlets.OutletEvidence`.
Dates are timezone-aware; a time given without a zone is taken as UTC (see :mod:`summarizer.read.meta`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import Any
from urllib.parse import urljoin, urlsplit

from summarizer.clean import boilerplate as bp
from summarizer.errors import InputError
from summarizer.models import CleanDoc
from summarizer.nlp.text import normalize_space
from summarizer.read.meta import (
    is_person_name,
    parse_byline,
    parse_copyright,
    parse_date,
    parse_datelines,
    split_front_matter,
)
from summarizer.read.outlets import OutletEvidence, name_key

__all__ = ["KINDS", "clean_document"]

KINDS = frozenset({"md", "txt", "html"})

# --------------------------------------------------------------------------- markdown lines

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
_HAS_WORD_RE = re.compile(r"[^\W_]")


_KEY_MAP = str.maketrans(
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


def _key(text: str) -> str:
    """A cheap comparison key: straight quotes, plain dashes, lower case."""
    return text.translate(_KEY_MAP).lower()


@dataclass
class _Line:
    text: str
    heading: bool = False
    link_chars: int = 0
    only_link: str = ""
    images: list[tuple[str, str]] = field(default_factory=list)
    drop: str = ""
    _key: str = ""

    @property
    def key(self) -> str:
        """The folded text (computed once)."""
        if not self._key and self.text:
            self._key = _key(self.text)
        return self._key


def _md_line(raw: str) -> _Line:
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
    text = _GLYPH_RE.sub("", text)
    text = re.sub(r"\s{2,}", " ", text).strip() if "  " in text else text.strip()
    return _Line(text, heading, link_chars, only_link, images)


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


def _to_lines(body: str) -> list[_Line]:
    raw_lines = body.split("\n")
    if _is_wrapped(raw_lines):
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
            ):
                merged[-1] += " " + ln
            else:
                merged.append(ln)
            prev_blank = False
        raw_lines = merged
    out: list[_Line] = []
    for ln in raw_lines:
        if not ln:
            continue
        line = _md_line(ln)
        if line.text or line.images or line.only_link:
            out.append(line)
    return out


# --------------------------------------------------------------------------- metadata helpers

_FM_TITLE = ("title", "headline", "name")
_FM_DATE = (
    "date",
    "published",
    "published_at",
    "publishdate",
    "pubdate",
    "date_published",
    "datepublished",
    "created",
    "created_at",
    "datetime",
    "time",
)
_FM_UPDATED = ("updated", "lastmod", "modified", "updated_at", "date_modified")
_FM_AUTHOR = ("author", "authors", "byline", "creator", "writer")
_FM_URL = (
    "canonical",
    "canonical_url",
    "url",
    "link",
    "permalink",
    "source_url",
    "original_url",
    "origin",
    "source",
)
_FM_OUTLET = (
    "outlet",
    "publisher",
    "site_name",
    "sitename",
    "site",
    "publication",
    "source_name",
    "source",
    "newspaper",
    "media",
    "organization",
)
_FM_SUMMARY = ("summary", "description", "excerpt", "lead", "standfirst", "subtitle", "dek")
_FM_LANG = ("lang", "language", "locale")
_FM_IMAGE = ("image", "thumbnail", "cover", "featured_image", "og_image", "images")
_FM_LABELS = ("categories", "category", "tags", "feed", "source_id")


def _first_str(value: Any) -> str:
    if isinstance(value, list | tuple):
        for item in value:
            s = _first_str(item)
            if s:
                return s
        return ""
    if isinstance(value, dict):
        return _first_str(value.get("name") or value.get("url") or "")
    if value is None:
        return ""
    return str(value).strip()


def _all_str(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [s for item in value for s in _all_str(item)]
    s = _first_str(value)
    return [s] if s else []


def _is_http(url: str) -> bool:
    return url.startswith(("http://", "https://")) and bool(urlsplit(url).hostname)


_TRACKING_RE = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|cmpid|ocid|ref|src|smid)=", re.I)


def canonical_url(url: str) -> str:
    """The URL without fragment and tracking parameters (``utm_*``, ``fbclid``...)."""
    url = url.strip()
    if not _is_http(url):
        return ""
    parts = urlsplit(url)
    query = "&".join(q for q in parts.query.split("&") if q and not _TRACKING_RE.match(q))
    out = f"{parts.scheme}://{parts.netloc}{parts.path or '/'}"
    return f"{out}?{query}" if query else out


@dataclass
class _Meta:
    title: str = ""
    author: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    url: str = ""
    summary: str = ""
    language: str = ""
    images: list[str] = field(default_factory=list)
    evidence: OutletEvidence = field(default_factory=OutletEvidence)


def _apply_front_matter(fm: dict[str, Any], meta: _Meta) -> None:
    get = fm.get
    meta.title = next((_first_str(get(k)) for k in _FM_TITLE if _first_str(get(k))), "")
    for key in _FM_DATE:
        when = parse_date(_first_str(get(key)) if not isinstance(get(key), datetime) else get(key))
        if when:
            meta.published = when
            break
    for key in _FM_UPDATED:
        when = parse_date(_first_str(get(key)))
        if when:
            meta.updated = when
            break
    for key in _FM_AUTHOR:
        names = [n for n in _all_str(get(key)) if n]
        if names:
            meta.author = ", ".join(dict.fromkeys(names))
            break
    for key in _FM_URL:
        url = canonical_url(_first_str(get(key)))
        if url:
            meta.url = url
            meta.evidence.add_url(url, 6)
            break
    for key in _FM_OUTLET:
        name = _first_str(get(key))
        if name and not _is_http(name) and len(name) <= 60:
            meta.evidence.explicit = name
            break
    meta.summary = next((_first_str(get(k)) for k in _FM_SUMMARY if _first_str(get(k))), "")
    meta.language = next((_first_str(get(k)) for k in _FM_LANG if _first_str(get(k))), "")
    for key in _FM_IMAGE:
        meta.images.extend(u for u in _all_str(get(key)) if _is_http(u))
    for key in _FM_LABELS:
        for label in _all_str(get(key)):
            meta.evidence.add_label(label, 2)


# --------------------------------------------------------------------------- self-references

_NAME_PHRASE = r"((?:The\s+)?(?:[A-Z][\w&'’.-]*|[A-Z]{2,})(?:\s+(?:[A-Z][\w&'’.-]*|of|&)){0,4})"
_SELF_REF_RE = re.compile(
    r"(?:^|[.!?]\s+|\n)" + _NAME_PHRASE + r"\s+(?:has|had|have)?\s*(?:reached\s+out|contacted|"
    r"(?:asked|requested)\s+.{0,40}?\bfor\s+comment|requested\s+comment|"
    r"could\s+not\s+(?:immediately\s+|independently\s+)?(?:reach|verify|confirm)|"
    r"was\s+(?:not\s+)?(?:unable|able)\s+to\s+(?:reach|verify|confirm)|"
    r"did\s+not\s+(?:immediately\s+)?(?:receive|get)\s+a\s+response)"
)
_MORE_FROM_RE = re.compile(r"^More\s+(?:from|on)\s+" + _NAME_PHRASE + r"\s*:?\s*$")
_AGENCY_DATELINE_RE = re.compile(
    r"^[A-Z][A-Za-z .,'’-]{1,40}\s*\(([A-Z][\w&.' -]{1,30})\)\s*[-–—]\s"
)
_NOT_ORGS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday staff "
    "january february march april may june july august september october november december "
    "admin editor editors guest anonymous".split()
)
_PRONOUN_START = frozenset("he she it they we i this that there a an his her their its".split())


_ORG_HINT_RE = re.compile(
    r"^The\s|\b[A-Z]{2,}\b|\b(?:News|Times|Post|Press|Journal|Herald|Tribune|Daily|Media|Network|"
    r"Radio|TV|Television|Agency|Wire|Gazette|Telegraph|Guardian|Observer|Report|Magazine|"
    r"Chronicle|Star|Sun|Mail|Express|Review|Insider|Today|Weekly|Ledger|Record|Globe|Courier|"
    r"Inquirer|Monitor|Examiner|Bulletin|Standard|Register|Dispatch|Sentinel|Online|Digital|"
    r"Broadcasting|Service|Channel|Public|Free)\b"
)
_SELF_REF_HINT_RE = re.compile(
    r"reached out|contacted|for comment|could not|unable to|able to|did not immediately"
)


# The last word of an organisation's name in a byline ("By Capital Region Wire", "By City
# News Service"): a newsroom or agency credited instead of a person.
_BYLINE_ORG_RE = re.compile(
    r"\b(?:Wire|News|Newswire|Press|Agency|Agencies|Times|Media|Network|Service|Services|"
    r"Staff|Desk|Newsroom|Bureau|Radio|TV|Television|Journal|Herald|Tribune|Gazette|Chronicle|"
    r"Ledger|Courier|Daily|Reports|Team|Editors|Editorial|Board|Correspondents|Reporters|"
    r"Online|Digital|Broadcasting|Group|Syndicate|Wires)$"
)


_STAMP_STARTS = frozenset(("pub", "upd", "pos", "las", "fir", "mod"))


def _is_author_name(name: str) -> bool:
    """A person's name in a byline, not an outlet or agency credited as the author."""
    return is_person_name(name) and not _BYLINE_ORG_RE.search(name) and name.split()[0] != "The"


def _self_references(text: str, evidence: OutletEvidence) -> None:
    for hint in _SELF_REF_HINT_RE.finditer(text):
        start = max(text.rfind("\n", 0, hint.start()), text.rfind(". ", 0, hint.start()), 0)
        m = _SELF_REF_RE.search(text, start, hint.end() + 60)
        if not m:
            continue
        name = m.group(1)
        if name.split()[0].lower() not in _PRONOUN_START and (
            not is_person_name(name) or _ORG_HINT_RE.search(name)
        ):
            evidence.add_name(name, 5)


# --------------------------------------------------------------------------- the cleaner


def _looks_like_html(raw: str) -> bool:
    head = raw[:1000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or (
        "<body" in raw[:5000].lower() and "</p>" in raw.lower()
    )


def _halve(alt: str) -> str:
    """``Headline Headline`` (an alt text that repeats the headline) -> ``Headline``."""
    alt = alt.strip()
    mid = len(alt) // 2
    if len(alt) % 2 == 1 and alt[:mid] == alt[mid + 1 :]:
        return alt[:mid].strip()
    return alt


def _is_kicker(text: str) -> bool:
    return bp.word_count(text) <= 8 and bp.caps_ratio(text) > 0.8


def _title_candidate(line: _Line) -> bool:
    t = line.text
    if not t or line.only_link or line.drop not in ("", "label"):
        return False
    if _is_kicker(t) or bp.is_nav_word(t) or bp.is_share_widget(t):
        return False
    return bp.word_count(t) >= 3 or len(t) >= 15


# Whole-line clutter shapes, tried in order; the first that matches names the drop.
_LINE_RULES: tuple[tuple[Callable[[str], object], str], ...] = (
    (bp.is_related_item, "related"),
    (bp.is_cross_link, "cross-link"),
    (bp.is_promo, "promo"),
    (bp.is_appeal, "appeal"),
    (bp.credit_tail, "caption"),
)


def _classify(lines: list[_Line], meta: _Meta) -> None:
    """Per-line rules: set ``drop`` and collect metadata from bylines, datelines, copyright..."""
    n = len(lines)
    ev = meta.evidence
    authors: list[str] = []
    for i, line in enumerate(lines):
        t = line.text
        if line.only_link:
            line.drop = "link"
            continue
        if not t or not _HAS_WORD_RE.search(t):
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
                names = [x for x in names if x.lower() not in _NOT_ORGS]
                if names:
                    people = [x for x in names if _is_author_name(x)]
                    for org in (x for x in names if not _is_author_name(x)):
                        ev.add_name(org, 5 if len(names) == 1 else 4)
                    authors.extend(p for p in people if p not in authors)
                    line.drop = "byline"
                    continue
        if wc <= 16 or (wc <= 32 and t[:3].lower() in _STAMP_STARTS):
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
                m = _MORE_FROM_RE.match(t)
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


def _teaser_headline(lines: list[_Line], k: int) -> bool:
    """``lines[k]`` (above a teaser) is the teaser's headline.

    A headline has no full stop; a short question is one too when it opens the item (the line
    above it is a separator or other clutter): ``Is now the time to fix your mortgage?``.
    """
    t = lines[k].text
    if not bp.ends_like_sentence(t):
        return True
    return t.endswith("?") and bp.word_count(t) <= 16 and (k == 0 or bool(lines[k - 1].drop))


def _context_rules(lines: list[_Line]) -> None:
    """Rules that look at neighbours: related lists, captions, appeal blocks."""
    n = len(lines)
    # The headline above a teaser; every headline/teaser pair after a related-stories header.
    in_related = False
    for i, line in enumerate(lines):
        if line.drop in ("related-header", "related"):
            in_related = True
            if i > 0 and lines[i - 1].drop in ("", "label") and _teaser_headline(lines, i - 1):
                lines[i - 1].drop = "related"
            continue
        if in_related and not line.drop:
            prev = lines[i - 1]
            if (
                not (prev.drop == "" and bp.ends_like_sentence(prev.text))
                or bp.word_count(line.text) < 12
            ):
                line.drop = "related"
            else:
                in_related = False
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


def _without_outlets(author: str, outlet: str, ev: OutletEvidence) -> str:
    """The author list without names that are the outlet (``By <Outlet>`` credits the newsroom)."""
    if not author:
        return author
    keys = {name_key(outlet)} if outlet else set()
    keys.update(name_key(h) for h, _ in ev.holders)
    keys.update(re.sub(r"[^a-z0-9]", "", lbl) for lbl, _, _ in ev.labels)
    keys.discard("")
    names = [a.strip() for a in author.split(",")]
    kept = [a for a in names if a and name_key(a) not in keys]
    return ", ".join(kept) if len(kept) != len(names) else author


def _is_plea(line: _Line) -> bool:
    if line.drop == "appeal":
        return True
    return line.drop in ("", "label") and bp.is_fundraising(line.text)


def _appeal_blocks(lines: list[_Line], protected: set[str]) -> None:
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


def clean_document(raw: str, kind: str, name: str = "") -> CleanDoc:
    """Clean one raw document of ``kind`` ``"md"``, ``"txt"`` or ``"html"``.

    ``name`` (a file name or URL) is only a hint: a URL there is evidence for ``url``/``outlet``.
    Raises :class:`InputError` when no article text is left.
    """
    if kind not in KINDS:
        raise InputError(f"unsupported input kind {kind!r} (expected md, txt or html)")
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not raw.strip():
        raise InputError("the input is empty")
    meta = _Meta()
    ev = meta.evidence
    hint_url = canonical_url(name) if _is_http(name.strip()) else ""
    if kind == "html" or _looks_like_html(raw):
        from summarizer.read.html import extract_html  # trafilatura only when needed

        page = extract_html(raw, hint_url)
        body = page.text
        meta.title, meta.author, meta.summary = page.title, page.author, page.description
        meta.published = parse_date(page.date) if page.date else None
        meta.language = page.language
        meta.images.extend(page.images)
        if page.url:
            meta.url = canonical_url(page.url)
            ev.add_url(meta.url, 6)
        if page.sitename and re.fullmatch(r"[\w.-]+\.[a-z]{2,}", page.sitename):
            ev.add_label(page.sitename.removeprefix("www."), 3)
        elif page.sitename:
            ev.explicit = page.sitename
    else:
        fm, body = split_front_matter(raw)
        if fm:
            _apply_front_matter(fm, meta)
    if hint_url:
        ev.add_url(hint_url, 5)
    body = normalize_space(body)
    lines = _to_lines(body)
    if not lines:
        raise InputError("no article text found")

    # A trailing link on its own line is the source link ("[site](https://site/story)").
    for line in lines[-2:]:
        href = line.only_link
        if href and _is_http(href) and len(urlsplit(href).path) > 1:
            if not meta.url:
                meta.url = canonical_url(href)
            ev.add_url(href, 6)
            line.drop = "source"

    _classify(lines, meta)
    _context_rules(lines)
    protected = {_key(normalize_space(meta.title))} if meta.title else set()
    protected.update(
        _key(_halve(alt)) for ln in lines[:8] for alt, _ in ln.images if bp.word_count(alt) >= 3
    )
    _appeal_blocks(lines, protected)

    first_body = next(
        (
            i
            for i, ln in enumerate(lines)
            if not ln.drop and bp.ends_like_sentence(ln.text) and bp.word_count(ln.text) >= 8
        ),
        len(lines),
    )
    # Title: front matter/HTML, else the first substantial header line, else a headline alt text.
    title_idx = -1
    if not meta.title:
        header = lines[:first_body]
        heads = [i for i, ln in enumerate(header) if ln.heading and _title_candidate(ln)]
        cands = heads or [i for i, ln in enumerate(header) if _title_candidate(ln)]
        if cands:
            title_idx = cands[0]
            meta.title = lines[title_idx].text
        else:
            for ln in header:
                alts = [a for a, _ in ln.images if bp.word_count(a) >= 3]
                if alts:
                    meta.title = _halve(alts[0])
                    break
    title_key = _key(normalize_space(meta.title)) if meta.title else ""
    for i, ln in enumerate(lines):
        if i == title_idx or (title_key and ln.key == title_key):
            ln.drop = "title"
    # Standfirst: sentences between the title and a byline/dateline (kept in the text).
    if title_idx >= 0 and not meta.summary:
        stand = ""
        for ln in lines[title_idx + 1 : title_idx + 10]:
            if ln.drop in ("byline", "dateline"):
                meta.summary = stand
                break
            if not ln.drop:
                if stand or not bp.ends_like_sentence(ln.text):
                    break
                stand = ln.text
    # Images, wherever they were.
    for ln in lines:
        for _alt, src in ln.images:
            if src and not src.startswith("data:"):
                meta.images.append(urljoin(meta.url, src) if meta.url else src)
    images = tuple(dict.fromkeys(u for u in meta.images if u))
    for img in images[:3]:
        ev.add_url(img, 2)

    kept: list[str] = []
    seen: set[str] = set()
    for ln in lines:
        if ln.drop:
            continue
        key = ln.key
        if key in seen:
            continue
        seen.add(key)
        if len(kept) < 3:
            m = _AGENCY_DATELINE_RE.match(ln.text)
            if m:
                ev.add_name(m.group(1), 5)
        kept.append(ln.text)
    if not kept or sum(bp.word_count(p) for p in kept) < 8:
        raise InputError("no article text found (only navigation or boilerplate)")

    full = "\n".join(ln.text for ln in lines)
    _self_references(full, ev)
    outlet = ev.resolve(meta.title + "\n" + full)
    author = _without_outlets(meta.author, outlet, ev)
    published = meta.published or meta.updated
    return CleanDoc(
        title=meta.title,
        text="\n\n".join(kept),
        outlet=outlet,
        author=author,
        published=published,
        url=meta.url or hint_url,
        images=images,
        summary=meta.summary,
        language=meta.language,
    )
