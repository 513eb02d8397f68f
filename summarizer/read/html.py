"""Main text and metadata of an HTML page: trafilatura for the body, ``<meta>``/JSON-LD for the rest."""

from __future__ import annotations

import html as htmllib
import json
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from summarizer.errors import InputError

__all__ = ["HtmlPage", "extract_html"]


@dataclass
class HtmlPage:
    """What an HTML page says about itself (strings empty when unknown)."""

    text: str
    title: str = ""
    author: str = ""
    date: str = ""
    sitename: str = ""
    url: str = ""
    description: str = ""
    language: str = ""
    images: list[str] = field(default_factory=list)


_META_RE = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR_RE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_CANONICAL_RE = re.compile(r"<link\b[^>]*\brel\s*=\s*[\"']?canonical[^>]*>", re.I)
_LDJSON_RE = re.compile(
    r"<script\b[^>]*type\s*=\s*[\"']application/ld\+json[\"'][^>]*>(.*?)</script>", re.I | re.S
)
_LANG_RE = re.compile(r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z-]{2,12})", re.I)
_ARTICLE_TYPES = (
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "blogposting",
    "report",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "webpage",
    "liveblogposting",
)


def _attrs(tag: str) -> dict[str, str]:
    return {k.lower(): htmllib.unescape(a or b or c) for k, a, b, c in _ATTR_RE.findall(tag)}


def _meta_tags(head: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for tag in _META_RE.findall(head):
        a = _attrs(tag)
        key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
        if key and "content" in a and key not in out:
            out[key] = a["content"].strip()
    return out


def _names(value: Any, depth: int = 0) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if depth > _MAX_LD_DEPTH:
        return []
    if isinstance(value, dict):
        return _names(value.get("name"), depth + 1)
    if isinstance(value, list):
        return [n for v in value[:_MAX_LD_LIST] for n in _names(v, depth + 1)]
    return []


def _urls(value: Any, depth: int = 0) -> list[str]:
    if isinstance(value, str):
        return [value]
    if depth > _MAX_LD_DEPTH:
        return []
    if isinstance(value, dict):
        return _urls(value.get("url") or value.get("@id") or value.get("contentUrl"), depth + 1)
    if isinstance(value, list):
        return [u for v in value[:_MAX_LD_LIST] for u in _urls(v, depth + 1)]
    return []


#: JSON-LD limits: nesting followed when looking for names/URLs, list items read, nodes visited.
_MAX_LD_DEPTH = 8
_MAX_LD_LIST = 50
_MAX_LD_NODES = 10_000


def _json_ld(page: str) -> dict[str, Any]:
    """The first Article-like JSON-LD object of the page ({} if none).

    Hostile blocks cost linear time: nesting deeper than the JSON parser allows is skipped
    (RecursionError), and the breadth-first search visits at most ``_MAX_LD_NODES`` nodes.
    """
    for block in _LDJSON_RE.findall(page):
        try:
            data = json.loads(block.strip())
        except (ValueError, RecursionError):
            continue
        queue: deque[Any] = deque([data])
        visited = 0
        while queue and visited < _MAX_LD_NODES:
            item = queue.popleft()
            visited += 1
            if isinstance(item, list):
                queue.extend(item[:_MAX_LD_NODES])
            elif isinstance(item, dict):
                kind = item.get("@type")
                kinds = [
                    k.lower()
                    for k in (kind if isinstance(kind, list) else [kind])
                    if isinstance(k, str)
                ]
                if any(k in _ARTICLE_TYPES for k in kinds) and (
                    item.get("headline") or item.get("datePublished")
                ):
                    return item
                if "@graph" in item:
                    graph = item["@graph"]
                    queue.extend(graph[:_MAX_LD_NODES] if isinstance(graph, list) else [graph])
    return {}


def extract_html(page: str, url: str = "") -> HtmlPage:
    """Main text (paragraphs one per line, as trafilatura extracts it) and metadata of an HTML page.

    Raises :class:`InputError` when the page has no article text.
    """
    import trafilatura  # imported lazily: heavy, and only HTML needs it

    head_end = page.lower().find("</head>")
    head = page[: head_end if head_end > 0 else 20000]
    metas = _meta_tags(head)
    ld = _json_ld(page)
    try:
        doc = trafilatura.bare_extraction(
            page,
            url=url or None,
            include_comments=False,
            include_tables=True,
            include_images=False,
            with_metadata=True,
            as_dict=False,
        )
    except Exception as exc:  # trafilatura raises many kinds of parser errors
        raise InputError(f"could not parse the HTML page ({type(exc).__name__})") from exc
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    if not text.strip():
        raise InputError("no article text found in the HTML page")

    def pick(*values: Any) -> str:
        for v in values:
            if isinstance(v, str) and v.strip():
                return v.strip()
        return ""

    publisher = _names(ld.get("publisher"))
    authors = _names(ld.get("author"))
    canonical = ""
    m = _CANONICAL_RE.search(head)
    if m:
        canonical = _attrs(m.group(0)).get("href", "")
    images = [
        u
        for u in [
            metas.get("og:image", ""),
            metas.get("twitter:image", ""),
            *_urls(ld.get("image")),
        ]
        if u.startswith(("http://", "https://"))
    ]
    lang = _LANG_RE.search(head)
    return HtmlPage(
        text=text,
        title=pick(ld.get("headline"), metas.get("og:title"), getattr(doc, "title", None)),
        author=pick(", ".join(authors), metas.get("author"), getattr(doc, "author", None)),
        date=pick(
            ld.get("datePublished"),
            metas.get("article:published_time"),
            metas.get("og:published_time"),
            metas.get("date"),
            metas.get("pubdate"),
            metas.get("dc.date"),
            ld.get("dateModified"),
            getattr(doc, "date", None),
        ),
        sitename=pick(
            metas.get("og:site_name"),
            publisher[0] if publisher else "",
            getattr(doc, "sitename", None),
        ),
        url=pick(
            canonical,
            metas.get("og:url"),
            *(_urls(ld.get("url")) or [""]),
            url,
            getattr(doc, "url", None),
        ),
        description=pick(
            metas.get("description"), metas.get("og:description"), getattr(doc, "description", None)
        ),
        language=pick(lang.group(1) if lang else "", getattr(doc, "language", None)),
        images=images,
    )
