"""Speech cues in a sentence and their subjects: "X said", "said X", "according to X", "― X"."""

from __future__ import annotations

from summarizer.quotes.names import never_name
from summarizer.quotes.phrases import Ref, head_noun, np_back, np_fwd
from summarizer.quotes.spans import DASHES
from summarizer.quotes.speakers import word_set
from summarizer.quotes.tokens import Tok

SPEECH = word_set(
    """
    said says say told tells added adds stated states noted notes warned warns insisted insists
    wrote writes asked asks explained explains argued argues responded responds replied replies
    continued continues declared declares announced announces claimed claims acknowledged admits
    admitted conceded concedes recalled recalls remarked remarks observed observes suggested
    suggests predicted predicts vowed vows urged urges pledged pledges promised promises tweeted
    tweets posted posts quipped quips joked jokes exclaimed emphasized emphasised emphasizes
    stressed stresses reiterated reiterates confirmed confirms denied denies charged charges
    countered counters cautioned cautions complained complains lamented laments concluded
    concludes testified testifies commented comments boasted boasts hinted hints assured assures
    shouted yelled wondered wonders mused muses texted blasted slammed praised criticized
    criticised accused alleged maintained maintains contended contends described describes called
    calls labeled labelled dubbed branded characterized characterised put demanded demands
    mentioned mentions echoed echoes ruled rules scolded scolds attacked repeated repeats reported
    reports wrote announced conceded recounted recounts marvelled marveled sighed laughed
    whispered snapped retorted insisted objected protested agreed agrees disagreed acknowledges
    estimated estimates explained predicted warned reckoned reckons speculated questioned
    pleaded pleads begged begs cried screamed chanted chants rejoined interjected interrupted
    """
)
PARTICIPLES = word_set(
    """
    saying adding noting telling insisting responding replying arguing warning explaining writing
    stressing emphasizing emphasising calling describing declaring claiming asking urging vowing
    promising suggesting recalling predicting reiterating acknowledging admitting conceding
    complaining accusing tweeting posting demanding mentioning echoing repeating reporting
    """
)
_PHRASAL = {"pointed": "out", "points": "out", "blurted": "out", "blurts": "out", "went": "on",
            "goes": "on", "shot": "back", "fired": "back", "spelled": "out", "spoke": "of"}
