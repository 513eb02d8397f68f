"""Story assignment and near-duplicate detection: pure scoring, the store does the lookups.

An article becomes a weighted term vector (stemmed content words, title and lead weighted up) plus
a set of named entities. Candidate stories come from an inverted index over their most distinctive
terms (the store's job); here we score a candidate by cosine similarity of tf-idf vectors, entity
overlap and distance in time. Near-duplicates (the same article in another format) are found with
MinHash over word 5-shingles, banded for LSH lookups, then confirmed with exact shingle Jaccard.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from itertools import accumulate

import numpy as np

from summarizer.models import StoryCandidate as StoryCandidate  # re-exported for callers
from summarizer.nlp import terms
from summarizer.nlp.text import fold, paragraphs, words

#: News words that say nothing about which story an article tells (on top of sumy's stop list).
NEWS_STOP_WORDS = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "tell",
        "according",
        "added",
        "also",
        "would",
        "could",
        "will",
        "one",
        "two",
        "new",
        "year",
        "years",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "week",
        "day",
        "days",
        "time",
        "last",
        "first",
        "mr",
        "mrs",
        "ms",
        "like",
        "just",
        "since",
        "back",
        "still",
        "even",
        "may",
        "might",
        "many",
        "much",
        "well",
        "get",
        "got",
        "make",
        "made",
        "people",
        "percent",
        "including",
        "including",
    ]
)
_ENTITY_RE = re.compile(
    r"\b([A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+|of|de|al|von|van))*(?: [A-Z][a-z]+)?)"
)
_ACRONYM_RE = re.compile(r"\b[A-Z]{2,6}\b")

TITLE_WEIGHT = 3.0
LEAD_PARAGRAPHS = 3
LEAD_WEIGHT = 1.5
VECTOR_TERMS = 150
INDEX_TERMS = 25
QUERY_TERMS = 20
COMMON_SHARE = 0.05
COMMON_MIN_DOCS = 400
SHINGLE = 5
NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
SAME_STORY_THRESHOLD = 0.2
DUPLICATE_JACCARD = 0.6
TIME_SCALE_HOURS = 48.0
STORY_SPAN_HOURS = 96.0


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """sumy's English stop words and the news words above (made on first use)."""
    return terms.stop_words() | NEWS_STOP_WORDS


def stem(word: str) -> str:
    """Stemmed lower-case form of a word (summarizer.nlp.terms' cached stemmer)."""
    return terms.stem(word.lower())


def content_terms(text: str) -> list[str]:
    """Stemmed content words of a text, stop words and numbers dropped."""
    stops = stop_words()
    out = []
    for w in words(text):
        lw = w.lower().replace("’", "'")
        if lw.endswith("'s"):
            lw = lw[:-2]
        if len(lw) < 3 or lw in stops or lw.replace(".", "").isdigit():
            continue
        out.append(terms.stem(lw))
    return out


def term_counts(title: str, text: str) -> dict[str, float]:
    """Weighted term frequencies: title x3, first paragraphs x1.5, the rest x1."""
    counts: dict[str, float] = {}
    for t in content_terms(title):
        counts[t] = counts.get(t, 0.0) + TITLE_WEIGHT
    for i, para in enumerate(paragraphs(text)):
        weight = LEAD_WEIGHT if i < LEAD_PARAGRAPHS else 1.0
        for t in content_terms(para):
            counts[t] = counts.get(t, 0.0) + weight
    return counts


def entities(title: str, text: str) -> frozenset[str]:
    """Capitalised names (people, places, organisations) and acronyms, folded; sentence starts skipped."""
    found: set[str] = set()
    stops = stop_words()
    for chunk in [title, *paragraphs(text)[:8]]:
        for m in _ENTITY_RE.finditer(chunk):
            start = m.start()
            prefix = chunk[max(0, start - 2) : start]
            name = m.group(1)
            sentence_start = start == 0 or prefix.endswith((". ", '" ', "“", "\n"))
            if sentence_start and " " not in name:
                continue  # a lone sentence-initial capital is weak evidence
            key = fold(name)
            if key not in stops and len(key) > 2:
                found.add(key)
        found.update(fold(a) for a in _ACRONYM_RE.findall(chunk))
    return frozenset(found)


