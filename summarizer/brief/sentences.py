"""Candidate sentences for a briefing: real, complete sentences of an article's body, verbatim.

Everything that is not a statement of fact a reader could be told out of context is dropped:
headings and captions (lines without terminal punctuation, ALL-CAPS lines, photo credits,
lines repeated inside one article), fragments, questions to the reader, bare quotations with
no speaker, and newsroom boilerplate ("reached out for comment", "contributed to this report").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from summarizer.models import Article
from summarizer.nlp.text import fold, paragraphs, split_sentences, words

MIN_WORDS = 6
MAX_WORDS = 70

_CLOSERS = "\"'\u201d\u2019)]\u00bb"
_OPENERS = "\"'\u201c\u2018\u00ab"
_TERMINAL_RE = re.compile(r"[.!?\u2026][" + re.escape(_CLOSERS) + r"]*$")
_QUESTION_RE = re.compile(r"\?[" + re.escape(_CLOSERS) + r"]*$")

# Newsroom boilerplate, calls to action and credits (matched on fold()ed text).
_BOILERPLATE_RE = re.compile(  # one alternation: one scan per sentence instead of 27
    "|".join(
        f"(?:{pattern})"
        for pattern in (
            r"reached\s+out\s+to\b.*\bfor\s+comment",
            r"\bhas\s+reached\s+out\b",
            r"did\s+not\s+(?:immediately\s+)?(?:respond|reply)\s+to\s+(?:a\s+|an\s+|our\s+)?"
            r"(?:request|requests|email|emails|message|messages)",
            r"(?:could\s+not|couldn't)\s+(?:immediately\s+)?be\s+reached\s+for\s+comment",
            r"\bcontributed\s+(?:to\s+)?(?:this|the)\s+(?:report|story|article)",
            r"^\(?(?:reporting|writing|editing|additional\s+reporting)\s+by\b",
            r"\bthis\s+(?:story|article|report)\s+(?:has\s+been|was)\s+(?:updated|corrected)",
            r"\b(?:originally|first)\s+(?:appeared|published)\s+(?:on|in|at)\b",
            r"\bsign\s+up\b",
            r"\bsubscribe\b",
            r"\bnewsletter\b",
            r"\bclick\s+here\b",
            r"^(?:read|see|watch|listen)\s*(?:more|also)?\s*:",
            r"\balso\s+read\b",
            r"\bread\s+more\b",
            r"\bfollow\s+(?:us|him|her|them)\s+on\b",
            r"\ball\s+rights\s+reserved\b",
            r"\u00a9|\bcopyright\b",
            r"\byour\s+(?:support|donation)\b",
            r"\bsupport\s+(?:our|independent)\s+journalism\b",
            r"\bdownload\s+(?:the|our)\s+app\b",
            r"^editor'?s\s+note\b",
            r"^advertisement\b",
            r"\bcookies?\s+(?:policy|settings)\b",
            # Author bios: "Jo Smith is a reporter for ...", "Previously, she worked as a writer".
            r"^(?:[\w.'-]+\s+){1,4}is\s+an?\s+(?:[\w-]+\s+){0,3}(?:reporter|correspondent|writer|"
            r"editor|producer|journalist|columnist)\s+(?:for|at|with)\b",
            r"\b(?:worked|works)\s+as\s+an?\s+(?:[\w-]+\s+){0,2}(?:writer|reporter|editor|"
            r"correspondent|producer)\b",
        )
    )
)
# Necessary conditions of _BOILERPLATE_RE: a word every match contains, or an anchored start.
_BOILERPLATE_TRIGGERS = (
    "reached", "did", "contributed", "updated", "corrected", "appeared", "published", "sign",
    "subscribe", "newsletter", "click", "read", "follow", "rights", "\u00a9", "copyright",
    "your", "journalism", "download", "cookie", "reporter", "correspondent", "writer", "editor",
    "producer", "journalist", "columnist", "work",
)
_BOILERPLATE_PREFIXES = ("reporting", "writing", "editing", "additional", "see", "watch",
                         "listen", "advertisement")
# The outlet speaking to its readers ("we need reporters on the ground", "our journalism"),
# matched outside quotation marks: never a fact of the story.
_APPEAL_WORDS = ("journalis", "reporter", "reader", "subscri", "donat", "paywall", "newsroom",
                 "independent news", "trusted by")
_APPEAL_RE = re.compile(
    r"\b(?:we|our)\b.*\b(?:journalism|journalists|reporters|readers|subscribers|subscription|"
    r"donat\w*|paywall|newsroom|independent\s+news)\b"
    r"|\b(?:journalism|journalists|reporters|readers|subscribers|paywall|newsroom)\b.*\b(?:we|our)\b"
    r"|\bis\s+trusted\s+by\b"
)

# Photo/video credits that mark a caption ("... (PHOTO / AP)", "... Getty Images", "/ Reuters file").
_CREDIT_RE = re.compile(
    r"(?:\((?:photo|file|video|image|pictured)\b[^)]*\)"
    r"|\bgetty\s*images\b"
    r"|\b(?:ap|afp|reuters|epa|getty)\s+(?:photo|file|images?|via)\b"
    r"|/\s*(?:ap|afp|reuters|getty|epa|bloomberg|shutterstock)\b"
    r"|\b(?:photo|image|credit|pictured)\s*:"
    r"|\bfile\s+photo\b)",
)

_CREDIT_TRIGGERS = ("(", "/", "getty", "photo", "image", "credit", "pictured", "file", "via")

# Reader-directed lines ("Here's what you need to know.").
_READER_RE = re.compile(
    r"^(?:here'?s|here\s+is|here\s+are|what\s+you\s+need|what\s+to\s+know|find\s+out|"
    r"don't\s+miss|learn\s+more|share\s+this|tap\s+|scroll\s+)"
)

# Openings that lean on a previous sentence; fine in the body, weak as a lead.
_DEPENDENT_RE = re.compile(
    r"^(?:he|she|they|it|this|that|these|those|his|her|their|its|but|and|or|so|however|"
    r"also|meanwhile|still|yet|instead|such|there)\b"
)
# Connectives that continue the previous sentence (also inside an opening quotation mark).
_CONNECTIVE_RE = re.compile(
    r"^(?:otherwise|but|and|or|so|however|also|meanwhile|still|yet|instead|then|thus|therefore|"
    r"besides|moreover|furthermore|nevertheless|nonetheless)\b"
)
# A line opening with an upper-case place and a dash: "CITY - ", "CITY, Country (Agency) -- ".
_DATELINE_RE = re.compile(r"^[A-Z][A-Z .,'()-]{1,60}?\s[-\u2013\u2014]{1,2}\s")
_SAID_RE = re.compile(
    r"\b(?:said|says|say|told|added|adds|stated|wrote|writes|asked|according|declared|"
    r"insisted|noted|argued|warned|explained|tweeted|posted)\b"
)
_VERBISH_RE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|do|does|did|will|would|can|could|"
    r"shall|should|may|might|must)\b|\w(?:ed|es|s|ing)\b"
)


@dataclass(frozen=True)
class Candidate:
    """One usable sentence of one article, with its place in that article."""

    article_id: int
    outlet: str
    text: str
    index: int  # position among the article's candidate sentences (0 = lead)
    paragraph: int  # paragraph number in the article
    rel_pos: float  # index / number of candidates in the article, in [0, 1)
    n_words: int
    quality: float  # 0..1: how well-formed the wording is for display


def _strip_quotes(key: str) -> str:
    """The folded text outside double quotation marks (the writer's words, not the speaker's)."""
    return re.sub(r'"[^"]*"', " ", key)


def is_fragment(text: str, key: str | None = None) -> bool:
    """Too short, unterminated, ALL-CAPS or verbless: a heading, caption or list item."""
    toks = words(text)
    if len(toks) < MIN_WORDS:
        return True
    if not _TERMINAL_RE.search(text.rstrip()):
        return True
    n_letters = sum(map(str.isalpha, text))
    if n_letters and sum(map(str.isupper, text)) > 0.6 * n_letters:
        return True
    if not any(t[:1].islower() for t in toks):
        return True  # Title Case Headline.
    return not _VERBISH_RE.search(fold(text) if key is None else key)


def is_question(text: str) -> bool:
    """A sentence that asks something (of the reader or rhetorically)."""
    return bool(_QUESTION_RE.search(text.rstrip()))


def is_boilerplate(text: str, key: str | None = None) -> bool:
    """Newsroom boilerplate, calls to action, credits and reader-directed lines."""
    key = fold(text) if key is None else key
    if any(k in key for k in _APPEAL_WORDS) and _APPEAL_RE.search(_strip_quotes(key)):
        return True
    if _READER_RE.search(key):
        return True
    # The alternation is slow on long sentences; most contain none of its words.
    if not (key.lstrip("(").startswith(_BOILERPLATE_PREFIXES)
            or any(t in key for t in _BOILERPLATE_TRIGGERS)):
        return False
    return bool(_BOILERPLATE_RE.search(key))


def is_caption(text: str, key: str | None = None) -> bool:
    """A photo caption or credit line."""
    key = fold(text) if key is None else key
    return any(t in key for t in _CREDIT_TRIGGERS) and bool(_CREDIT_RE.search(key))


def is_bare_quote(text: str, key: str | None = None) -> bool:
    """A quotation with no speaker or attribution outside the quotation marks."""
    key = (fold(text) if key is None else key).strip()
    if not key or key[0] not in "\"'":
        return False
    outside = _strip_quotes(key)
    return not _SAID_RE.search(outside) and len(words(outside)) < 4


def keep(text: str, key: str | None = None) -> bool:
    """Whether a sentence may appear in a briefing at all (``key``: its fold(), if known)."""
    key = fold(text) if key is None else key
    return not (
        is_question(text)
        or is_fragment(text, key)
        or is_caption(text, key)
        or is_boilerplate(text, key)
        or is_bare_quote(text, key)
    )


def quality(text: str, key: str | None = None) -> float:
    """How well a (kept) sentence reads on its own, 0..1; used to pick a group's wording."""
    q = 1.0
    key = fold(text) if key is None else key
    n = len(words(text))
    if _DEPENDENT_RE.match(key):
        q *= 0.8
    elif _CONNECTIVE_RE.match(key.lstrip(_OPENERS + "\"' ")):
        q *= 0.6  # "Otherwise, ...", "But ...": continues a sentence the reader has not seen
    if _DATELINE_RE.match(text):
        q *= 0.85
    if key[:1] in _OPENERS or key[:1] in "\"'":
        q *= 0.85
    if "http" in key or "](" in key or "www." in key:
        q *= 0.6
    if n > 45:
        q *= 0.85
    if n > MAX_WORDS:
        q *= 0.6
    if n < 10:
        q *= 0.85
    if "[" in text or "\u2026" in text or "..." in text:
        q *= 0.9
    return q


