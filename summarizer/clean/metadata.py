"""Metadata helpers of the cleaner: front matter keys, URLs, self-references, author lists."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import unquote_plus, urlsplit

from summarizer.read.meta import is_person_name, parse_date
from summarizer.read.outlets import OutletEvidence, name_key
from summarizer.read.urls import is_tracking_param

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


def is_http(url: str) -> bool:
    """Whether ``url`` is an http(s) URL with a host (the scheme in any case)."""
    try:
        parts = urlsplit(url.strip())
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False




def canonical_url(url: str) -> str:
    """The URL to show and link: scheme and host lower-cased, the path as the page gave it, no
    fragment, no tracking parameters (the same list as :func:`summarizer.read.urls.normalize_url`,
    which makes the identity key); ``""`` when it is not an http(s) URL."""
    if not is_http(url):
        return ""
    parts = urlsplit(url.strip())
    query = "&".join(
        q for q in parts.query.split("&") if q and not is_tracking_param(unquote_plus(q.partition("=")[0]))
    )
    out = f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path or '/'}"
    return f"{out}?{query}" if query else out


@dataclass
class Meta:
    title: str = ""
    author: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    url: str = ""
    summary: str = ""
    language: str = ""
    images: list[str] = field(default_factory=list)
    evidence: OutletEvidence = field(default_factory=OutletEvidence)


def apply_front_matter(fm: dict[str, Any], meta: Meta) -> None:
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
        if name and not is_http(name) and len(name) <= 60:
            meta.evidence.explicit = name
            break
    meta.summary = next((_first_str(get(k)) for k in _FM_SUMMARY if _first_str(get(k))), "")
    meta.language = next((_first_str(get(k)) for k in _FM_LANG if _first_str(get(k))), "")
    for key in _FM_IMAGE:
        meta.images.extend(u for u in _all_str(get(key)) if is_http(u))
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
MORE_FROM_RE = re.compile(r"^More\s+(?:from|on)\s+" + _NAME_PHRASE + r"\s*:?\s*$")
AGENCY_DATELINE_RE = re.compile(
    r"^[A-Z][A-Za-z .,'’-]{1,40}\s*\(([A-Z][\w&.' -]{1,30})\)\s*[-–—]\s"
)
NOT_ORGS = frozenset(
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


STAMP_STARTS = frozenset(("pub", "upd", "pos", "las", "fir", "mod"))


def is_author_name(name: str) -> bool:
    """A person's name in a byline, not an outlet or agency credited as the author."""
    return is_person_name(name) and not _BYLINE_ORG_RE.search(name) and name.split()[0] != "The"


def self_references(text: str, evidence: OutletEvidence) -> None:
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


def without_outlets(author: str, outlet: str, ev: OutletEvidence) -> str:
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