def idf(df: int, n_docs: int) -> float:
    """Smoothed inverse document frequency."""
    return math.log((n_docs + 1) / (df + 1)) + 1.0


def weighted_vector(
    counts: Mapping[str, float], dfs: Mapping[str, int], n_docs: int, size: int = VECTOR_TERMS
) -> dict[str, float]:
    """Top ``size`` terms by tf-idf (sublinear tf), L2-normalised."""
    scored = {
        t: (1.0 + math.log(c)) * idf(dfs.get(t, 0), n_docs) for t, c in counts.items() if c > 0
    }
    top = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
    return normalise(dict(top))


def normalise(vec: Mapping[str, float]) -> dict[str, float]:
    """L2-normalised copy (empty stays empty)."""
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {t: v / norm for t, v in vec.items()} if norm else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two normalised sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def query_terms(
    vec: Mapping[str, float],
    n: int = QUERY_TERMS,
    known: Mapping[str, int] | None = None,
    n_docs: int = 0,
) -> list[str]:
    """The most distinctive terms of a vector, used to look up candidate stories.

    With ``known`` (document frequencies), only terms seen in earlier articles qualify (a term no
    story has yet cannot find one), and terms in more than COMMON_SHARE of a large corpus are
    skipped: they do not tell stories apart and their posting lists grow with the corpus.
    """
    limit = COMMON_SHARE * n_docs if n_docs >= COMMON_MIN_DOCS else float("inf")
    items = [(t, w) for t, w in vec.items() if known is None or 0 < known.get(t, 0) <= limit]
    return [t for t, _ in sorted(items, key=lambda kv: (-kv[1], kv[0]))[:n]]


def merge_centroid(
    centroid: Mapping[str, float], vec: Mapping[str, float], size: int = VECTOR_TERMS + 50
) -> dict[str, float]:
    """A story's centroid after adding one article's vector (sum, trimmed, normalised)."""
    total: dict[str, float] = dict(centroid)
    for t, v in vec.items():
        total[t] = total.get(t, 0.0) + v
    top = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
    return normalise(dict(top))


def time_factor(published: datetime | None, cand: StoryCandidate) -> float:
    """How plausible it is, by time alone, that an article belongs to a story.

    1.0 within a day of the story's latest article, decaying over days beyond it; and a story
    that has run for more than a few days decays too, so a chain of daily articles on one topic
    does not snowball into one weeks-long story (a new development opens a new story).
    """
    if published is None or cand.last_published is None or cand.first_published is None:
        return 1.0
    gap_hours = abs((published - cand.last_published).total_seconds()) / 3600.0
    if cand.first_published <= published <= cand.last_published:
        gap_hours = 0.0
    age_hours = max(
        (published - cand.first_published).total_seconds() / 3600.0,
        (cand.last_published - cand.first_published).total_seconds() / 3600.0,
    )
    recent = 1.0 if gap_hours <= 24 else math.exp(-(gap_hours - 24) / TIME_SCALE_HOURS)
    young = (
        1.0
        if age_hours <= STORY_SPAN_HOURS
        else math.exp(-(age_hours - STORY_SPAN_HOURS) / (2 * TIME_SCALE_HOURS))
    )
    return recent * young


def story_score(
    vec: Mapping[str, float], ents: frozenset[str], published: datetime | None, cand: StoryCandidate
) -> float:
    """Similarity of an article to a story: text cosine plus shared named entities, scaled by time."""
    text_sim = cosine(vec, cand.centroid)
    if ents and cand.entities:
        shared = len(ents & cand.entities)
        ent_sim = shared / math.sqrt(len(ents) * len(cand.entities))
    else:
        ent_sim = 0.0
    return (0.75 * text_sim + 0.25 * ent_sim) * time_factor(published, cand)


