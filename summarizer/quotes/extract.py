"""Direct quotes in one article: quote spans, sentences, speakers (see speakers.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from summarizer.models import Quote
from summarizer.nlp.text import ABBREVIATIONS
from summarizer.quotes.speakers import (
    NOT_NAME_WORDS,
    PARTICLES,
    PERSON_PRONOUNS,
    PRONOUNS,
    Person,
    Registry,
    is_org,
    is_role_word,
    split_role,
    word_set,
)

_DOUBLE = "\"“”„‟«»″"
_D_OPEN = "“„‟«"
_D_CLOSE = "”»″"
_S_OPEN = "‘'‹"
_S_CLOSE = "’'›"
_ALLQ = _DOUBLE + "‘’'‹›"
_BEFORE_OK = "([{—–-/…" + _ALLQ
_AFTER_OK = ".,;:!?)]}—–-…" + _ALLQ
_ELISION_RE = re.compile(r"(?:\d\d|n|em|til|cause|tis|twas|bout|round)(?![\w])", re.I)
_DOUBLE_RE = re.compile(f"[{_DOUBLE}]")
_SINGLE_RE = re.compile("[‘’'‹›]")
_LINE_RE = re.compile(r"[^\n]+")
_BOUND_RE = re.compile(r"[.!?…]+[”\"’')\]]*(?=\s+[“\"‘'(\[]?[A-Z0-9])")
_TOKEN_RE = re.compile(r"[^\W\d_](?:[\w’'.-]*\w)?\.?|\d+(?:[.,:]\d+)*%?\w*|[^\s\w]")
_LABEL_RE = re.compile(
    r"^\s*(?:[A-Z]+\s+){0,2}(?:READ|RELATED|WATCH|SEE|LISTEN|MORE|RECOMMENDED|TRENDING|"
    r"VIDEO|PHOTOS|SUBSCRIBE|CLICK)\b[A-Z ]*:"
)
_TERMINAL = ".!?…:;"

_SPEECH = word_set(
    """
    said says say told tells added adds stated states noted notes warned warns insisted insists
    wrote writes asked asks explained explains argued argues responded responds replied replies
    continued continues declared declares announced announces claimed claims acknowledged admits
    admitted conceded concedes recalled recalls remarked observed suggested suggests predicted
    vowed vows urged urges pledged promised tweeted posted quipped joked exclaimed emphasized
    emphasised stressed stresses reiterated reiterates confirmed confirms denied denies charged
    countered cautioned complained lamented concluded testified commented boasted hinted assured
    shouted yelled wondered mused texted blasted slammed praised criticized criticised accused
    alleged maintained contended described describes called calls labeled labelled dubbed branded
    characterized characterised put
    """
)
_PARTICIPLES = word_set(
    """
    saying adding noting telling insisting responding replying arguing warning explaining writing
    stressing emphasizing emphasising calling describing declaring claiming asking urging vowing
    promising suggesting recalling predicting reiterating acknowledging admitting conceding
    complaining accusing
    """
)
_INVERTIBLE = word_set(
    """
    said says added adds asked asks wrote writes continued continues explained noted notes replied
    responded insisted argued warned recalled concluded declared stated remarked observed tweeted
    quipped joked exclaimed cautioned countered urged
    """
)
_PASSIVE = frozenset({"was", "were", "been", "being", "is", "are", "be", "when", "if", "as"})
_SKIP_BACK = word_set(
    """
    also has have had later then previously earlier once again would will could did does do can
    may might should repeatedly separately recently reportedly simply further publicly privately
    subsequently initially first finally never not always often only just still already
    """
)
_CONJ = word_set(
    "but and however meanwhile still yet so also then now instead separately additionally indeed "
    "earlier later moreover"
)
_INTRO = word_set(
    """
    according in on at after before when while asked referring despite although though as during
    speaking following since until because if last with amid under for from by over without
    addressing writing responding once upon unlike like given
    """
)
_TITLE_CUES = word_set(
    """
    on in book film movie show series program programme podcast album song novel documentary
    titled entitled headline column episode newspaper magazine memoir play
    """
)
_SMALL = word_set("the a an of and or in on at to for with by from vs nor but is as")
_DETERMINERS = frozenset({"the", "a", "an"})
_SUBORDINATORS = word_set(
    "which that who whom when where because while after before since although though"
)


@dataclass
class _Cand:
    """A quote candidate: content segments (absolute offsets) and where it sits."""

    segs: list[tuple[int, int]]
    para: int
    last_para: int
    closed: bool = True


@dataclass(frozen=True)
class _Tok:
    """A token of a sentence with its quotes masked (kind w=word, p=punctuation, q=quote)."""

    text: str
    kind: str
    pos: int
    poss: bool = False
    qid: int = -1


@dataclass(frozen=True)
class _Ref:
    """A mention that may name a speaker."""

    kind: str  # person, org, pron, rolenp, anon
    text: str
    role: str = ""
    index: int = -1
    words: tuple[str, ...] = ()


@dataclass
class _State:
    """Running attribution state for one article."""

    registry: Registry = field(default_factory=Registry)
    focus: Person | None = None  # the person the text is about (for quotes with no attribution)
    speaker: Person | None = None  # the subject of the last attribution (for "he said")
    last_org: str = ""


# --------------------------------------------------------------------------- quote spans


def _bound_before(p: str, i: int) -> bool:
    return i == 0 or p[i - 1].isspace() or p[i - 1] in _BEFORE_OK


def _bound_after(p: str, i: int) -> bool:
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
    """Single-quote spans, skipping apostrophes ("Trump's", "'23", "rock 'n' roll")."""
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


# --------------------------------------------------------------------------- sentences & tokens


def _sentence_bounds(p: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence ranges of a paragraph, never splitting inside a quote."""
    cuts = [0]
    for m in _BOUND_RE.finditer(p):
        end = m.end()
        if any(o < end <= c for o, c in spans):
            continue
        word = p[: m.start() + 1].split()[-1].lower().strip("“\"‘'(").rstrip(".")
        if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        cuts.append(end)
    cuts.append(len(p))
    return [(a, b) for a, b in pairwise(cuts) if p[a:b].strip()]


