"""Appeals to the reader by shape: donation and subscription pleas, first- and second-person voice.

A line that reports news (names, numbers, reported speech) is not an appeal even when it says
"you" or "we"; see :func:`is_appeal`.
"""

from __future__ import annotations

import re

from summarizer.clean.shape import QUOTE_CHARS, word_count

__all__ = ["is_appeal", "is_fundraising", "is_personal_voice", "is_we_voice"]

_APPEAL_RE = re.compile(
    r"\byour\s+(?:support|donation|contribution|gift|subscription|membership|inbox|email\s+address)"
    r"|\b(?:support|fund|back)\s+(?:our|us|independent|quality|trusted)\b"
    r"|\bhelp\s+(?:us|keep\s+(?:our|us|journalism))\b|\bwe\s+(?:need|rely\s+on|depend\s+on)\s+(?:your|readers)"
    r"|\b(?:donate|contribute)\s+(?:now|today|here|to\s+(?:us|our))\b"
    r"|\b(?:sign\s+up|subscribe|register)\s+(?:now|today|here|for\s+(?:free|our|the|a)|to\s+(?:our|the|get|receive))"
    r"|\b(?:already\s+a\s+(?:subscriber|member)|become\s+a\s+(?:member|subscriber|supporter|patron))"
    r"|\b(?:for\s+as\s+little\s+as|cancel\s+any\s*time|unlimited\s+(?:digital\s+)?access)"
    r"|\bthanks?\s+(?:you\s+)?for\s+(?:reading|your\s+support|supporting)"
    r"|\b(?:newsletter|paywall|ad[- ]?blocker)s?\b.{0,60}\byou",
)
_APPEAL_START_RE = re.compile(
    r"^(?:sign\s+up|subscribe|donate|support|join|become|get\s+(?:our|the|unlimited)|"
    r"log\s+in|sign\s+in|register|enter\s+your|already\s+(?:a|have))\b",
    re.I,
)


# Words without which no appeal pattern matches (plain substrings of the lower-cased line:
# thirty `in` tests cost a fifth of one search with a pattern of thirty alternatives).
_APPEAL_HINTS = (
    "your",
    "support",
    "help us",
    "donat",
    "contribut",
    "subscri",
    "sign up",
    "regist",
    "already",
    "become",
    "as little",
    "cancel",
    "unlimited",
    "thank",
    "newsletter",
    "paywall",
    "blocker",
    "we need",
    "rely on",
    "depend on",
    "join",
    "log in",
    "sign in",
    "get our",
    "get the",
    "get unlimited",
    "enter your",
    "fund",
    "back our",
    "back us",
)


# Money words of an outlet asking its readers to pay for the journalism.
# Money words of an outlet asking its readers to pay for the journalism (on lower-cased text).
_FUNDRAISE_RE = re.compile(
    r"\b(?:donat(?:e|es|ed|ing|ion|ions)|contribut(?:e|ion|ions)|chip\s+in|gifts?\s+of\s+any|"
    r"any\s+(?:size|amount)|costs?\s+(?:money|a\s+lot)|(?:is|isn'?t|is\s+not)\s+free\b|"
    r"free\s+(?:for|to)\s+(?:everyone|all|anyone|read)|paywalls?|memberships?|"
    r"subscri(?:be|bers?|ptions?)|reader[- ](?:funded|supported)|funded\s+by\s+(?:readers|you)|"
    r"(?:support|fund|back|sustain)\s+(?:our|us|this|independent|local|quality|trusted|"
    r"journalism|reporting)|your\s+(?:support|generosity|donation|gift|contribution)|"
    r"tax[- ]deductible|non-?profit\s+newsroom|"
    r"independent\s+(?:local\s+)?(?:journalism|reporting|news))"
)
# "we"/"our"/"us" (the newsroom) and "you"/"your" (the reader), on lower-cased text; the
# apostrophe ends the word, so "we're" and "you'll" count too.
_PERSONAL_RE = re.compile(r"\b(?:we|ours?|us|you|yours?)\b")
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
_ENTITY_RE = re.compile(r"\d|[a-z,;]\s+[A-Z][a-z]")


def _sentences(line: str) -> list[str]:
    return [s for s in _SENTENCE_SPLIT_RE.split(line) if s]


def _has_news_content(line: str) -> bool:
    """Besides the appeal, the paragraph states third-person facts (names, numbers...).

    ``Sign up for the free monitoring. <Company> is offering 24 months of ...`` is article text
    that happens to open with an imperative; an appeal is addressed to the reader throughout.
    """
    sents = _sentences(line)
    if len(sents) < 2:
        return False
    factual = [
        s
        for s in sents
        if word_count(s) >= 5
        and not _PERSONAL_RE.search(s.lower())
        and not _APPEAL_RE.search(s.lower())
        and not _FUNDRAISE_RE.search(s.lower())
    ]
    if not factual or 2 * len(factual) < len(sents):
        return False
    return len(factual) >= 2 or any(word_count(s) >= 8 and _ENTITY_RE.search(s) for s in factual)


def _is_reported_speech(line: str) -> bool:
    return any(q in line for q in QUOTE_CHARS) and bool(
        re.search(r"\b(?:said|says|told|added|wrote|asked)\b", line)
    )


def is_appeal(line: str) -> bool:
    """A donation / subscription / newsletter appeal addressed to the reader.

    The paragraph is judged as a whole: one that also carries news content of its own (see
    :func:`_has_news_content`) is article text, not an appeal.
    """
    low = line.lower()
    if not any(map(low.__contains__, _APPEAL_HINTS)):
        return False
    if _is_reported_speech(line):
        return False
    if (_APPEAL_START_RE.match(line) and word_count(line) <= 25) or _APPEAL_RE.search(low):
        return not _has_news_content(line)
    return False


def _personal_share_ok(line: str) -> bool:
    sents = _sentences(line)
    personal = sum(1 for s in sents if _PERSONAL_RE.search(s.lower()))
    return personal > 0 and 2 * personal >= len(sents)


def is_fundraising(line: str) -> bool:
    """The outlet asking for money: a fundraising term in a line dominated by we/our and you/your.

    ``Independent reporting costs money. Our desk explains ... for your rent. We keep it free.``
    At least half of the sentences must address the reader or speak for the newsroom.
    """
    low = line.lower()
    if not _PERSONAL_RE.search(low) or not _FUNDRAISE_RE.search(low):
        return False
    return (
        not _is_reported_speech(line) and _personal_share_ok(line) and not _has_news_content(line)
    )


def is_personal_voice(line: str) -> bool:
    """Most sentences speak as "we" or to "you", outside quotes."""
    if any(q in line for q in QUOTE_CHARS):
        return False
    return _personal_share_ok(line)


_WE_RE = re.compile(r"\b(?:we|our|us|we're|we've|we'll)\b", re.I)


def is_we_voice(line: str) -> bool:
    """First person plural outside quotes: the outlet speaking about itself."""
    if any(q in line for q in QUOTE_CHARS):
        return False
    return len(_WE_RE.findall(line)) >= 1
