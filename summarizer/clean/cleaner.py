"""Turn one raw input (markdown, a flattened text dump or HTML) into a :class:`CleanDoc`.

The body keeps the article's own paragraphs, in order. Each line is first labelled by shape rules
(:mod:`summarizer.clean.rules`, :mod:`summarizer.clean.boilerplate`: bylines, datelines, copyright,
share rows, promos, appeals, captions and credits, bios, related-story runs, short unpunctuated
labels...), which also collect metadata. Then :mod:`summarizer.clean.select` decides: a model
fitted on real pages (:mod:`summarizer.clean.model`, features in :mod:`summarizer.clean.features`)
drops unlabelled clutter and may keep a line the shape-only rules got wrong; HTML keeps what
trafilatura found less near-certain clutter. A short real item (a wire flash, a headline and a
teaser) is kept; only input with no words of its own is refused.

Metadata is taken from front matter, HTML meta/JSON-LD, bylines, datelines, copyright lines,
source links and image URLs; the outlet is reconciled by :class:`summarizer.read.outlets.OutletEvidence`.
A date given without a zone keeps that fact (``UNKNOWN_ZONE``, see :mod:`summarizer.read.dates`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from summarizer.clean import boilerplate as bp
from summarizer.clean.lines import Line, fold_key, to_lines
from summarizer.clean.metadata import (
    AGENCY_DATELINE_RE,
    Meta,
    apply_front_matter,
    canonical_url,
    is_http,
    self_references,
    without_outlets,
)
from summarizer.clean.rules import appeal_blocks, classify, context_rules
from summarizer.clean.select import select_lines
from summarizer.errors import InputError
from summarizer.models import CleanDoc
from summarizer.nlp.text import normalize_space
from summarizer.read.meta import parse_date, split_front_matter

__all__ = ["KINDS", "canonical_url", "clean_document"]

KINDS = frozenset({"md", "txt", "html"})

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
    """A short all-capitals line (a section kicker)."""
    return bp.word_count(text) <= 8 and bp.caps_ratio(text) > 0.8


def _title_candidate(line: Line) -> bool:
    t = line.text
    if not t or line.only_link or line.drop not in ("", "label"):
        return False
    if _is_kicker(t) or bp.is_nav_word(t) or bp.is_share_widget(t):
        return False
    return bp.word_count(t) >= 3 or len(t) >= 15


@dataclass
class Parsed:
    """One input split into lines, each labelled by the shape rules, with its metadata so far."""

    lines: list[Line]
    meta: Meta
    hint_url: str
    from_html: bool


def parse_input(raw: str, kind: str, name: str = "") -> Parsed:
    """Lines and metadata of one raw input; the rules' labels are set, nothing is removed yet."""
    if kind not in KINDS:
        raise InputError(f"unsupported input kind {kind!r} (expected md, txt or html)")
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not raw.strip():
        raise InputError("the input is empty")
    meta = Meta()
    ev = meta.evidence
    hint_url = canonical_url(name) if is_http(name.strip()) else ""
    from_html = kind == "html" or _looks_like_html(raw)
    if from_html:
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
            apply_front_matter(fm, meta)
    if hint_url:
        ev.add_url(hint_url, 5)
    body = normalize_space(body)
    lines = to_lines(body, markdown=not from_html)
    if not lines:
        raise InputError("no article text found")

    # A trailing link on its own line is the source link ("[site](https://site/story)").
    for line in lines[-2:]:
        href = line.only_link
        if href and is_http(href) and len(urlsplit(href).path) > 1:
            if not meta.url:
                meta.url = canonical_url(href)
            ev.add_url(href, 6)
            line.drop = "source"

    classify(lines, meta)
    context_rules(lines)
    protected = {fold_key(normalize_space(meta.title))} if meta.title else set()
    protected.update(
        fold_key(_halve(alt)) for ln in lines[:8] for alt, _ in ln.images if bp.word_count(alt) >= 3
    )
    appeal_blocks(lines, protected)

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
    title_key = fold_key(normalize_space(meta.title)) if meta.title else ""
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
    return Parsed(lines, meta, hint_url, from_html)


def clean_document(raw: str, kind: str, name: str = "") -> CleanDoc:
    """Clean one raw document of ``kind`` ``"md"``, ``"txt"`` or ``"html"``.

    ``name`` (a file name or URL) is only a hint: a URL there is evidence for ``url``/``outlet``.
    Raises :class:`InputError` when the input has no words of its own (empty, only navigation).
    """
    parsed = parse_input(raw, kind, name)
    lines, meta, hint_url = parsed.lines, parsed.meta, parsed.hint_url
    ev = meta.evidence
    keep = select_lines(lines, parsed.from_html)
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
    for ln, keep_line in zip(lines, keep, strict=True):
        if not keep_line or not ln.text:
            continue
        key = ln.key
        if key in seen and not parsed.from_html:
            continue
        seen.add(key)
        if len(kept) < 3:
            m = AGENCY_DATELINE_RE.match(ln.text)
            if m:
                ev.add_name(m.group(1), 5)
        kept.append(ln.text)
    if not kept:
        raise InputError("no article text found (only navigation or boilerplate)")

    full = "\n".join(ln.text for ln in lines)
    self_references(full, ev)
    outlet = ev.resolve(meta.title + "\n" + full)
    author = without_outlets(meta.author, outlet, ev)
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