@lru_cache(maxsize=50_000)
def sentence_key(sentence: str) -> str:
    """fold() of a sentence, cached: quote joining and the filters fold the same sentences."""
    return fold(sentence)


def join_open_quotes(sentences: Sequence[str], limit: int = 4) -> list[str]:
    """Rejoin sentences split inside a quotation (an odd number of double quotes) with the
    sentences that close it, so a quote's tail never stands alone. Text stays verbatim."""
    out: list[str] = []
    pending = ""
    joined = 0
    for sent in sentences:
        pending = f"{pending} {sent}" if pending else sent
        if sentence_key(pending).count('"') % 2 == 1 and joined < limit:
            joined += 1
            continue
        out.append(pending)
        pending, joined = "", 0
    if pending:
        out.append(pending)
    return out


@lru_cache(maxsize=20_000)
def paragraph_sentences(paragraph: str) -> tuple[str, ...]:
    """The paragraph's sentences (Punkt), cached: candidates, credits and coherence all split
    the same articles, and Punkt is the slowest step of a briefing."""
    return tuple(split_sentences(paragraph))


def _kept(
    raw: Sequence[tuple[int, str]], title_key: str, later: str = ""
) -> list[tuple[int, str, str]]:
    """The usable (paragraph, sentence, key) of an article's sentences in order: repeated lines
    (also when repeated in ``later``, the folded rest of the article), the headline and
    everything ``keep`` refuses are dropped."""
    keys = [sentence_key(s) for _, s in raw]
    counts = Counter(keys)
    kept: list[tuple[int, str, str]] = []
    for (p_no, sent), key in zip(raw, keys, strict=True):
        # Repeated lines inside one article are captions, pull quotes or widgets.
        if counts[key] > 1 or (title_key and key.rstrip(".") == title_key):
            continue
        if later and key in later:
            continue
        if keep(sent, key):
            kept.append((p_no, sent, key))
    return kept


