"""Direct quotes in one article and who said them.

Spans come from spans.py, sentences and tokens from tokens.py, cues from cues.py and the
article's entity table from coref.py. Attribution rules, most reliable first (the first that
fires wins): a cue in the quote's sentence (dash credits included); a colon introduction; an
attribution in the next short sentence ('"...?" ¶ Marchetti said.'); the current topic for a
cue-less quote that opens its sentence (continuation of the last speaker, or the person the
previous sentence was about) when it is at most two paragraphs old; otherwise no speaker.
"""

from __future__ import annotations

import re
from collections import Counter

from summarizer.models import Quote
from summarizer.quotes.coref import NO_SOURCE, Entities, Source
from summarizer.quotes.cues import (
    attribute,
    clause_subject,
    subject_after,
    subject_before,
    verb_kind,
)
from summarizer.quotes.names import DOC_NOUNS
from summarizer.quotes.phrases import name_refs, np_fwd
from summarizer.quotes.spans import (
    DASHES,
    TITLE_CUES,
    Cand,
    candidates,
    is_label_or_headline,
    quote_text,
    raw_end,
    title_like,
)
from summarizer.quotes.tokens import Sent, Tok, sentences

_TOPIC_REACH = 2  # paragraphs a topic stays valid for cue-less quotes
# A photo caption's credit ("... Jane Doe / Reuters file", "(Getty Images)"): no topic change.
_CREDIT_RE = re.compile(
    r"(?:/|\|)\s*(?:[A-Z][\w.]*\s*){0,3}(?:Reuters|AP|AFP|Getty Images|Bloomberg|file|"
    r"Photo|Handout)\b[^.!?]{0,20}$|\((?:Getty Images|Reuters|AP|AFP|Photo[^)]*)\)\s*$"
)


# An embedded post: "pic.twitter.com/...", "— Name (@handle) March 3, 2025".
_EMBED_RE = re.compile(r"pic\.twitter\.com/|\(@\w{2,}\)\s+\w+ \d{1,2}, \d{4}")


def _heads(paras: list[str]) -> list[bool]:
    """Paragraphs that must not set the topic: labels, headlines, captions (repeated, or
    repeated with a credit appended, or ending in a photo credit)."""
    texts = [p.strip() for p in paras]
    seen = Counter(texts)
    out = [is_label_or_headline(p) or seen[t] > 1 or bool(_CREDIT_RE.search(p))
           or bool(_EMBED_RE.search(p)) for p, t in zip(paras, texts, strict=True)]
    for k in range(len(texts) - 1):
        a, b = texts[k], texts[k + 1]
        if a and b and (b.startswith(a) or a.startswith(b)):
            out[k] = out[k + 1] = True
    return out


def _keep(cand: Cand, content: str, toks: list[Tok], q: int, attributed: bool,
          headline: bool) -> bool:
    """Whether a candidate is a real quote rather than a title, headline or scare quote."""
    if headline or not content:
        return False
    prev = toks[q - 1] if q > 0 else None
    n_words = len(content.split())
    if prev is not None and prev.low == "so-called":
        return False
    if title_like(content) and (not attributed or (prev is not None and (
            prev.poss or prev.low in TITLE_CUES))):
        return False
    if n_words <= 2 and not attributed:
        return False
    if _is_partial(toks, q, content + ",") and n_words <= 4 and not attributed:
        return False
    return cand.closed or attributed or n_words >= 4


def _is_partial(toks: list[Tok], q: int, content: str) -> bool:
    """Whether the quote is part of a sentence rather than a whole sentence of its own."""
    if q > 0 and toks[q - 1].kind == "w":
        return True
    nxt = toks[q + 1] if q + 1 < len(toks) else None
    return nxt is not None and nxt.kind == "w" and content.rstrip()[-1:] not in ".,!?…;:"


def _register_names(toks: list[Tok], ents: Entities) -> None:
    """Full names and titled names become known people (for later surnames and roles)."""
    for ref in name_refs(toks):
        if ref.role or len(ref.text.split()) > 1:
            ents.add_person(ref.text, ref.role)


def _next_sentence_source(nxt: Sent | None, para: int, ents: Entities) -> Source:
    """'"...?" Marchetti said.': a short quote-free sentence right after that is only a cue;
    a pull quote's credit on its own line ("— Jonah Petersen, retiree") counts too."""
    if nxt is not None and nxt.para == para + 1 and nxt.toks and nxt.toks[0].text in DASHES:
        ref = np_fwd(nxt.toks, 1)
        if ref is not None and ref.kind == "person" and len(nxt.toks) <= 14:
            return ents.resolve(ref)
    if nxt is None or nxt.para != para or len(nxt.toks) > 14:
        return NO_SOURCE
    if any(t.kind == "q" for t in nxt.toks):
        return NO_SOURCE
    for v in range(len(nxt.toks)):
        kind = verb_kind(nxt.toks, v)
        if kind == "v":
            ref = subject_before(nxt.toks, v) or subject_after(nxt.toks, v)
            return ents.resolve(ref)
    return NO_SOURCE