def _word_tok(p: str, m: re.Match[str], base: int) -> _Tok:
    text = m.group()
    if text.endswith(".") and len(text) > 2:
        stem = text[:-1].lower()
        if stem not in ABBREVIATIONS and "." not in stem:
            text = text[:-1]
    poss = False
    low = text.lower()
    if low.endswith(("'s", "’s")):
        text, poss = text[:-2], True
    elif m.end() < len(p) and p[m.end()] in "'’" and low.endswith("s") and (
        m.end() + 1 >= len(p) or not p[m.end() + 1].isalnum()
    ):
        poss = True
    return _Tok(text, "w", base + m.start(), poss)


def _tokens(p: str, a: int, b: int, spans: list[tuple[int, int]], qids: dict[int, int],
            base: int) -> list[_Tok]:
    """Tokens of p[a:b] with each quote span replaced by one quote token."""
    toks: list[_Tok] = []
    pos = a
    for o, c in spans:
        if c < a or o >= b:
            continue
        toks.extend(_plain_tokens(p, pos, o, base))
        toks.append(_Tok("Q", "q", base + o, qid=qids.get(o, -1)))
        pos = c + 1
    toks.extend(_plain_tokens(p, pos, b, base))
    return toks


def _plain_tokens(p: str, a: int, b: int, base: int) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN_RE.finditer(p, a, b):
        if m.group()[0].isalpha():
            out.append(_word_tok(p, m, base))
        elif m.group() not in "'’":
            out.append(_Tok(m.group(), "p", base + m.start()))
    return out


# --------------------------------------------------------------------------- noun phrases


def _np_word(t: _Tok) -> bool:
    if t.kind != "w":
        return False
    return t.text[0].isupper() or is_role_word(t.text) or t.text.lower() in PARTICLES


def _make_ref(words: list[str], index: int) -> _Ref | None:
    """Classify a noun phrase as a person, organisation, role phrase or anonymous source."""
    det = ""
    if words and words[0].lower() in _DETERMINERS:
        det, words = words[0].lower(), words[1:]
    while words and words[0].lower() in NOT_NAME_WORDS:
        words = words[1:]
    while words and words[-1].lower() in NOT_NAME_WORDS | PARTICLES:
        words = words[:-1]
    if not words:
        return None
    role, name = split_role(words)
    if name and all(w[0].isupper() or w.lower() in PARTICLES for w in name.split()):
        if is_org(name) or det or all(w.isupper() and len(w) > 1 for w in name.split()):
            return _Ref("org", name, index=index)
        return _Ref("person", name, role, index, tuple(words))
    if role and not name:
        kind = "rolenp" if det == "the" else "anon"
        return _Ref(kind, role, role, index, tuple(words))
    return None


