"""Sentences and tokens of a paragraph, with each quote span masked as one token."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from summarizer.nlp.text import ABBREVIATIONS, sentence_spans
from summarizer.quotes.spans import Cand

_TOKEN_RE = re.compile(
    r"[^\W\d_](?:[\w’'.-]*\w)?\.?|\d+(?:-[^\W\d_]+)+|\d+(?:[.,:]\d+)*%?\w*|[^\s\w]"
)
# Party/state tags after a name: "(D-Ore.)", "(R)", "(Vt.)", ", R-Kan.," (the first comma stays).
_TAG_RE = re.compile(
    r"\s*\((?:[DRI](?:-[A-Z][A-Za-z.]{0,12})?|[A-Z][a-z]{1,4}\.)\)|(?<=,)\s*[DRI]-[A-Z][A-Za-z.]{0,12},"
)


# A dateline opening a paragraph: "OTTAWA —", "HALIFAX, N.S. (CP) -".
_DATELINE_RE = re.compile(r"^\s*[A-Z][A-Z.'-]+(?:[ ,]+[A-Z][A-Za-z.'-]*){0,3}\s*(?:\([A-Za-z. ]{1,12}\))?\s*[—–-]+\s")


def mask_tags(p: str) -> str:
    """``p`` with party/state tags and a dateline blanked out (same length, so offsets hold)."""
    p = _DATELINE_RE.sub(lambda m: " " * len(m.group()), p)
    return _TAG_RE.sub(lambda m: " " * len(m.group()), p)


_POSSESSIVE = ("'s", "’s")


class Tok(NamedTuple):
    """A token of a sentence with its quotes masked (kind w=word, p=punctuation, q=quote).
    A named tuple: articles make hundreds of thousands, and a frozen dataclass takes 2-3x as
    long to build."""

    text: str
    kind: str
    pos: int
    low: str  # text.lower(), computed once: the phrase rules ask for it on every token
    poss: bool = False
    qid: int = -1


# --------------------------------------------------------------------------- sentences & tokens


def _tokens(p: str, a: int, b: int, spans: list[tuple[int, int]], qids: dict[int, int],
            base: int) -> list[Tok]:
    """Tokens of p[a:b] with each quote span replaced by one quote token."""
    toks: list[Tok] = []
    pos = a
    for o, c in spans:
        if c < a or o >= b:
            continue
        toks.extend(_plain_tokens(p, pos, o, base))
        toks.append(Tok("Q", "q", base + o, "q", qid=qids.get(o, -1)))
        pos = c + 1
    toks.extend(_plain_tokens(p, pos, b, base))
    return toks


def _plain_tokens(p: str, a: int, b: int, base: int) -> list[Tok]:
    """Tokens of a stretch of text without quotes: a trailing period comes off a word that is no
    abbreviation, and a possessive 's is split off and remembered (one loop, no helper call:
    this runs on every word of every article)."""
    out: list[Tok] = []
    append = out.append
    n = len(p)
    for m in _TOKEN_RE.finditer(p, a, b):
        text = m.group()
        first = text[0]
        if first.isalpha() or (first.isdigit() and "-" in text):
            if text[-1] == "." and len(text) > 2:
                stem = text[:-1].lower()
                if stem not in ABBREVIATIONS and "." not in stem:
                    text = text[:-1]
            low = text.lower()
            poss = False
            if low.endswith(_POSSESSIVE):
                text, poss = text[:-2], True
                low = text.lower()
            else:
                end = m.end()
                if end < n and p[end] in "'’" and low.endswith("s") and (
                    end + 1 >= n or not p[end + 1].isalnum()
                ):
                    poss = True
            append(Tok(text, "w", base + m.start(), low, poss))
        elif text not in "'’":
            append(Tok(text, "p", base + m.start(), text.lower()))
    return out


@dataclass
class Sent:
    """One sentence: absolute range, tokens and the candidates whose text starts in it."""

    start: int
    end: int
    toks: list[Tok]
    cands: list[int]
    para: int


def sentences(text: str, paras: list[tuple[int, str]], all_spans: list[list[tuple[int, int]]],
               cands: list[Cand]) -> list[Sent]:
    """Every sentence of the article with its tokens and the candidates opening in it."""
    by_open = {c.segs[0][0] - 1: n for n, c in enumerate(cands)}
    out: list[Sent] = []
    for k, ((base, p), spans) in enumerate(zip(paras, all_spans, strict=True)):
        qids = {o: by_open.get(base + o, -1) for o, _ in spans}
        masked = mask_tags(p)
        for a, b in sentence_spans(p, keep=spans):
            toks = _tokens(masked, a, b, spans, qids, base)
            ids = [t.qid for t in toks if t.kind == "q" and t.qid >= 0]
            out.append(Sent(base + a, base + b, toks, ids, k))
    return out