def choose_story(
    vec: Mapping[str, float],
    ents: frozenset[str],
    published: datetime | None,
    candidates: Iterable[StoryCandidate],
    threshold: float = SAME_STORY_THRESHOLD,
) -> tuple[int | None, float]:
    """The best candidate story at or above the threshold, else (None, best score)."""
    best: tuple[float, int] | None = None
    for cand in candidates:
        s = story_score(vec, ents, published, cand)
        if best is None or s > best[0] or (s == best[0] and cand.story_id < best[1]):
            best = (s, cand.story_id)
    if best is None:
        return None, 0.0
    return (best[1] if best[0] >= threshold else None), best[0]


def representative(
    vectors: Mapping[int, Mapping[str, float]], centroid: Mapping[str, float]
) -> int:
    """The article id whose vector is closest to the story centroid (ties: lowest id)."""
    return min(vectors, key=lambda aid: (-cosine(vectors[aid], centroid), aid))


# --- near duplicates -------------------------------------------------------------------------

_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20250211)
_A = _rng.integers(1, _PRIME - 1, size=NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, _PRIME - 1, size=NUM_PERM, dtype=np.uint64)
_MIX_SHIFT = np.uint64(29)


def shingles(text: str, k: int = SHINGLE) -> set[int]:
    """Hashed word k-shingles of a folded text."""
    # fold() lower-cases, and lower() is idempotent character by character: the tokens are
    # already lower case.
    return word_shingles(words(fold(text)), k)


def word_shingles(toks: Sequence[str], k: int = SHINGLE) -> set[int]:
    """Hashed k-shingles of folded word tokens: the CRC-32 of every k tokens joined by spaces."""
    if len(toks) < k:
        return {zlib.crc32(" ".join(toks).encode())} if toks else set()
    # One encoded text and the byte offset of every token, so each shingle is a slice of it
    # rather than its own join and encode (a third less time; the same bytes, the same hashes).
    joined = " ".join(toks)
    data = joined.encode()
    sizes = map(len, toks) if len(data) == len(joined) else (len(t.encode()) for t in toks)
    starts = [0, *accumulate(n + 1 for n in sizes)]
    crc = zlib.crc32
    return {crc(data[a : b - 1]) for a, b in zip(starts, starts[k:], strict=False)}


def minhash(sh: set[int], perms: int = NUM_PERM) -> np.ndarray:
    """MinHash signature of a shingle set: its first ``perms`` of the NUM_PERM values."""
    if not sh:
        return np.zeros(perms, dtype=np.uint64)
    x = np.fromiter(sh, dtype=np.uint64, count=len(sh))
    # (a*x + b) mod 2^64, then a cheap mix; uint64 overflow is the intended modulus. One row per
    # permutation, updated in place: each minimum is taken along a contiguous row (twice as fast).
    with np.errstate(over="ignore"):
        h = np.multiply.outer(_A[:perms], x)
        h += _B[:perms, None]
        h ^= h >> _MIX_SHIFT
    return np.asarray(h.min(axis=1), dtype=np.uint64)


def lsh_bands(sig: np.ndarray) -> list[str]:
    """Band keys for LSH lookups: two articles sharing a band key are candidate duplicates
    (BANDS keys from a whole signature, fewer from a shorter one: the first bands' keys)."""
    data = np.ascontiguousarray(sig, dtype=np.uint64).tobytes()  # each band's rows, in order
    size = ROWS * 8
    bands = min(BANDS, len(sig) // ROWS)
    return [f"{b}:{zlib.crc32(data[b * size : (b + 1) * size]):08x}" for b in range(bands)]


def jaccard(a: set[int], b: set[int]) -> float:
    """Exact Jaccard similarity of two shingle sets."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def containment(a: set[int], b: set[int]) -> float:
    """Share of the smaller set found in the larger one (a truncated copy is still a copy)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def is_near_duplicate(a: set[int], b: set[int]) -> bool:
    """True when two shingle sets come from the same article text."""
    return jaccard(a, b) >= DUPLICATE_JACCARD or containment(a, b) >= 0.85