def _np_back(toks: list[_Tok], j: int) -> _Ref | None:
    """The noun phrase ending at token ``j`` (a name, a role phrase or a pronoun)."""
    if j < 0 or toks[j].kind != "w":
        return None
    if toks[j].text.lower() in PRONOUNS:
        return _Ref("pron", toks[j].text.lower(), index=j)
    k = j
    while k >= 0 and _np_word(toks[k]) and not (k < j and toks[k].poss):
        k -= 1
    if k >= 0 and toks[k].kind == "w" and toks[k].text.lower() in _DETERMINERS:
        k -= 1
    if toks[j].poss:
        return None
    if k == j:
        return _common_np(toks, j)
    ref = _make_ref([t.text for t in toks[k + 1 : j + 1]], k + 1)
    if ref and ref.kind == "person" and k < 0 and len(ref.words) == 1 and ref.text.endswith("s"):
        return _Ref("anon", ref.text, index=0)  # "Critics said", "Residents described"
    return ref


def _common_np(toks: list[_Tok], j: int) -> _Ref | None:
    """An anonymous source such as "the company" or "a ministry statement" ending at ``j``."""
    k = j
    while k >= 0 and j - k < 4 and toks[k].kind == "w" and toks[k].text.lower() not in _DETERMINERS:
        k -= 1
    if k >= 0 and toks[k].kind == "w" and toks[k].text.lower() in _DETERMINERS and k < j:
        return _Ref("anon", " ".join(t.text for t in toks[k + 1 : j + 1]), index=k)
    return None


def _np_fwd(toks: list[_Tok], i: int) -> _Ref | None:
    """The noun phrase starting at token ``i``."""
    if i >= len(toks) or toks[i].kind != "w":
        return None
    if toks[i].text.lower() in PRONOUNS:
        return _Ref("pron", toks[i].text.lower(), index=i)
    k = i + 1 if toks[i].text.lower() in _DETERMINERS else i
    mods = k
    while mods < min(len(toks), k + 3) and toks[mods].kind == "w" and toks[mods].text.islower() \
            and not is_role_word(toks[mods].text) and not toks[mods].poss:
        mods += 1
    if mods > k and mods < len(toks) and is_role_word(toks[mods].text):
        k = mods
    while k < len(toks) and _np_word(toks[k]) and toks[k].text.lower() not in NOT_NAME_WORDS:
        k += 1
        if toks[k - 1].poss:
            return None
    if k == i:
        return None
    return _make_ref([t.text for t in toks[i:k]], i)


def _name_refs(toks: list[_Tok]) -> list[_Ref]:
    """Every person-like name run in a sentence."""
    refs: list[_Ref] = []
    i = 0
    while i < len(toks):
        if _np_word(toks[i]) and toks[i].text[0].isupper():
            k = i
            while k < len(toks) and _np_word(toks[k]) and not (k > i and toks[k - 1].poss):
                k += 1
            ref = _make_ref([t.text for t in toks[i:k]], i)
            if ref and ref.kind == "person":
                refs.append(_Ref("person", ref.text, ref.role, k - 1, ref.words))
            i = k
        else:
            i += 1
    return refs


# --------------------------------------------------------------------------- attribution


def _subject_before(toks: list[_Tok], v: int) -> _Ref | None:
    """The subject of the verb at ``v`` ("X said", "X, the minister, said")."""
    j = v - 1
    while j >= 0 and toks[j].kind == "w" and (
        toks[j].text.lower() in _SKIP_BACK or (toks[j].text.islower() and toks[j].text.endswith("ly"))
    ):
        j -= 1
    if j >= 0 and toks[j].kind == "w" and toks[j].text.lower() in _PASSIVE:
        return None
    if j < 0 or toks[j].text != ",":
        return _np_back(toks, j)
    c0 = j - 1
    while c0 >= 0 and toks[c0].text != "," and toks[c0].kind != "q" and j - c0 < 30:
        c0 -= 1
    seg = _np_back(toks, j - 1)
    if seg and seg.index == c0 + 1 and seg.kind == "person" and not re.match(r"[DRI]-", seg.text):
        if c0 >= 0 and not seg.role:
            start = max((i for i in range(c0) if toks[i].text == ","), default=-1) + 1
            pre = [t.text for t in toks[start:c0]]
            if any(is_role_word(w) for w in pre):
                return _Ref("person", seg.text, " ".join(pre), seg.index, seg.words)
        return seg
    if c0 < 0 or toks[c0].text != ",":
        return None
    head = _np_back(toks, c0 - 1)
    if head and head.kind == "person" and not head.role:
        role = " ".join(t.text for t in toks[c0 + 1 : j])
        role = re.sub(r"^(?:the|a|an)\s+", "", role, flags=re.I)
        return _Ref("person", head.text, role, head.index, head.words)
    return head


