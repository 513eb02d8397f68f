"""Numeric features of every line of a page, for the fitted line model (:mod:`summarizer.clean.model`).

A line is described by its own shape (length, sentence punctuation, stop-word share, capitals,
digits, links, pronouns, caption/credit words), by the rule label it got
(:mod:`summarizer.clean.rules`), by its block (the blank-line-separated group it sits in: a menu
is a block of many short lines), by its neighbours, and by where it sits relative to the page's
dense text (the share of the page's sentence-like words above and below it). Hand-written because
no library computes line features of a flattened page; every feature is a plain float.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from summarizer.clean import boilerplate as bp
from summarizer.clean.lines import Line
from summarizer.clean.shape import WORD_RE, title_case_words
from summarizer.nlp.text import ignorecase_lower

__all__ = ["FEATURE_NAMES", "RULE_LABELS", "line_features"]

# Rule labels of summarizer.clean.rules (and the cleaner) that become one-hot features.
RULE_LABELS = (
    "link",
    "symbols",
    "copyright",
    "byline",
    "dateline",
    "widget",
    "related-header",
    "credit",
    "related",
    "cross-link",
    "promo",
    "appeal",
    "caption",
    "bio",
    "links",
    "label",
    "nav",
    "title",
    "source",
)

# English function words (a fixed list: the share of them tells running prose from labels).
_STOP = frozenset(
    """a about after all also an and any are as at be because been but by can could did do does
    for from had has have he her his how i if in into is it its just me more most my no not of on
    one only or other our out over said says she so some than that the their them then there these
    they this to up was we were what when which while who will with would you your""".split()
)
_PUNCT_RE = re.compile(r"[.,;:!?]")
_DIGIT_RE = re.compile(r"\d")
_SECOND_RE = re.compile(r"\b(?:you|your|yours|you're|you'll)\b", re.I)
_WE_RE = re.compile(r"\b(?:we|our|ours|us|we're|we've|we'll)\b", re.I)
_WE_PARTS = ("we", "our", "us")  # one of them is in every word _WE_RE finds
_CREDIT_WORDS = (
    "photo",
    "image",
    "credit",
    "getty",
    "courtesy",
    "illustration",
    "file",
    "shutterstock",
    "caption",
    "video",
    "watch",
    "gallery",
    "©",
)  # one of them is in everything _CREDIT_RE finds
_CREDIT_RE = re.compile(
    r"\b(?:photo|photos|photograph|image|images|credit|getty|courtesy|illustration|file|"
    r"shutterstock|caption|video|watch|gallery)\b|©",
    re.I,
)
_SEPARATOR_RE = re.compile(r"\s[|•·»/]\s|\s[-–—]\s")
_WEB_RE = re.compile(r"https?://|www\.|@\w|\.com\b")
_QUOTE_RE = re.compile(r"[\"“”«»]")
_DATE_RE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b\d{1,2}:\d{2}\b",
    re.I,
)

_SHAPE = (
    "log_words",
    "log_chars",
    "sentence_end",
    "colon_end",
    "punct_per_word",
    "commas_per_word",
    "stop_share",
    "caps_ratio",
    "title_case",
    "digit_share",
    "starts_lower",
    "heading",
    "link_share",
    "has_image",
    "mean_word_len",
    "second_person",
    "we_voice",
    "credit_words",
    "separators",
    "web_marks",
    "quotes",
    "date_like",
)
_CONTEXT = (
    "position",
    "dense_above",
    "dense_below",
    "log_dist_peak",
    "block_lines",
    "block_mean_words",
    "block_sentence_share",
    "block_max_words",
    "index_in_block",
    "prev_words",
    "next_words",
    "prev_sentence",
    "next_sentence",
    "window_sentence_share",
    "window_mean_words",
    "repeats",
)
FEATURE_NAMES = _SHAPE + _CONTEXT + tuple(f"rule:{label}" for label in RULE_LABELS)


def _shape(line: Line) -> list[float]:
    """Features of the line's own text."""
    t = line.text
    words = WORD_RE.findall(t)
    wc = bp.word_count(t)
    n_words = max(1, wc)
    lower = list(map(str.lower, words))
    digits = len(_DIGIT_RE.findall(t))
    # The words of these case-insensitive patterns are looked for in the lower-cased line first
    # (where ``ignorecase_lower`` says that finds what IGNORECASE would): no word, no match.
    low = ignorecase_lower(t) or ""
    return [
        math.log1p(wc),
        math.log1p(len(t)),
        float(bp.ends_like_sentence(t)) if t else 0.0,
        float(t.endswith(":")),
        len(_PUNCT_RE.findall(t)) / n_words,
        t.count(",") / n_words,
        sum(map(_STOP.__contains__, lower)) / max(1, len(words)),
        bp.caps_ratio(t),
        float(title_case_words(words, lower)) if words else 0.0,
        digits / max(1, len(t)),
        float(bool(t) and t[0].islower()),
        float(line.heading),
        min(1.0, line.link_chars / max(1, len(t))) if t else float(bool(line.only_link)),
        float(bool(line.images)),
        sum(map(len, words)) / max(1, len(words)),
        0.0 if low and "you" not in low else len(_SECOND_RE.findall(t)) / n_words,
        0.0 if low and not _has_any(low, _WE_PARTS) else len(_WE_RE.findall(t)) / n_words,
        0.0 if low and not _has_any(low, _CREDIT_WORDS) else float(bool(_CREDIT_RE.search(t))),
        float(len(_SEPARATOR_RE.findall(t))),
        float(bool(_WEB_RE.search(t))),
        float(bool(_QUOTE_RE.search(t))),
        float(bool(digits and _DATE_RE.search(t))),  # every date shape has a digit
    ]


