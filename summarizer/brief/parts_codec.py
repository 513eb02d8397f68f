"""Article parts (``summarizer.brief.parts``) as compact bytes, and the format number they carry.

JSON with one string table per article, compressed by zlib against the article's own title and
text (a preset dictionary: the sentences in the parts are copies of its words, so they cost
references). Reading decodes rows at once and a row's detail or a sentence's concepts only when
asked: a big story uses each article's leading sentences only.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

from summarizer.brief.facts import SentenceFacts, Unit
from summarizer.brief.parts import ArticleParts, Concepts, Detail, Row
from summarizer.models import Article

# The layout of stored parts and the code that fills them: bump it whenever either changes
# (the fitted data files are fingerprinted separately, see ``parts_format``).
FORMAT = 2


@cache
def parts_format() -> int:
    """The format number stored with parts: FORMAT and a fingerprint of the fitted data that
    concepts depend on (a refit makes every stored part stale, so it is recomputed)."""
    data = resources.files("summarizer.brief").joinpath("data")
    crc = 0
    for name in ("facts.json", "paraphrase.json"):
        try:
            crc = zlib.crc32(data.joinpath(name).read_bytes(), crc)
        except (FileNotFoundError, OSError):
            crc = zlib.crc32(name.encode(), crc)
    return (FORMAT << 32) | crc


class _Strings:
    """A string table: every distinct string of one article's parts is stored once."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, s: str) -> int:
        """The index of a string (added on first sight)."""
        return self.index.setdefault(s, len(self.index))

    def many(self, items: Sequence[str]) -> list[int]:
        """The indices of several strings."""
        index = self.index
        return [index.setdefault(x, len(index)) for x in items]

    def concepts(self, found: Sequence[tuple[str, float]]) -> list[float | int]:
        """A concept list as [name, weight, name, weight, ...] (weights are floats)."""
        index = self.index
        flat: list[float | int] = []
        for c, w in found:
            flat.append(index.setdefault(c, len(index)))
            flat.append(w)
        return flat

    def unit(self, u: Unit, concepts_at: int) -> list[Any]:
        """A unit whose concepts are stored under one of the table's texts (``concepts_at``),
        or inline (``concepts_at`` -1)."""
        head = [concepts_at] if concepts_at >= 0 else [self.concepts(u.concepts)]
        return [*head, self(u.actor), self.many(u.surnames), int(u.negated)]


def _zdict(article: Article) -> bytes:
    """The article's words as zlib's preset dictionary: the sentences in the parts are copies
    of them, so they are stored as references (about a third smaller than plain zlib)."""
    return f"{article.title}\n\n{article.text}".encode()[-32768:]  # zlib's window


def dumps(parts: ArticleParts, article: Article) -> bytes:
    """The article's parts as compact bytes (JSON with one string table, compressed)."""
    table = _Strings()
    known: dict[int, list[float | int]] = {}
    every = []
    for text, found in zip(parts.every, parts.every_concepts(), strict=True):
        at = table(text)
        if at not in known:
            known[at] = table.concepts(found)
        every.append(at)
    rows: list[Any] = []
    for k, r in enumerate(parts.rows):
        if not r.usable:
            rows.append([r.paragraph, r.key])
            continue
        d = parts.detail(k)
        at = table(r.text)
        if at not in known:
            known[at] = table.concepts(d.facts.whole.concepts)
        rows.append([
            r.paragraph, r.key, at, r.n_words, r.quality, int(d.dangling),
            table.many(d.terms),
            table.unit(d.facts.whole, at),
            [table.unit(u, -1) for u in d.facts.clauses],
            table.many(d.rank_words),
        ])
    doc = {
        "p": list(parts.paragraph_chars),
        "r": rows,
        "b": table.many(parts.body),
        "e": every,
        "c": [[k, v] for k, v in known.items()],
        "s": list(table.index),
    }
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    packer = zlib.compressobj(6, zdict=_zdict(article))
    return packer.compress(raw) + packer.flush()


def loads(data: bytes, article: Article) -> ArticleParts:
    """The article's parts from ``dumps`` bytes (same ``parts_format``); ValueError if
    unreadable."""
    try:
        unpacker = zlib.decompressobj(zdict=_zdict(article))
        raw = unpacker.decompress(data) + unpacker.flush()
        if not unpacker.eof:
            raise ValueError("truncated")
        return _decode(json.loads(raw))
    except (zlib.error, ValueError, KeyError, IndexError, TypeError) as exc:
        raise ValueError(f"unreadable article parts: {exc}") from exc


_ROW_FIELDS = 10  # a usable row as ``dumps`` writes it


class _Decoder:
    """Stored parts decoded on demand: rows at once, details and concepts when asked."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.s: list[str] = doc["s"]
        self.raw_rows: list[list[Any]] = doc["r"]
        self.known: dict[int, list[Any]] = {int(k): v for k, v in doc["c"]}
        self.every: list[int] = doc["e"]
        self.cache: dict[int, Concepts] = {}
        if any(len(r) not in (2, _ROW_FIELDS) for r in self.raw_rows):
            raise ValueError("rows of another layout")

    def parts(self, paragraph_chars: list[int], body: list[int]) -> ArticleParts:
        """The parts, their rows decoded."""
        s = self.s
        rows = tuple(
            Row(r[0], r[1], True, s[r[2]], r[3], r[4]) if len(r) > 2 else Row(r[0], r[1], False)
            for r in self.raw_rows
        )
        return ArticleParts(
            tuple(paragraph_chars), rows, tuple(s[k] for k in body),
            tuple(s[k] for k in self.every), self.detail, self.every_concepts,
        )

    def concepts(self, flat: list[Any]) -> Concepts:
        """A stored concept list."""
        s = self.s
        return tuple(zip([s[k] for k in flat[::2]], flat[1::2], strict=True))

    def concepts_at(self, at: int) -> Concepts:
        """The concepts stored for string ``at``."""
        found = self.cache.get(at)
        if found is None:
            found = self.cache[at] = self.concepts(self.known[at])
        return found

    def every_concepts(self, k: int) -> Concepts:
        """The concepts of sentence ``k`` of ``every``."""
        return self.concepts_at(self.every[k])

    def unit(self, u: list[Any]) -> Unit:
        """A stored unit."""
        s = self.s
        found = self.concepts_at(u[0]) if isinstance(u[0], int) else self.concepts(u[0])
        return Unit(found, s[u[1]], tuple([s[k] for k in u[2]]), bool(u[3]))

    def detail(self, k: int) -> Detail:
        """The detail of usable row ``k``."""
        _, _, _, _, _, dangling, terms, whole, clauses, ranked = self.raw_rows[k]
        s = self.s
        facts = SentenceFacts(self.unit(whole), tuple([self.unit(u) for u in clauses]))
        return Detail(
            facts, tuple([s[t] for t in terms]), bool(dangling), tuple([s[w] for w in ranked])
        )


def _decode(doc: dict[str, Any]) -> ArticleParts:
    return _Decoder(doc).parts(doc["p"], doc["b"])