def _subject_after(toks: list[_Tok], v: int) -> _Ref | None:
    """The subject of an inverted attribution ("said X", "said the group's head, X")."""
    return _np_fwd(toks, v + 1) or _appositive_name(toks, v + 1)


def _main_subject(toks: list[_Tok]) -> _Ref | None:
    """The subject at the start of the main clause, skipping an introductory phrase."""
    i = 0
    while i < len(toks) and (toks[i].text.lower() in _CONJ or toks[i].text in ",—–-"):
        i += 1
    if i < len(toks) and toks[i].text.lower() in _INTRO:
        comma = next((k for k in range(i, min(len(toks), i + 30)) if toks[k].text == ","), -1)
        if comma < 0:
            return None
        i = comma + 1
    ref = _np_fwd(toks, i)
    if ref is None and i < len(toks) and toks[i].poss:
        return _appositive_name(toks, i)
    end = ref.index + len(ref.words) if ref and ref.words else -1
    if ref and 0 <= end < len(toks) and toks[end].text.lower() in ("and", "or"):
        return None  # "X and Y met": not one person
    return ref


def _appositive_name(toks: list[_Tok], i: int) -> _Ref | None:
    """The name in "Owner's deputy, First Last, ..." after token ``i``."""
    comma = next((k for k in range(i, min(len(toks), i + 8)) if toks[k].text == ","), -1)
    if comma < 0:
        return None
    ref = _np_fwd(toks, comma + 1)
    if ref is None or ref.kind != "person":
        return None
    end = ref.index + len(ref.words)
    return ref if end < len(toks) and toks[end].text == "," else None


def _verb_kind(toks: list[_Tok], i: int) -> str:
    """'v' speech verb, 'p' participle, 'a' according-to, '' otherwise."""
    t = toks[i]
    if t.kind != "w":
        return ""
    low = t.text.lower()
    if low == "according" and i + 1 < len(toks) and toks[i + 1].text.lower() == "to":
        return "a"
    if low in _PARTICIPLES:
        return "p"
    if low in _SPEECH and t.text.islower():
        return "v"
    return ""


def _attribute(toks: list[_Tok], q: int) -> _Ref | None:
    """The mention that names the speaker of the quote token ``q`` in its sentence."""
    verbs = [(abs(i - q) + (0.5 if i < q else 0), i, k) for i, t in enumerate(toks)
             if (k := _verb_kind(toks, i))]
    for _, v, kind in sorted(verbs):
        ref: _Ref | None = None
        if kind == "v":
            low = toks[v].text.lower()
            after_quote = v > 0 and (toks[v - 1].kind == "q" or (
                toks[v - 1].text == "," and v > 1 and toks[v - 2].kind == "q"))
            if after_quote and low in _INVERTIBLE:
                ref = _subject_after(toks, v) or _subject_before(toks, v)
            else:
                ref = _subject_before(toks, v)
                if ref is None and low in _INVERTIBLE:
                    after = _subject_after(toks, v)
                    ref = after if after and after.kind == "person" else None
        elif kind == "p":
            ref = _main_subject(toks[:v])
        if ref is not None:
            return ref
    for _, v, kind in sorted(verbs):
        if kind == "a":
            ref = _np_fwd(toks, v + 2)
            if ref is not None:
                return ref
    return None