def _has_any(text: str, parts: tuple[str, ...]) -> bool:
    return any(map(text.__contains__, parts))


def _dense_words(line: Line) -> int:
    """Words of a line that reads like running prose (for the page's dense-text profile)."""
    wc = bp.word_count(line.text)
    return wc if wc >= 10 and bp.ends_like_sentence(line.text) else 0


def line_features(lines: list[Line]) -> list[list[float]]:
    """One feature vector per line, in :data:`FEATURE_NAMES` order."""
    n = len(lines)
    if not n:
        return []
    words = [bp.word_count(ln.text) for ln in lines]
    sentence = [bool(ln.text) and bp.ends_like_sentence(ln.text) for ln in lines]
    dense = [_dense_words(ln) for ln in lines]
    total_dense = sum(dense) or 1
    above = []
    run = 0
    for d in dense:
        above.append(run / total_dense)
        run += d
    window = [sum(dense[max(0, i - 5) : i + 6]) for i in range(n)]
    peak = max(range(n), key=lambda i: window[i])
    blocks: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        blocks.setdefault(ln.block, []).append(i)
    # Per-block figures once per block (a page extracted as one block has every line in it).
    block_stats = {
        b: (
            len(m),
            math.log1p(len(m)),
            math.log1p(sum(words[j] for j in m) / len(m)),
            sum(sentence[j] for j in m) / len(m),
            math.log1p(max(words[j] for j in m)),
        )
        for b, m in blocks.items()
    }
    position = {i: k for m in blocks.values() for k, i in enumerate(m)}
    keys = Counter(ln.key for ln in lines if ln.text)
    log_words = [math.log1p(w) for w in words]  # each line's, once
    out = []
    for i, ln in enumerate(lines):
        size, log_size, mean_words, sentences, most_words = block_stats[ln.block]
        lo, hi = max(0, i - 3), min(n, i + 4)
        near_words = log_words[lo:i] + log_words[i + 1 : hi]  # the neighbours', in order
        near_sentences = sentence[lo:i] + sentence[i + 1 : hi]
        context = [
            i / n,
            above[i],
            1.0 - above[i] - dense[i] / total_dense,
            math.log1p(abs(i - peak)),
            log_size,
            mean_words,
            sentences,
            most_words,
            position[i] / size,
            log_words[i - 1] if i else 0.0,
            log_words[i + 1] if i + 1 < n else 0.0,
            float(sentence[i - 1]) if i else 0.0,
            float(sentence[i + 1]) if i + 1 < n else 0.0,
            sum(near_sentences) / max(1, len(near_sentences)),
            sum(near_words) / max(1, len(near_words)),
            math.log1p(keys[ln.key] - 1) if ln.text else 0.0,
        ]
        out.append(_shape(ln) + context + _ONE_HOT.get(ln.drop, _NO_RULE))
    return out


#: The rule-label features of a line, by its label (all zero for none or another label).
_ONE_HOT = {label: [float(label == other) for other in RULE_LABELS] for label in RULE_LABELS}
_NO_RULE = [0.0] * len(RULE_LABELS)
