"""OPML feed lists: read the feed URLs of an OPML file, write the polled feeds as OPML 2.0, and
import a list all-or-nothing (every URL is checked before any is added)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

if TYPE_CHECKING:
    from bot.store import Store

#: Larger OPML files are refused before parsing (a feed list is a few kilobytes).
MAX_OPML_BYTES = 2_000_000
#: At most this many feeds in one import.
MAX_OPML_FEEDS = 2_000


class OpmlError(ValueError):
    """An OPML file that cannot be imported, with a one-line reason."""


@dataclass(frozen=True)
class OpmlImport:
    """What an import did: the URLs added and those skipped as already present or repeated."""

    added: tuple[str, ...]
    duplicates: tuple[str, ...]

    def as_dict(self) -> dict[str, list[str]]:
        """The JSON shape of `briefbot feeds import --json`."""
        return {"added": list(self.added), "duplicates": list(self.duplicates)}

    def summary(self) -> str:
        """One line for people."""
        n, d = len(self.added), len(self.duplicates)
        return (
            f"Imported {n} feed{'s' if n != 1 else ''}; "
            f"{d} duplicate{'s' if d != 1 else ''} skipped."
        )


def _check_url(url: str) -> str | None:
    """Why ``url`` is not a usable feed address, or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "not a URL"
    if parts.scheme not in ("http", "https"):
        return "not an http(s) URL"
    if not parts.hostname or any(c.isspace() for c in url):
        return "not a URL"
    return None


def parse_opml(data: bytes) -> list[str]:
    """The feed URLs (``xmlUrl`` of every outline, nested ones too) in document order.

    Raises OpmlError for anything that is not an OPML document with only valid feed URLs.
    """
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"OPML file too large (over {MAX_OPML_BYTES // 1_000_000} MB)")
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise OpmlError("OPML with a DOCTYPE or entities is not accepted")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"not valid XML ({exc})") from None
    if root.tag != "opml":
        raise OpmlError(f"not OPML: the root element is <{root.tag}>, not <opml>")
    body = root.find("body")
    if body is None:
        raise OpmlError("not OPML: no <body> element")
    urls: list[str] = []
    for outline in body.iter("outline"):
        raw = outline.get("xmlUrl")
        if raw is None:
            continue  # a folder or a plain note
        url = raw.strip()
        why = _check_url(url)
        if why:
            shown = url if len(url) <= 80 else url[:77] + "..."
            raise OpmlError(f"outline xmlUrl {shown!r}: {why}")
        urls.append(url)
    if not urls:
        raise OpmlError("no feeds in this OPML file (no outline with an xmlUrl)")
    if len(urls) > MAX_OPML_FEEDS:
        raise OpmlError(f"too many feeds ({len(urls)}; at most {MAX_OPML_FEEDS} per import)")
    return urls


def write_opml(urls: Sequence[str], title: str = "briefbot feeds") -> str:
    """An OPML 2.0 document listing ``urls`` as RSS outlines."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for url in urls:
        ET.SubElement(body, "outline", type="rss", text=url, title=url, xmlUrl=url)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def import_opml(store: Store, data: bytes) -> OpmlImport:
    """Parse ``data`` and add its feeds in one transaction: all of them or, on error, none."""
    urls = parse_opml(data)
    added: list[str] = []
    duplicates: list[str] = []
    with store.atomic():
        for url in urls:
            (added if store.add_feed(url) else duplicates).append(url)
    return OpmlImport(tuple(added), tuple(duplicates))


def export_opml(store: Store) -> str:
    """The polled feeds as an OPML 2.0 document."""
    return write_opml([f.url for f in store.feeds()])
