"""Reply -> Telegram HTML (every piece of text escaped) split at 4096 chars, or plain text."""

from __future__ import annotations

import html

from bot.chat.reply import Line, Reply, Span

TELEGRAM_LIMIT = 4096


def span_html(span: Span) -> str:
    """One span as Telegram HTML; text and URLs are escaped."""
    out = html.escape(span.text, quote=False)
    if span.code:
        out = f"<code>{out}</code>"
    if span.italic:
        out = f"<i>{out}</i>"
    if span.bold:
        out = f"<b>{out}</b>"
    if span.url and span.url.startswith(("http://", "https://")):
        out = f'<a href="{html.escape(span.url, quote=True)}">{out}</a>'
    return out


def line_html(line: Line) -> str:
    """A line of spans as HTML."""
    return "".join(span_html(s) for s in line)


def _split_span(span: Span, budget: int) -> list[Span]:
    """Cut a span's text into pieces whose HTML fits the budget, at spaces when possible."""
    pieces: list[Span] = []
    rest = span.text
    while rest:
        lo, hi = 1, len(rest)
        while lo < hi:  # the longest prefix whose rendering fits
            mid = (lo + hi + 1) // 2
            if (
                len(span_html(Span(rest[:mid], span.bold, span.italic, span.code, span.url)))
                <= budget
            ):
                lo = mid
            else:
                hi = mid - 1
        cut = lo
        if cut < len(rest):
            space = rest.rfind(" ", 0, cut)
            if space > cut // 2:
                cut = space + 1
        pieces.append(Span(rest[:cut], span.bold, span.italic, span.code, span.url))
        rest = rest[cut:]
    return pieces


def _units(reply: Reply, limit: int) -> list[tuple[str, str]]:
    """(html, separator-before) units: paragraphs, or lines / span pieces when a paragraph is too long."""
    units: list[tuple[str, str]] = []
    for p in reply.paragraphs:
        whole = "\n".join(line_html(ln) for ln in p)
        if len(whole) <= limit:
            units.append((whole, "\n\n"))
            continue
        first = True
        for ln in p:
            sep = "\n\n" if first else "\n"
            first = False
            rendered = line_html(ln)
            if len(rendered) <= limit:
                units.append((rendered, sep))
                continue
            for span in ln:
                for piece in _split_span(span, limit):
                    units.append((span_html(piece), sep))
                    sep = ""
    return units


def to_html(reply: Reply, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """HTML messages of at most ``limit`` characters, split on paragraph boundaries.

    Tags never straddle a split: each unit (paragraph, line or span piece) is closed on its own.
    """
    messages: list[str] = []
    current = ""
    for unit, sep in _units(reply, limit):
        if not current:
            current = unit
        elif len(current) + len(sep) + len(unit) <= limit:
            current += sep + unit
        else:
            messages.append(current)
            current = unit
    if current or not messages:
        messages.append(current or "…")
    return messages


def to_plain(reply: Reply) -> str:
    """Plain text for the console: links shown after their text, buttons listed at the end."""
    text = reply.plain_text(links=True)
    if reply.buttons:
        labels = "  ".join(f"[{b.text}: {b.url or b.data}]" for row in reply.buttons for b in row)
        text += "\n\n" + labels
    return text
