"""The reply model, re-exported from ``bot.reply`` (it lives there so digests need not import chat)."""

from __future__ import annotations

from bot.reply import Button, Line, Reply, Span, bold, italic, line, link, para, simple, text

__all__ = ["Button", "Line", "Reply", "Span", "bold", "italic", "line", "link", "para", "simple", "text"]
