"""Quote spans in an article: quotation marks, paragraphs, multi-paragraph quotes, candidates."""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.quotes.speakers import word_set

_DOUBLE = "\"“”„‟«»″"
_D_OPEN = "“„‟«"
_D_CLOSE = "”»″"
_S_OPEN = "‘'‹"
_S_CLOSE = "’'›"
ALLQ = _DOUBLE + "‘’'‹›"
_BEFORE_OK = "([{—–-/…" + ALLQ
_AFTER_OK = ".,;:!?)]}—–-…" + ALLQ
_ELISION_RE = re.compile(r"(?:\d\d|n|em|til|cause|tis|twas|bout|round)(?![\w])", re.I)
_DOUBLE_RE = re.compile(f"[{_DOUBLE}]")
_SINGLE_RE = re.compile("[‘’'‹›]")
_LINE_RE = re.compile(r"[^\n]+")
_LABEL_RE = re.compile(
    r"^\s*(?:[A-Z]+\s+){0,2}(?:READ|RELATED|WATCH|SEE|LISTEN|MORE|RECOMMENDED|TRENDING|"
    r"VIDEO|PHOTOS|SUBSCRIBE|CLICK)\b[A-Z ]*:"
)
_TERMINAL = ".!?…:;"
DASHES = "―—–"
DASH_LINE_RE = re.compile(rf"^\s*[{_DOUBLE}].+[{_DOUBLE}]\s*[{DASHES}-]\s*[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+)+\s*(?:,[^,]{{0,60}})?$")
TITLE_CUES = word_set(
    """
    on in book film movie show series program programme podcast album song novel documentary
    titled entitled headline column episode newspaper magazine memoir play dubbed nicknamed
    named labelled labeled branded
    """
)
_SMALL = word_set("the a an of and or in on at to for with by from vs nor but is as")


@dataclass
class Cand:
    """A quote candidate: content segments (absolute offsets) and where it sits."""

    segs: list[tuple[int, int]]
    para: int
    last_para: int
    closed: bool = True



# --------------------------------------------------------------------------- quote spans


def _bound_before(p: str, i: int) -> bool:
    """Whether the mark at ``i`` has a word boundary before it."""
    return i == 0 or p[i - 1].isspace() or p[i - 1] in _BEFORE_OK


def _bound_after(p: str, i: int) -> bool:
    """Whether the mark at ``i`` has a word boundary after it."""
    return i + 1 >= len(p) or p[i + 1].isspace() or p[i + 1] in _AFTER_OK


def _double_dir(p: str, i: int) -> str:
    """'o' opener, 'c' closer or '?' for a double quotation mark at ``i``."""
    before, after = _bound_before(p, i), _bound_after(p, i)
    if before and not after:
        return "o"
    if after and not before:
        return "c"
    ch = p[i]
    return "o" if ch in _D_OPEN else "c" if ch in _D_CLOSE else "?"


def _double_spans(p: str) -> tuple[list[tuple[int, int]], int]:
    """Closed double-quote spans (mark offsets) and the offset of an unclosed opener or -1."""
    spans: list[tuple[int, int]] = []
    opened = -1
    for m in _DOUBLE_RE.finditer(p):
        i = m.start()
        d = _double_dir(p, i)
        if opened < 0:
            if d != "c":
                opened = i
        elif d == "o" and p[i] in _D_OPEN and p[opened] in _D_OPEN:
            opened = i  # two openers in a row: the first one was stray
        else:
            spans.append((opened, i))
            opened = -1
    return spans, opened


