"""Terms: the one stemmer, stop list and content-term extractor (no numpy, loaded lazily).

sumy's English Snowball stemmer and stop words (both offline) are made on first use, so importing
this module costs nothing; ``stem`` is cached because news reuses a small vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from summarizer.nlp.text import words


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """sumy's English stop words (lower case)."""
    from sumy.utils import get_stop_words

    return frozenset(w.lower() for w in get_stop_words("english"))


@lru_cache(maxsize=1)
def _stemmer() -> Callable[[str], str]:
    from sumy.nlp.stemmers import Stemmer

    stemmer: Callable[[str], str] = Stemmer("english")  # sumy is untyped
    return stemmer


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """sumy's English (Snowball) stem of a lower-case word, cached."""
    return str(_stemmer()(word))


def terms(text: str) -> tuple[str, ...]:
    """Stemmed content words of a text ("U.S." -> "us", "Trump's" -> "trump", hyphens split)."""
    stops = stop_words()
    out: list[str] = []
    for tok in words(text):
        low = tok.lower()
        if low.endswith("'s"):
            low = low[:-2]
        for part in low.split("-"):
            if "." in part:
                part = part.replace(".", "")
                if part:
                    out.append(part)
                continue
            if len(part) < 2 or part in stops:
                continue
            out.append(stem(part))
    return tuple(out)
