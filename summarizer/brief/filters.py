"""Per-chat filters as pure rules: muted outlets, muted words, "only" words.

An article is muted when its outlet is muted or its headline names a muted word. A story is
hidden when all its coverage is muted, or when "only" words are set and neither its title nor
any headline names one. In a briefing, a muted outlet stays in the credits but its words are
never shown: a sentence whose quote is a muted outlet's wording, that only muted outlets print
word for word, or that only muted outlets carry is left out, and so is one naming a muted word. Words match whole words, case-insensitively; an outlet
matches when its name is the muted name or starts with it ("Meridian" mutes "Meridian Post").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from summarizer.models import Article, BriefSentence
from summarizer.nlp.text import fold


@dataclass(frozen=True)
class Filter:
    """A chat's filters (as entered; compared folded)."""

    outlets: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    only: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """No filter set: everything is shown."""
        return not (self.outlets or self.words or self.only)

    @cached_property
    def _outlet_keys(self) -> tuple[str, ...]:
        return tuple(fold(o) for o in self.outlets if o.strip())

    @cached_property
    def _muted_re(self) -> re.Pattern[str] | None:
        return _words_re(self.words)

    @cached_property
    def _only_re(self) -> re.Pattern[str] | None:
        return _words_re(self.only)

    def outlet_muted(self, outlet: str) -> bool:
        """Is this outlet muted?"""
        key = fold(outlet)
        return bool(key) and any(key == m or key.startswith(m + " ") for m in self._outlet_keys)

    def names_muted_word(self, text: str) -> bool:
        """Does the text name a muted word?"""
        return self._muted_re is not None and self._muted_re.search(fold(text)) is not None

    def names_only_word(self, text: str) -> bool:
        """Does the text name one of the "only" words (True when none is set)?"""
        return self._only_re is None or self._only_re.search(fold(text)) is not None

    def article_muted(self, outlet: str, title: str) -> bool:
        """Is one article's coverage muted?"""
        return self.outlet_muted(outlet) or self.names_muted_word(title)

    def story_visible(self, title: str, coverage: Iterable[tuple[str, str]]) -> bool:
        """Is a story shown, given its title and its articles' (outlet, headline) pairs?"""
        items = list(coverage)
        if self.empty:
            return True
        if self.names_muted_word(title):
            return False
        if items and all(self.article_muted(o, t) for o, t in items):
            return False
        return self.names_only_word(title) or any(self.names_only_word(t) for _, t in items)

    def sentences(
        self, sentences: Sequence[BriefSentence], articles: Sequence[Article] = ()
    ) -> tuple[BriefSentence, ...]:
        """The sentences that may be shown (credits untouched). With the story's ``articles``,
        a sentence printed word for word only by muted outlets is left out too."""
        texts = [(a.outlet, fold(a.text)) for a in articles] if self._outlet_keys else []
        out = []
        for s in sentences:
            if s.wording and self.outlet_muted(s.wording):
                continue
            key = fold(s.text)
            printed = [o for o, t in texts if key in t]
            if printed and all(self.outlet_muted(o) for o in printed):
                continue
            if s.outlets and all(self.outlet_muted(o) for o in s.outlets):
                continue
            if self.names_muted_word(s.text):
                continue
            out.append(s)
        return tuple(out)


def _words_re(words: Sequence[str]) -> re.Pattern[str] | None:
    keys = sorted({fold(w) for w in words if w.strip()})
    if not keys:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in keys) + r")(?!\w)")