def _resolve(ref: _Ref | None, toks: list[_Tok], st: _State) -> tuple[str, str, bool]:
    """(speaker, role, is_person) for a mention, using the article's running state."""
    if ref is None or ref.kind == "anon":
        return "", ref.role if ref else "", False
    if ref.kind == "person":
        person = st.registry.add(ref.text, ref.role)
        return person.name, ref.role or person.role, True
    if ref.kind == "org":
        st.last_org = ref.text
        return ref.text, "", False
    if ref.kind == "rolenp":
        found = st.registry.by_role(list(ref.words)) or st.focus
        return (found.name, found.role, True) if found else ("", ref.role, False)
    if ref.text in PERSON_PRONOUNS:
        if ref.index > 0 and toks[ref.index - 1].text.lower() in _SUBORDINATORS:
            prior = [r for r in _name_refs(toks[: ref.index]) if not is_org(r.text)]
            if prior:
                named = st.registry.add(prior[-1].text, prior[-1].role)
                return named.name, named.role, True
        recent = st.focus or st.speaker
        if recent:
            return recent.name, recent.role, True
        return "", "", False
    if ref.text == "it" and st.last_org:
        return st.last_org, "", False
    return "", "", False


# --------------------------------------------------------------------------- candidates


def _is_label_or_headline(p: str) -> bool:
    """A link label line ("RELATED: ...") or a short line without final punctuation."""
    if _LABEL_RE.match(p) or p.lstrip().startswith("!["):
        return True
    stripped = p.rstrip().rstrip(_ALLQ + ")]").rstrip()
    return len(p.split()) <= 20 and bool(stripped) and stripped[-1] not in _TERMINAL


def _title_like(content: str) -> bool:
    """A short Title Case string without final punctuation (a show, book or headline)."""
    ws = content.split()
    if not ws or len(ws) > 9 or content.rstrip()[-1] in ".!?,;…":
        return False
    return ws[0][0].isupper() and all(
        w[0].isupper() or not w[0].isalpha() or w.lower() in _SMALL for w in ws
    )


def _candidates(text: str) -> tuple[list[tuple[int, str]], list[_Cand], list[list[tuple[int, int]]]]:
    """Paragraphs (offset, text), quote candidates and each paragraph's mark spans."""
    paras = [(m.start(), m.group()) for m in _LINE_RE.finditer(text) if m.group().strip()]
    cands: list[_Cand] = []
    all_spans: list[list[tuple[int, int]]] = []
    pending: _Cand | None = None
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
            cand = _Cand([(base + o + 1, base + c)], k, k)
            if unclosed and idx == len(spans) - 1:
                pending = cand
            else:
                cands.append(cand)
    if pending is not None:
        pending.closed = False
        cands.append(pending)
    return paras, cands, all_spans


def _raw_end(text: str, cand: _Cand) -> str:
    """The quote's text as written, with a trailing comma if it has one."""
    s, e = cand.segs[-1]
    return text[s:e].rstrip()


def _quote_text(text: str, cand: _Cand) -> str:
    parts = [text[s:e].strip() for s, e in cand.segs]
    return " ".join(p for p in parts if p).rstrip(",").rstrip()


# --------------------------------------------------------------------------- main loop


@dataclass
class _Sent:
    """One sentence: absolute range, tokens and the candidates whose text starts in it."""

    start: int
    end: int
    toks: list[_Tok]
    cands: list[int]
    para: int


def _sentences(text: str, paras: list[tuple[int, str]], all_spans: list[list[tuple[int, int]]],
               cands: list[_Cand]) -> list[_Sent]:
    by_open = {c.segs[0][0] - 1: n for n, c in enumerate(cands)}
    out: list[_Sent] = []
    for k, ((base, p), spans) in enumerate(zip(paras, all_spans, strict=True)):
        qids = {o: by_open.get(base + o, -1) for o, _ in spans}
        for a, b in _sentence_bounds(p, spans):
            toks = _tokens(p, a, b, spans, qids, base)
            ids = [t.qid for t in toks if t.kind == "q" and t.qid >= 0]
            out.append(_Sent(base + a, base + b, toks, ids, k))
    return out


def _keep(cand: _Cand, content: str, toks: list[_Tok], q: int, attributed: bool,
          headline: bool) -> bool:
    """Whether a candidate is a real quote rather than a title, headline or scare quote."""
    if headline or not content:
        return False
    prev = toks[q - 1] if q > 0 else None
    n_words = len(content.split())
    if prev is not None and prev.text.lower() == "so-called":
        return False
    if _title_like(content) and (not attributed or (prev is not None and (
            prev.poss or prev.text.lower() in _TITLE_CUES))):
        return False
    if n_words <= 2 and not attributed:
        return False
    if _is_partial(toks, q, content + ",") and n_words <= 4 and not attributed:
        return False
    return cand.closed or attributed or n_words >= 4