def _single_spans(p: str) -> list[tuple[int, int]]:
    """Single-quote spans, skipping apostrophes ("Halvorsen's", "'23", "rock 'n' roll")."""
    spans: list[tuple[int, int]] = []
    opened = -1
    for m in _SINGLE_RE.finditer(p):
        i, ch = m.start(), m.group()
        if ch in _S_CLOSE and opened >= 0 and i > 0 and not p[i - 1].isspace() and (
            i + 1 >= len(p) or not p[i + 1].isalnum()
        ):
            content = p[opened + 1 : i]
            if len(content.strip()) >= 2 and any(c.isalpha() for c in content):
                spans.append((opened, i))
            opened = -1
        elif (
            ch in _S_OPEN
            and _bound_before(p, i)
            and i + 1 < len(p)
            and (p[i + 1].isalnum() or p[i + 1] in "[…")
            and not _ELISION_RE.match(p, i + 1)
        ):
            opened = i
    return spans


def _outer(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop spans nested in (or crossing) an earlier kept span."""
    kept: list[tuple[int, int]] = []
    for o, c in sorted(spans, key=lambda s: (s[0], -s[1])):
        if kept and o <= kept[-1][1]:
            continue
        kept.append((o, c))
    return kept


def _para_spans(p: str) -> tuple[list[tuple[int, int]], bool]:
    """Outer quote spans of a paragraph (mark offsets); True if the last one is left open."""
    double, opened = _double_spans(p)
    if opened >= 0:
        double.append((opened, len(p)))
    spans = _outer(double + _single_spans(p))
    unclosed = opened >= 0 and bool(spans) and spans[-1] == (opened, len(p))
    return spans, unclosed


# --------------------------------------------------------------------------- candidates


def is_label_or_headline(p: str) -> bool:
    """A link label line ("RELATED: ...") or a short line without final punctuation."""
    if _LABEL_RE.match(p) or p.lstrip().startswith("!["):
        return True
    if DASH_LINE_RE.match(p):
        return False  # a pull quote or reader reply: '"..." ― Name, descriptor'
    stripped = p.rstrip().rstrip(ALLQ + ")]").rstrip()
    return len(p.split()) <= 20 and bool(stripped) and stripped[-1] not in _TERMINAL


def title_like(content: str) -> bool:
    """A short Title Case string without final punctuation (a show, book or headline)."""
    ws = content.split()
    if not ws or len(ws) > 9 or content.rstrip()[-1] in ".!?,;…":
        return False
    return ws[0][0].isupper() and all(
        w[0].isupper() or not w[0].isalpha() or w.lower() in _SMALL for w in ws
    )


def candidates(text: str) -> tuple[list[tuple[int, str]], list[Cand], list[list[tuple[int, int]]]]:
    """Paragraphs (offset, text), quote candidates and each paragraph's mark spans."""
    paras = [(m.start(), m.group()) for m in _LINE_RE.finditer(text) if m.group().strip()]
    cands: list[Cand] = []
    all_spans: list[list[tuple[int, int]]] = []
    pending: Cand | None = None
    for k, (base, p) in enumerate(paras):
        spans, unclosed = _para_spans(p)
        all_spans.append(spans)
        first = 0
        lead = len(p) - len(p.lstrip())
        if pending is not None:
            if spans and spans[0][0] == lead and p[lead] in _DOUBLE:
                o, c = spans[0]
                pending.segs.append((base + o + 1, base + c))
                pending.last_para = k
                first = 1
                if unclosed and len(spans) == 1:
                    continue
            else:
                pending.closed = False
            cands.append(pending)
            pending = None
        for idx in range(first, len(spans)):
            o, c = spans[idx]
            cand = Cand([(base + o + 1, base + c)], k, k)
            if unclosed and idx == len(spans) - 1:
                pending = cand
            else:
                cands.append(cand)
    if pending is not None:
        pending.closed = False
        cands.append(pending)
    return paras, cands, all_spans


def raw_end(text: str, cand: Cand) -> str:
    """The quote's text as written, with a trailing comma if it has one."""
    s, e = cand.segs[-1]
    return text[s:e].rstrip()


def quote_text(text: str, cand: Cand) -> str:
    """The quote's words, its segments joined, a trailing comma dropped."""
    parts = [text[s:e].strip() for s, e in cand.segs]
    return " ".join(p for p in parts if p).rstrip(",").rstrip()

