"""A framework-free reply: paragraphs of styled spans plus inline buttons.

The command layer (bot.chat) and the digests (bot.digest) build these; ``bot.chat.render`` turns
them into Telegram HTML or plain text. It lives outside both so that neither depends on the other
for it (``bot.chat.reply`` re-exports it).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A run of text with one style. ``url`` makes it a link."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    url: str = ""


Line = tuple[Span, ...]


@dataclass(frozen=True)
class Button:
    """An inline button: its label and the callback data it sends back (or a URL it opens)."""

    text: str
    data: str
    url: str = ""


@dataclass(frozen=True)
class Attachment:
    """A file sent with a reply (a chart PNG, an OPML export)."""

    name: str
    content: bytes = field(repr=False)


@dataclass(frozen=True)
class Reply:
    """A reply: paragraphs (each a tuple of lines), buttons in rows, and machine-readable data."""

    paragraphs: tuple[tuple[Line, ...], ...] = ()
    buttons: tuple[tuple[Button, ...], ...] = ()
    data: dict[str, object] = field(default_factory=dict, compare=False)
    file: Attachment | None = field(default=None, compare=False)

    @property
    def plain(self) -> str:
        """The reply as plain text (no markup)."""
        return self.plain_text()

    def plain_text(self, *, links: bool = False) -> str:
        """The one plain-text rendering; ``links`` shows each link's URL after its text."""
        return "\n\n".join(
            "\n".join("".join(_plain_span(s, links) for s in line) for line in p)
            for p in self.paragraphs
        )


def _plain_span(s: Span, links: bool) -> str:
    """A span's text, with ``<url>`` after it when links are shown and differ from the text."""
    return f"{s.text} <{s.url}>" if links and s.url and s.url != s.text else s.text


def text(value: str) -> Span:
    """Plain span."""
    return Span(value)


def bold(value: str) -> Span:
    """Bold span."""
    return Span(value, bold=True)


def italic(value: str) -> Span:
    """Italic span."""
    return Span(value, italic=True)


def link(value: str, url: str) -> Span:
    """Linked span (plain text when the URL is empty)."""
    return Span(value, url=url)


def line(*spans: Span | str) -> Line:
    """A line from spans (strings become plain spans)."""
    return tuple(s if isinstance(s, Span) else Span(s) for s in spans)


def para(*lines: Line) -> tuple[Line, ...]:
    """A paragraph from lines."""
    return tuple(lines)


def simple(message: str, *more: str) -> Reply:
    """A reply of plain paragraphs."""
    return Reply(paragraphs=tuple(para(line(m)) for m in (message, *more)))