def _is_partial(toks: list[_Tok], q: int, content: str) -> bool:
    if q > 0 and toks[q - 1].kind == "w":
        return True
    nxt = toks[q + 1] if q + 1 < len(toks) else None
    return nxt is not None and nxt.kind == "w" and content.rstrip()[-1:] not in ".,!?…;:"


def _register_names(toks: list[_Tok], st: _State) -> None:
    for ref in _name_refs(toks):
        if not is_org(ref.text) and (ref.role or len(ref.text.split()) > 1):
            st.registry.add(ref.text, ref.role)


def extract_quotes(text: str) -> list[Quote]:
    """Direct quotes of an article body, in order, with speakers resolved across sentences."""
    paras, cands, all_spans = _candidates(text)
    if not cands:
        return []
    heads = [_is_label_or_headline(p) for _, p in paras]
    st = _State()
    found: dict[int, Quote] = {}
    contexts: dict[int, list[str]] = {}
    for sent in _sentences(text, paras, all_spans, cands):
        _register_names(sent.toks, st)
        context = text[sent.start : sent.end].strip()
        said_by: Person | None = None
        for q, tok in enumerate(sent.toks):
            if tok.kind != "q" or tok.qid < 0:
                continue
            contexts.setdefault(tok.qid, []).append(context)
            if tok.qid in found:
                continue
            quote, person = _make_quote(text, cands[tok.qid], sent, q, st, heads, context)
            if quote is not None:
                found[tok.qid] = quote
                said_by = person or said_by
        if not heads[sent.para]:
            _update_focus(sent.toks, st, said_by)
    out = []
    for qid in sorted(found):
        quote = found[qid]
        speaker = st.registry.canonical(quote.speaker) if quote.speaker else ""
        ctx = " ".join(dict.fromkeys(contexts.get(qid, [quote.context])))
        out.append(Quote(quote.text, speaker, quote.role, ctx, quote.partial, quote.start))
    return out


def _make_quote(text: str, cand: _Cand, sent: _Sent, q: int, st: _State, heads: list[bool],
                context: str) -> tuple[Quote | None, Person | None]:
    """Build one Quote (or None for a non-quote) and the person who said it."""
    toks = sent.toks
    content = _quote_text(text, cand)
    ref = _attribute(toks, q)
    n_words = len(content.split())
    attributed = ref is not None and (ref.kind != "anon" or n_words >= 3)
    standalone = not any(t.kind == "w" for t in toks[:q])
    if not _keep(cand, content, toks, q, attributed, heads[cand.para]):
        return None, None
    if ref is None and standalone and st.focus is not None:
        speaker, role, is_person = st.focus.name, st.focus.role, True
    else:
        speaker, role, is_person = _resolve(ref, toks, st)
    person = st.registry.find(speaker) if is_person and speaker else None
    if person is not None:
        st.focus = person
    partial = _is_partial(toks, q, _raw_end(text, cand))
    return Quote(content, speaker, role, context, partial, cand.segs[0][0]), person


def _update_focus(toks: list[_Tok], st: _State, said_by: Person | None) -> None:
    """After a sentence: who it is about (focus) and who last spoke (speaker)."""
    if said_by is not None:
        st.focus = st.speaker = said_by
        return
    for v, t in enumerate(toks):
        if _verb_kind(toks, v) == "v" and t.text.lower() in _INVERTIBLE | {"told", "tells"}:
            ref = _subject_before(toks, v)
            if ref is not None and ref.kind in ("person", "pron", "rolenp"):
                name, _, is_person = _resolve(ref, toks, st)
                if is_person and name:
                    st.speaker = st.registry.find(name) or st.speaker
                    # A sentence reporting what someone said is about that person.
                    st.focus = st.speaker
                    return
            break
    ref = _main_subject(toks)
    if ref is None or ref.kind in ("org", "anon"):
        return
    speaker, _, is_person = _resolve(ref, toks, st)
    if is_person and speaker:
        st.focus = st.registry.find(speaker) or st.focus