_DOC_VERBS = word_set("read reads")
_CAPITAL_INVERTED = word_set("Said Says Added Adds Asked Wrote Writes Continued")
_PASSIVE = frozenset({"was", "were", "been", "being", "is", "are", "be", "when", "if", "as"})
SKIP_BACK = word_set(
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
INTRO = word_set(
    """
    according in on at after before when while asked referring despite although though as during
    speaking following since until because if last with amid under for from by over without
    addressing writing responding once upon unlike like given two three four five one several
    days weeks months hours minutes years
    """
)
SUBORDINATORS = word_set(
    "which that who whom when where because while after before since although though if unless"
)
_RELATIVE = word_set("who whom whose which where")


def verb_kind(toks: list[Tok], i: int) -> str:
    """'v' speech verb, 'i' sentence-initial inverted cue ("Said X:"), 'p' participle,
    'a' according-to, '' otherwise."""
    t = toks[i]
    if t.kind != "w":
        return ""
    low = t.low
    if low == "according" and i + 1 < len(toks) and toks[i + 1].low == "to":
        return "a"
    if t.text in _CAPITAL_INVERTED and (i == 0 or toks[i - 1].kind == "p"):
        return "i"
    if not t.text.islower():
        return ""
    if low in PARTICIPLES:
        return "p"
    if low in SPEECH or low in _DOC_VERBS:
        return "v"
    if low in _PHRASAL and i + 1 < len(toks) and toks[i + 1].low == _PHRASAL[low]:
        return "v"
    return ""


def clause_start(toks: list[Tok], v: int) -> int:
    """Where the clause holding the verb at ``v`` starts (after an earlier quote and its comma)."""
    start = 0
    for i in range(v):
        if toks[i].kind == "q":
            start = i + 1
    while start < v and (toks[start].kind == "p" or toks[start].low in _CONJ):
        start += 1
    return start


def _skip_intro(toks: list[Tok], i: int, end: int) -> int:
    """Skip fronted phrases ("Two days later,", "Speaking in Ayr, Ont., on Friday,")."""
    for _ in range(3):
        if i >= end or toks[i].kind != "w":
            return i
        low = toks[i].low
        if low in ("a", "an", "the") or not (low in INTRO or never_name(toks[i].text)):
            return i
        reach = 40 if low == "according" else 14
        comma = next((k for k in range(i, min(end, i + reach)) if toks[k].text == ","), -1)
        if comma < 0:
            return i
        i = comma + 1
        # "Speaking in Fallbrook, Ore., on Tuesday, X": keep skipping short comma pieces.
        while (i < end and toks[i].kind == "w" and toks[i].low in ("on", "in", "at")) or (
                i + 1 < end and toks[i + 1].text == "," and never_name(toks[i].text)):
            nxt = next((k for k in range(i, min(end, i + 6)) if toks[k].text == ","), -1)
            if nxt < 0:
                break
            i = nxt + 1
    return i


def clause_subject(toks: list[Tok], start: int, end: int) -> Ref | None:
    """The subject of a clause: its leftmost person or organisation name (skipping fronted
    phrases, possessive owners and relative clauses), else its first noun phrase."""
    i = _skip_intro(toks, start, end)
    lead = np_fwd(toks, i) if i < end else None
    if lead is not None and lead.kind not in ("person", "org") and not _owned_name(toks, lead):
        after = lead.index + max(len(lead.words), 1)
        after = next((k for k in range(after, min(end, after + 3)) if toks[k].text == ","), after)
        if after < end and toks[after].text == ",":
            named = np_fwd(toks, after + 1)
            if named is not None and named.kind == "person":
                return named  # "Her colleague, Councillor Pavel Drummond, wants ..."
        if lead.kind != "unit" or lead.owner is None or after >= end or toks[after].text != ",":
            return lead
    first: Ref | None = None
    while i < end:
        t = toks[i]
        if t.kind == "q":
            break
        if t.low in _RELATIVE:
            i = next((k for k in range(i, end) if toks[k].text == ","), end)
            continue
        ref = np_fwd(toks, i) if t.kind == "w" else None
        if ref is not None:
            if ref.kind in ("person", "org") and not _owned_name(toks, ref):
                return ref
            if ref.kind in ("doc", "unit") and ref.owner is not None:
                return ref
            first = first or ref
            i = max(i + 1, ref.index + max(len(ref.words), 1))
            continue
        i += 1
    return first


def _with_appositive_role(toks: list[Tok], ref: Ref | None, j: int) -> Ref | None:
    """"X, the deputy minister, said": the appositive becomes X's role."""
    if ref is None or ref.kind != "person" or ref.role:
        return ref
    end = ref.index + len(ref.words)
    if end >= j or toks[end].text != ",":
        return ref
    close = next((k for k in range(end + 1, j + 1) if toks[k].text == ","), -1)
    seg = toks[end + 1 : close] if close > 0 else []
    if not seg or len(seg) > 8 or any(t.kind != "w" for t in seg):
        return ref
    inner = np_fwd(toks, end + 1)
    if inner is None or inner.kind not in ("rolenp", "anon"):
        return ref
    words = [t.text for t in seg]
    if words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    return Ref("person", ref.text, " ".join(words), ref.index, ref.words)


def _owned_name(toks: list[Tok], ref: Ref) -> bool:
    """A name that is only the owner in "Marsh's guest"."""
    last = ref.index + len(ref.words) - 1
    return 0 <= last < len(toks) and toks[last].poss


def subject_before(toks: list[Tok], v: int) -> Ref | None:
    """The subject of the verb at ``v`` ("X said", "X, the minister, said", "X ... and said")."""
    j = v - 1
    while j >= 0 and toks[j].kind == "w" and (
        toks[j].low in SKIP_BACK or (toks[j].text.islower() and toks[j].text.endswith("ly")
                                              and not head_noun(toks[j].text))  # not "family"
    ):
        j -= 1
    if j >= 0 and toks[j].kind == "w" and toks[j].low in _PASSIVE:
        if toks[v].low == "told" and v + 2 < len(toks) and toks[v + 1].text == "by":
            return np_fwd(toks, v + 2)  # "... was told by chair X that ..."
        return None
    start = clause_start(toks, v)
    if j < start:
        return None
    rel = next((k for k in range(j, start - 1, -1) if toks[k].low == "who"), -1)
    if rel > start and toks[rel - 1].text != "," and not any(t.text == "," for t in toks[rel:j]):
        ref = np_back(toks, rel - 1)  # "Residents who spoke to Global News said"
        if ref is not None:
            return ref
    if toks[j].low == "who" and j > 0:
        k = j - 1 if toks[j - 1].text != "," else j - 2  # "Rae Lin, who called ..."
        ref = np_back(toks, k)
        return ref if ref is not None and ref.kind in ("person", "anon", "rolenp") else None
    if toks[j].text == ",":
        # "Senior fellow at X, Keir Giles, told": a name set off by commas is the subject.
        c0 = max((k for k in range(start, j) if toks[k].text == ","), default=-1)
        seg = np_fwd(toks, c0 + 1) if c0 >= 0 else None
        if seg is not None and seg.kind == "person" and seg.index + len(seg.words) == j:
            return seg
    if toks[j].text == "," or toks[j].low in ("and", "but", "or"):
        return _with_appositive_role(toks, clause_subject(toks, start, j), j)
    ref = np_back(toks, j)
    if ref is not None and ref.kind == "org" and ref.index >= 2:
        k = ref.index - 1
        k -= toks[k].low in ("the", "a", "an")
        if k >= 1 and toks[k].low in ("of", "at", "for", "from", "with"):
            person = np_back(toks, k - 1)  # "Chief X of the Y Nation said": X speaks
            if person is not None and person.kind == "person":
                return person
    if ref is not None and ref.kind == "person" and ref.index > 0 and len(ref.words) == 1 and (
            toks[ref.index - 1].low in ("in", "on", "since", "until", "by", "last")):
        ref = None  # "A memo sent in February warned": a time phrase, not the subject
    if ref is None or (ref.kind == "person" and never_name(ref.text.split()[0]) and not ref.role):
        ref = clause_subject(toks, start, v)
        return ref if ref is not None and ref.kind in ("person", "org", "doc", "unit") else None
    return ref


def subject_after(toks: list[Tok], v: int) -> Ref | None:
    """The subject of an inverted cue ("said X", "said the group's head, X")."""
    ref = np_fwd(toks, v + 1)
    if ref is not None and ref.kind not in ("person", "org"):
        end = ref.index + max(len(ref.words), 1)
        if end < len(toks) and toks[end].text == ",":
            named = np_fwd(toks, end + 1)
            if named is not None and named.kind == "person":
                return named
    return ref


def _between(toks: list[Tok], a: int, b: int, words: frozenset[str]) -> bool:
    """Whether a quote or one of ``words`` lies strictly between tokens ``a`` and ``b``."""
    return any(t.kind == "q" or t.low in words for t in toks[a + 1 : b])


def _dash_speaker(toks: list[Tok], q: int) -> Ref | None:
    """'"..." ― Name, descriptor': a name right after a dash that follows the quote."""
    if q + 2 < len(toks) and toks[q + 1].text in DASHES + "-" and all(
            t.kind != "w" or t.text[0].isupper() or t.text.islower() for t in toks[q + 2 :]):
        ref = np_fwd(toks, q + 2)
        return ref if ref is not None and ref.kind in ("person", "org") else None
    return None


def _verb_subject(toks: list[Tok], v: int, kind: str, q: int) -> Ref | None:
    """The subject of the cue at ``v`` for the quote at ``q`` (inverted right after a quote)."""
    if kind == "i":
        return np_fwd(toks, v + 1)
    if kind == "p":
        if v > 0 and toks[v - 1].kind == "w" and toks[v - 1].text[0].isupper():
            named = np_back(toks, v - 1)  # "footage of Ana Berg saying": the name before it
            if named is not None and named.kind == "person":
                return named
        return clause_subject(toks, clause_start(toks, v), v)
    right_after = v == q + 1 or (v == q + 2 and toks[q + 1].kind == "p")
    if right_after:
        return subject_after(toks, v) or subject_before(toks, v)
    ref = subject_before(toks, v)
    if toks[v].low in _DOC_VERBS and (ref is None or ref.kind != "doc"):
        return None  # "the statement read" yes, "she read" no
    if ref is None and (v > q or (v > 0 and toks[v - 1].kind in "pq")):
        after = subject_after(toks, v)  # also '"A," said X, "B."' for B
        ref = after if after is not None and after.kind == "person" else None
    return ref


def attribute(toks: list[Tok], q: int) -> Ref | None:
    """The mention that names the speaker of the quote token ``q`` in its sentence.

    Order: a dash credit; a cue after the quote in the same clause (nearest first); a cue
    before it (nearest first: the subject of the clause holding the quote); other cues;
    "according to X"."""
    dash = _dash_speaker(toks, q)
    if dash is not None:
        return dash
    verbs = [(i, k) for i in range(len(toks)) if (k := verb_kind(toks, i)) and k != "a"]
    after = [(v, k) for v, k in verbs if v > q and not _between(toks, q, v, SUBORDINATORS)]
    before = [(v, k) for v, k in reversed(verbs) if v < q and not _between(toks, v, q, frozenset())]
    rest = sorted((vk for vk in verbs if vk not in after and vk not in before),
                  key=lambda vk: abs(vk[0] - q))
    for v, kind in [*after, *before, *rest]:
        ref = _verb_subject(toks, v, kind, q)
        if ref is not None:
            return ref
    for i in range(len(toks)):
        if verb_kind(toks, i) == "a":
            ref = np_fwd(toks, i + 2)
            if ref is not None and ref.kind == "doc" and ref.owner is None:
                end = ref.index + max(len(ref.words), 1) + 1
                if end < len(toks) and toks[end - 1].low in ("from", "by", "of"):
                    ref = np_fwd(toks, end) or ref  # "a statement from the ministry"
            if ref is not None:
                return ref
    return None
