"""Pure readers on hostile documents: impossible dates, YAML alias bombs, deep and huge JSON."""

from __future__ import annotations

import json
import time

import pytest

from summarizer.clean.cleaner import clean_document
from summarizer.errors import InputError
from summarizer.read.feeds import parse_feed
from summarizer.read.html import _json_ld
from summarizer.read.meta import split_front_matter

BODY = "\n\n".join(
    f"Paragraph {i}: the harbour board of Vellmar approved a new tide gauge on Tuesday, "
    "and the mayor said the ferry timetable would change in the spring."
    for i in range(5)
)


def test_impossible_front_matter_date_is_dropped_not_raised() -> None:
    text = "---\ntitle: Leap day that is not\ndate: 2024-02-30\ntags: [a, b]\n---\n\n" + BODY
    meta, rest = split_front_matter(text)
    assert meta["title"] == "Leap day that is not"
    assert rest.strip().startswith("Paragraph 0")
    doc = clean_document(text, "md", name="leap.md")
    assert doc.title == "Leap day that is not" and doc.published is None


def test_yaml_alias_bomb_is_not_expanded() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    lines += ["title: *i", "author: *i", "tags: *i", "outlet: Vellmar Post"]
    text = "---\n" + "\n".join(lines) + "\n---\n\n" + BODY
    meta, _ = split_front_matter(text)
    assert meta.get("outlet") == "Vellmar Post"
    assert "title" not in meta and "author" not in meta  # aliases are never followed
    doc = clean_document(text, "md", name="bomb.md")
    assert "*i" not in doc.title and doc.text.startswith("Paragraph 0")


def test_deeply_nested_front_matter_is_not_a_crash() -> None:
    text = "---\ntitle: Deep\nx: " + "[" * 50_000 + "]" * 50_000 + "\n---\n\n" + BODY
    meta, rest = split_front_matter(text)
    assert meta["title"] == "Deep" and rest.strip().startswith("Paragraph 0")


def ld_page(block: str) -> str:
    return f'<html><head><script type="application/ld+json">{block}</script></head></html>'


def test_json_ld_nested_100000_deep_is_skipped() -> None:
    assert _json_ld(ld_page("[" * 100_000 + "]" * 100_000)) == {}
    assert _json_ld(ld_page('{"a":' * 100_000 + "1" + "}" * 100_000)) == {}


def test_json_ld_list_of_a_million_items_is_linear() -> None:
    article = {"@type": "NewsArticle", "headline": "Gauge approved"}
    items = [{"@type": "Thing", "name": "x"}] * 1_000_000
    start = time.monotonic()
    assert _json_ld(ld_page(json.dumps(items))) == {}
    assert _json_ld(ld_page(json.dumps([*items[:500], article]))) == article
    assert _json_ld(ld_page(json.dumps({"@graph": [*items[:500], article]}))) == article
    # list.pop(0) made this quadratic: minutes; the bounded queue takes a few seconds at most.
    assert time.monotonic() - start < 60


def test_json_feed_nested_100000_deep_is_an_input_error() -> None:
    deep = '{"version": "https://jsonfeed.org/version/1.1", "items": ' + "[" * 100_000
    deep += "]" * 100_000 + "}"
    with pytest.raises(InputError, match="nested too deeply"):
        parse_feed(deep.encode(), "https://example.org/feed.json")


def test_a_page_of_one_huge_block_is_scored_in_linear_time() -> None:
    """An extracted page often is one block; per-line block sums made 24,000 lines take minutes."""
    from summarizer.clean.features import line_features
    from summarizer.clean.lines import Line
    from summarizer.clean.model import context_features

    n = 12_000
    lines = [
        Line(text=f"Line {i} of the harbour board report on the tide gauge.") for i in range(n)
    ]
    start = time.process_time()
    rows = line_features(lines)
    extra = context_features([0.5] * n, [0] * n)
    assert len(rows) == len(extra) == n
    # quadratic: 12,000 x 12,000 steps per line and block figure (a minute); linear: a second
    assert time.process_time() - start < 10