def _cueless_source(sent: Sent, q: int, cand: Cand, ents: Entities, nxt: Sent | None) -> Source:
    """Rules for a quote with no cue in its sentence: colon, next sentence, topic."""
    toks = sent.toks
    if q > 0 and toks[q - 1].text == ":":
        ref = clause_subject(toks, 0, q - 1)
        if ref is not None and ref.kind in ("person", "org", "pron", "rolenp"):
            source = ents.resolve(ref)
            if source.name:
                return source
        return ents.topic if ents.topic_para >= cand.para - _TOPIC_REACH else NO_SOURCE
    if any(t.kind == "w" for t in toks[:q]):
        return NO_SOURCE
    source = _next_sentence_source(nxt, sent.para, ents)
    if source.name:
        return source
    if ents.topic_para >= cand.para - _TOPIC_REACH:
        return ents.topic
    return NO_SOURCE


def _make_quote(text: str, cand: Cand, sent: Sent, q: int, ents: Entities, headline: bool,
                context: str, nxt: Sent | None) -> tuple[Quote | None, Source]:
    """Build one Quote (or None for a non-quote) and its source."""
    toks = sent.toks
    content = quote_text(text, cand)
    ref = attribute(toks, q)
    n_words = len(content.split())
    if headline or not content:
        return None, NO_SOURCE
    if ref is not None and ref.kind == "pron" and ref.index > 1 and toks[0].low in (
            "after", "when", "as", "once", "while", "since", "because", "before", "although"):
        lead = np_fwd(toks, 1)  # "After Maria Lopez won the vote, she said ...": same sentence
        if lead is not None and lead.kind == "person" and lead.index + len(lead.words) <= ref.index:
            ents.mention(ents.add_person(lead.text, lead.role))
    source = ents.resolve(ref) if ref is not None else NO_SOURCE
    attributed = ref is not None and (source.kind != "anon" or n_words >= 3)
    if not _keep(cand, content, toks, q, attributed, headline):
        return None, NO_SOURCE
    if ref is None:
        source = _cueless_source(sent, q, cand, ents, nxt)
    partial = _is_partial(toks, q, raw_end(text, cand))
    return Quote(content, source.name, source.role, context, partial, cand.segs[0][0]), source


def _update_topic(toks: list[Tok], para: int, ents: Entities) -> None:
    """After a sentence without quotes: who it reports or is about, and documents' owners."""
    source = NO_SOURCE
    for v in range(len(toks)):
        kind = verb_kind(toks, v)
        if kind in ("v", "p"):
            ref = subject_before(toks, v) if kind == "v" else None
            if ref is not None and ref.kind in ("person", "pron", "rolenp", "org", "anon",
                                                "generic"):
                source = ents.resolve(ref)
            break
    if not source.name:
        ref = clause_subject(toks, 0, len(toks))
        if ref is not None and ref.kind == "person" and len(ref.text.split()) == 1 and not (
                ref.role or ents.registry.find(ref.text)):
            ref = None  # "Norhaven scored": a bare unknown word is no topic (team, place)
        if ref is not None and ref.kind in ("person", "org", "pron", "rolenp", "generic"):
            source = ents.resolve(ref)
            if source.kind == "anon" and ref.kind == "person":
                source = NO_SOURCE  # "Repairs began": a plural word, not a source
    if not source.name:
        return
    ents.set_topic(source, para)
    for t in toks:
        if t.kind == "w" and t.low in DOC_NOUNS and t.text.islower():
            ents.doc_owner[t.low] = source


def extract_quotes(text: str) -> list[Quote]:
    """Direct quotes of an article body, in order, with speakers resolved across sentences."""
    paras, cands, all_spans = candidates(text)
    if not cands:
        return []
    heads = _heads([p for _, p in paras])
    ents = Entities()
    found: dict[int, tuple[Quote, Source]] = {}
    contexts: dict[int, list[str]] = {}
    sents = sentences(text, paras, all_spans, cands)
    for n, sent in enumerate(sents):
        _register_names(sent.toks, ents)
        context = text[sent.start : sent.end].strip()
        nxt = sents[n + 1] if n + 1 < len(sents) else None
        quoted = False
        for q, tok in enumerate(sent.toks):
            if tok.kind != "q" or tok.qid < 0:
                continue
            contexts.setdefault(tok.qid, []).append(context)
            if tok.qid in found:
                continue
            cand = cands[tok.qid]
            quote, source = _make_quote(text, cand, sent, q, ents, heads[cand.para], context, nxt)
            if quote is not None:
                found[tok.qid] = (quote, source)
                quoted = True
                ents.set_topic(source, cand.last_para)
        if not heads[sent.para] and not quoted:
            _update_topic(sent.toks, sent.para, ents)
    out = []
    for qid in sorted(found):
        quote, source = found[qid]
        speaker = source.person.name if source.person is not None else quote.speaker
        ctx = " ".join(dict.fromkeys(contexts.get(qid, [quote.context])))
        out.append(Quote(quote.text, speaker, quote.role, ctx, quote.partial, quote.start))
    return out
