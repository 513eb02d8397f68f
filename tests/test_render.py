"""Telegram HTML rendering: escaping, links, splitting at 4096 without breaking tags."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from bot.chat.render import TELEGRAM_LIMIT, to_html, to_plain
from bot.chat.reply import Button, Reply, Span, bold, italic, line, link, para, text


class _TagChecker(HTMLParser):
    """Fails on unbalanced tags; collects the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in {"b", "i", "a", "code"}, tag
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check(html: str) -> str:
    parser = _TagChecker()
    parser.feed(html)
    parser.close()
    assert parser.stack == []
    return "".join(parser.text)


def test_article_text_is_escaped() -> None:
    reply = Reply(
        paragraphs=(para(line(bold("Rates & bonds: <what> changes"), text(" a<b>c</b>"))),)
    )
    [html] = to_html(reply)
    assert "&amp;" in html and "&lt;what&gt;" in html and "<b>c</b>" not in html
    assert check(html) == "Rates & bonds: <what> changes a<b>c</b>"


def test_links_are_escaped_and_only_http() -> None:
    reply = Reply(
        paragraphs=(
            para(line(link("x", 'https://e.test/a?b=1&c="2"'), link("y", "javascript:alert(1)"))),
        )
    )
    [html] = to_html(reply)
    assert '<a href="https://e.test/a?b=1&amp;c=&quot;2&quot;">x</a>' in html
    assert "javascript" not in html


def test_long_reply_splits_on_paragraph_boundaries() -> None:
    paras = tuple(para(line(bold(f"Heading {i}")), line(text("word " * 150))) for i in range(40))
    chunks = to_html(Reply(paragraphs=paras))
    assert len(chunks) > 1
    for c in chunks:
        assert len(c) <= TELEGRAM_LIMIT
        check(c)
        assert c.startswith("<b>Heading")  # every chunk starts at a paragraph
    joined = "".join(check(c) for c in chunks)
    assert joined.count("Heading") == 40


def test_one_huge_paragraph_splits_inside_but_keeps_tags_whole() -> None:
    huge = Span("é<&> " * 3000, italic=True)
    chunks = to_html(Reply(paragraphs=(para(line(huge)),)))
    assert len(chunks) >= 3
    total = ""
    for c in chunks:
        assert len(c) <= TELEGRAM_LIMIT
        assert c.startswith("<i>") and c.endswith("</i>")
        total += check(c)
    assert total == huge.text


def test_plain_rendering_shows_links_and_buttons() -> None:
    reply = Reply(
        paragraphs=(
            para(line(text("Read "), link("this", "https://e.test/x")), line(italic("by me"))),
        ),
        buttons=((Button("Quotes", "/quotes 3"),),),
    )
    out = to_plain(reply)
    assert "Read this <https://e.test/x>" in out
    assert "[Quotes: /quotes 3]" in out
    assert not re.search(r"</?[bi]>", out)


def test_empty_reply_still_renders_something() -> None:
    assert to_html(Reply()) == ["…"]