def _split(paras: Sequence[str], start: int, stop: int) -> list[tuple[int, str]]:
    return [
        (p_no, sent)
        for p_no in range(start, stop)
        for sent in join_open_quotes(paragraph_sentences(paras[p_no]))
    ]


def extract_candidates(article: Article, limit: int | None = None) -> list[Candidate]:
    """The article's kept sentences, in order (the headline and repeated lines are dropped).

    With ``limit``, only the leading paragraphs that give that many are split (a big story's
    cap applied before the work); positions are then relative to the estimated full count."""
    title_key = fold(article.title)
    paras = paragraphs(article.text)
    if limit is None:
        kept = _kept(_split(paras, 0, len(paras)), title_key)
        total = len(kept)
    else:
        stop = min(len(paras), max(1, limit // 2))
        while True:
            later = fold("\n".join(paras[stop:])) if stop < len(paras) else ""
            kept = _kept(_split(paras, 0, stop), title_key, later)
            if len(kept) >= limit or stop >= len(paras):
                break
            stop = min(len(paras), 2 * stop)
        done = sum(len(p) for p in paras[:stop])
        total = max(len(kept), round(len(kept) * sum(len(p) for p in paras) / max(1, done)))
        kept = kept[:limit]
    return [
        Candidate(
            article_id=article.id,
            outlet=article.outlet,
            text=sent,
            index=i,
            paragraph=p_no,
            rel_pos=i / total,
            n_words=len(words(sent)),
            quality=quality(sent, key),
        )
        for i, (p_no, sent, key) in enumerate(kept)
    ]


MAX_CANDIDATES = 2500  # bound on sentences compared pairwise (the similarity matrix is dense)
MIN_PER_ARTICLE = 4
CHARS_PER_SENTENCE = 160  # body characters per kept sentence, about (estimates a story's size)


def extract_all(articles: Sequence[Article], cap: bool = False) -> list[Candidate]:
    """Candidates of every article, article by article in the given order.

    With ``cap``, a story of more than MAX_CANDIDATES sentences keeps each article's leading
    sentences (at least MIN_PER_ARTICLE each): news puts its facts first, and the pairwise
    work stays bounded. Articles are only split as far as that needs."""
    if not cap or not articles:
        return [c for a in articles for c in extract_candidates(a)]
    per_article = max(MIN_PER_ARTICLE, MAX_CANDIDATES // len(articles))
    size = sum(len(a.text) for a in articles) / CHARS_PER_SENTENCE
    out: list[Candidate] = []
    if size <= 2 * MAX_CANDIDATES:  # maybe small enough: split fully until it is clearly not
        for k, article in enumerate(articles):
            out.extend(extract_candidates(article))
            if len(out) > MAX_CANDIDATES:
                out = [c for c in out if c.index < per_article]
                return out + [
                    c for a in articles[k + 1 :] for c in extract_candidates(a, per_article)
                ]
        return out
    return [c for a in articles for c in extract_candidates(a, per_article)]
