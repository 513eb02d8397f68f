"""Which lines of a parsed input are the article's own text.

Text and markdown inputs: the fitted line model (:mod:`summarizer.clean.model`) scores every line
from its features and the rules' labels. A line no rule marked is kept when its score reaches the
fitted threshold (a higher one for a line that is not a full sentence); a line a rule marked stays
dropped, unless its rule is one the FIT pages show to be wrong often (``overridable``) and the
model is sure it is text (``override_threshold``).
HTML inputs: trafilatura already chose the main text, so only the rule labels whose removal lifts
the FIT pages' F1 (``html_drops``, fitted by bench/fit_clean.py; none does today) remove a line
besides ``ALWAYS_DROPPED``; an appeal trafilatura kept stays in the text, and the briefing's own
sentence filters keep it out of briefings. The model only decides whether the page has any text
of its own (a navigation-only page is refused).

A short real item (a wire flash, a headline with one teaser sentence) is still an article: when
the model keeps nothing, the lines that no rule marked as clutter and that read as prose are kept.
Only input with no words of its own is left empty (the cleaner then refuses it).

The model was fitted on whole web pages (hundreds of lines); an input of fewer than
``min_lines`` lines (a feed entry, a pasted article without page chrome) is left to the rules.
"""

from __future__ import annotations

from summarizer.clean import boilerplate as bp
from summarizer.clean.features import line_features
from summarizer.clean.lines import Line
from summarizer.clean.model import load_model

__all__ = ["ALWAYS_DROPPED", "select_lines"]

# Lines that are never body text whatever the model says: the headline (kept as the title) and
# the trailing source link (kept as the URL).
ALWAYS_DROPPED = frozenset({"title", "source", "link", "symbols"})


def _short_item(lines: list[Line]) -> list[bool]:
    """The fallback for a page the model finds no body in: unlabelled sentences and long lines."""
    return [
        not ln.drop
        and bp.word_count(ln.text) >= 4
        and (bp.ends_like_sentence(ln.text) or bp.word_count(ln.text) >= 8)
        for ln in lines
    ]


def _has_words(text: str) -> bool:
    """Four words, or 30 characters of a script written without spaces (Chinese, Japanese)."""
    return bp.word_count(text) >= 4 or (len(text) >= 30 and " " not in text)


def select_lines(lines: list[Line], from_html: bool) -> list[bool]:
    """One keep/drop decision per line."""
    model = load_model()
    if len(lines) < model.min_lines:  # a feed entry or a pasted article: the rules alone
        keep = [bool(ln.text) and not ln.drop for ln in lines]
    else:
        scores = model.scores(line_features(lines), [ln.block for ln in lines])
        keep = [
            model.keeps(ln.drop, s, model.is_sentence(ln.text)) and bool(ln.text)
            for ln, s in zip(lines, scores, strict=True)
        ]
    if not any(keep):
        keep = _short_item(lines)
    if from_html:  # trafilatura's choice stands, less near-certain clutter
        drops = model.html_drops | ALWAYS_DROPPED
        found = [bool(ln.text) and ln.drop not in drops for ln in lines]
        # Refused only when neither the model nor the line shapes see any text of its own.
        has_text = any(keep) or any(
            f and _has_words(ln.text) for f, ln in zip(found, lines, strict=True)
        )
        return found if has_text else keep
    return keep
