"""Immutable value objects shared by every stage of the pipeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class CleanDoc:
    """What the cleaner makes of one raw input: clean body text plus whatever metadata it carries.

    ``text`` holds the article's own paragraphs, in order, separated by a blank line.
    Unknown metadata stays empty (``""`` / ``None``); nothing is invented.
    """

    title: str
    text: str
    outlet: str = ""
    author: str = ""
    published: datetime | None = None  # UNKNOWN_ZONE (read.dates) when no zone was given
    url: str = ""
    images: tuple[str, ...] = ()
    summary: str = ""
    language: str = ""


@dataclass(frozen=True)
class Article:
    """A stored article."""

    id: int
    title: str
    text: str
    outlet: str = ""
    author: str = ""
    published: datetime | None = None  # UNKNOWN_ZONE (read.dates) when no zone was given
    url: str = ""
    content_hash: str = ""
    ingested_at: datetime | None = None
    story_id: int | None = None
    duplicate_of: int | None = None
    images: tuple[str, ...] = ()
    short: bool = False  # headline-only or teaser: coverage (sources, framings), never briefing text

    @classmethod
    def from_doc(
        cls, article_id: int, doc: CleanDoc, *, content_hash: str = "", short: bool = False
    ) -> Article:
        """The article a cleaned document becomes under ``article_id``."""
        return cls(
            id=article_id,
            title=doc.title,
            text=doc.text,
            outlet=doc.outlet,
            author=doc.author,
            published=doc.published,
            url=doc.url,
            content_hash=content_hash,
            images=doc.images,
            short=short,
        )

    @property
    def paragraphs(self) -> list[str]:
        """The body split into paragraphs."""
        return [p for p in self.text.split("\n\n") if p.strip()]


@dataclass(frozen=True)
class Quote:
    """A direct quote found in one article."""

    text: str
    speaker: str = ""
    role: str = ""
    context: str = ""
    partial: bool = False
    start: int = -1  # character offset of the quote's text in Article.text, -1 if unknown


@dataclass(frozen=True)
class QuoteVariant:
    """One wording of a quote and the articles/outlets that carry that wording."""

    text: str
    article_ids: tuple[int, ...]
    outlets: tuple[str, ...]


@dataclass(frozen=True)
class StoryQuote:
    """A quote merged across the articles of a story."""

    text: str
    speaker: str
    role: str
    article_ids: tuple[int, ...]
    outlets: tuple[str, ...]
    context: str = ""
    variants: tuple[QuoteVariant, ...] = ()


@dataclass(frozen=True)
class BriefSentence:
    """An extractive briefing sentence with every article and outlet that carries its fact."""

    text: str
    article_ids: tuple[int, ...]
    outlets: tuple[str, ...]
    score: float = 0.0
    wording: str = ""  # outlet whose words are shown when the text carries a direct quote


@dataclass(frozen=True)
class Framing:
    """How one outlet framed the story: its headline."""

    outlet: str
    article_id: int
    title: str


@dataclass(frozen=True)
class Briefing:
    """The multi-source briefing of one story."""

    story_id: int
    title: str
    sentences: tuple[BriefSentence, ...]
    framings: tuple[Framing, ...] = ()
    exclusives: tuple[BriefSentence, ...] = ()


@dataclass(frozen=True)
class Story:
    """A group of articles about one event."""

    id: int
    title: str
    article_ids: tuple[int, ...]
    outlets: tuple[str, ...]
    first_published: datetime | None = None
    last_published: datetime | None = None
    updated_at: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    version: int = 0  # bumped on every change; the freshness token of cached views


@dataclass(frozen=True)
class StoryCandidate:
    """What the store knows about a candidate story (for clustering a new article)."""

    story_id: int
    centroid: Mapping[str, float]
    entities: frozenset[str]
    last_published: datetime | None
    first_published: datetime | None


@dataclass(frozen=True)
class ArticleRef:
    """A stored article by id, with what an ingest report shows of it."""

    id: int
    title: str
    outlet: str
    story_id: int | None


@dataclass(frozen=True)
class DuplicateContext:
    """What the store holds that a new article might duplicate: the same URL, the same text,
    and articles sharing a near-duplicate band key (with what confirms them)."""

    by_url: ArticleRef | None = None
    by_hash: ArticleRef | None = None
    similar: tuple[NearCandidate, ...] = ()


@dataclass(frozen=True)
class NearCandidate:
    """A stored original sharing a band key with a new article: its stored shingle fingerprint
    (``stories.duplicates.fingerprint``), or its text where none was stored."""

    ref: ArticleRef
    fingerprint: bytes = b""
    text: str = ""
