"""Metadata helpers: dates, bylines, datelines, copyright, front matter, outlet reconciliation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from summarizer.read.dates import UNKNOWN_ZONE, date_iso, zone_known
from summarizer.read.meta import (
    is_person_name,
    parse_byline,
    parse_copyright,
    parse_date,
    parse_dateline,
    parse_datelines,
    split_front_matter,
)
from summarizer.read.outlets import OutletEvidence, domain_label, host_of, name_key

EST = timezone(timedelta(hours=-5))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-02-11 05:01:11", datetime(2025, 2, 11, 5, 1, 11, tzinfo=UTC)),
        ("2025-02-11T05:01:11Z", datetime(2025, 2, 11, 5, 1, 11, tzinfo=UTC)),
        ("2025-02-11T07:01:11+02:00", datetime(2025, 2, 11, 5, 1, 11, tzinfo=UTC)),
        ("2025-02-11", datetime(2025, 2, 11, tzinfo=UTC)),
        ("09:33, February 11, 2025", datetime(2025, 2, 11, 9, 33, tzinfo=UTC)),
        ("3:05 PM EST, Mon February 10, 2025", datetime(2025, 2, 10, 15, 5, tzinfo=EST)),
        ("Feb. 10, 2025, 3:05 p.m. ET", datetime(2025, 2, 10, 20, 5, tzinfo=UTC)),
        ("Tue, 11 Feb 2025 05:01:11 +0000", datetime(2025, 2, 11, 5, 1, 11, tzinfo=UTC)),
        ("Mon 10 Feb 2025 14.05 GMT", datetime(2025, 2, 10, 14, 5, tzinfo=UTC)),
        ("10 February 2025", datetime(2025, 2, 10, tzinfo=UTC)),
    ],
)
def test_parse_date(text: str, expected: datetime) -> None:
    got = parse_date(text)
    assert got == expected
    assert got is not None and got.tzinfo is not None


@pytest.mark.parametrize(
    ("text", "known"),
    [
        ("2025-02-11 05:01:11", False),
        ("2025-02-11", False),
        ("09:33, February 11, 2025", False),
        ("10 February 2025", False),
        ("2025-02-11T05:01:11Z", True),
        ("2025-02-11T07:01:11+02:00", True),
        ("3:05 PM EST, Mon February 10, 2025", True),
        ("Mon 10 Feb 2025 14.05 GMT", True),
    ],
)
def test_parse_date_says_whether_the_zone_was_stated(text: str, known: bool) -> None:
    got = parse_date(text)
    assert got is not None and zone_known(got) is known
    assert (got.tzinfo is UNKNOWN_ZONE) is not known
    assert (date_iso(got) or "").endswith(("+00:00", "+02:00", "-05:00")) is known


@pytest.mark.parametrize("text", ["", "yesterday", "February 30, 2025", "no date here", "12:30"])
def test_parse_date_unknown_is_none(text: str) -> None:
    assert parse_date(text) is None


def test_parse_dateline() -> None:
    assert parse_dateline("Published: 09:33, February 11, 2025") == (
        "published",
        datetime(2025, 2, 11, 9, 33, tzinfo=UTC),
    )
    kind, when = parse_dateline("Updated 3:05 PM EST, Mon February 10, 2025") or ("", None)
    assert kind == "updated" and when == datetime(2025, 2, 10, 20, 5, tzinfo=UTC)
    assert (
        parse_dateline("The vote was published on February 11, 2025, after a long delay.") is None
    )


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Jane Doe", ["Jane Doe"]),
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("By Jane Doe, John Roe and Ana de Souza", ["Jane Doe", "John Roe", "Ana de Souza"]),
        ("By COASTWIRE", ["COASTWIRE"]),
        ("By Jane Doe, Senior Correspondent", ["Jane Doe"]),
        ("By Jane Doe | Updated February 10, 2025", ["Jane Doe"]),
        ("by the way, the vote failed", None),
        ("Byron Katz said so", None),
    ],
)
def test_parse_byline(line: str, names: list[str] | None) -> None:
    assert parse_byline(line) == names


def test_person_or_organisation() -> None:
    assert is_person_name("Jane Doe")
    assert not is_person_name("Coastwire")
    assert not is_person_name("AP")


@pytest.mark.parametrize(
    ("line", "holder"),
    [
        ("© 2025 Some Media, LLC", "Some Media, LLC"),
        ("Copyright 2024 The Harbor Ledger. All rights reserved.", "The Harbor Ledger"),
        ("(c) 2020-2025 Foo Corp", "Foo Corp"),
        ("© 2025", ""),
        ("The company said it owns the copyright", None),
    ],
)
def test_parse_copyright(line: str, holder: str | None) -> None:
    assert parse_copyright(line) == holder


def test_front_matter_simple_and_yaml() -> None:
    fm, rest = split_front_matter('---\ntitle: "A: B"\ntags:\n  - "x"\n  - y\n---\nBody\n')
    assert fm == {"title": "A: B", "tags": ["x", "y"]} and rest == "Body\n"
    fm, rest = split_front_matter("---\ntitle: T\nauthor: {name: Jane Doe}\n---\nBody")
    assert fm["author"] == {"name": "Jane Doe"} and rest == "Body"
    fm, rest = split_front_matter("No front matter\n---\n")
    assert fm == {} and rest.startswith("No front")


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("https://www.examplepost.com/a/b", "examplepost"),
        ("https://news.examplepost.co.uk/a", "examplepost"),
        ("http://i0.wp.com/static.examplepost.co.uk/2025/a.jpeg?ssl=1", "examplepost"),
        ("https://d1234.cloudfront.net/a.jpg", ""),
        ("not a url", ""),
    ],
)
def test_domain_label(url: str, label: str) -> None:
    assert domain_label(url) == label


def test_host_of_looks_through_image_proxies() -> None:
    assert host_of("http://i0.wp.com/static.example.org/x.jpg") == "static.example.org"
    assert host_of("https://example.org/images/a.jpg") == "example.org"


def test_name_key() -> None:
    assert name_key("The Example Post") == "examplepost"
    assert name_key("Example-Post") == "examplepost"


def test_label_matches_text_phrase() -> None:
    ev = OutletEvidence()
    ev.add_url("https://www.theexamplepost.com/x", 6)
    assert ev.resolve("Story text. The Example Post has more.") == "The Example Post"


def test_copyright_holder_reconciled_with_frequent_phrase() -> None:
    text = "Officials told Foo News on Monday. Later, Foo News learned more. Foo Bar said."
    ev = OutletEvidence()
    ev.add_holder("FooUniversal Media, LLC", 3)
    assert ev.resolve(text) == "Foo News"


def test_bio_outlet_shortened_to_frequent_form() -> None:
    text = "He told Foo News. Foo News asked. Jane is a reporter for Foo News Digital."
    ev = OutletEvidence()
    ev.add_name("Foo News Digital", 4)
    ev.add_holder("FooUniversal Media, LLC", 3)
    assert ev.resolve(text) == "Foo News"


def test_explicit_outlet_wins() -> None:
    ev = OutletEvidence()
    ev.explicit = "The Harbor Ledger"
    ev.add_url("https://other.example.net/x", 6)
    assert ev.resolve("anything") == "The Harbor Ledger"


def test_nothing_known_is_empty() -> None:
    assert OutletEvidence().resolve("Some text about Foo News.") == ""


def test_label_fallback_keeps_a_leading_the() -> None:
    ev = OutletEvidence()
    ev.add_url("https://www.thequietharbour.com/a", 6)
    assert ev.resolve("No mention of the site here.") == "The Quietharbour"


def test_published_and_updated_pair_on_one_line() -> None:
    et = ZoneInfo("America/New_York")
    pub = datetime(2026, 4, 14, 16, 30, tzinfo=et)
    upd = datetime(2026, 4, 15, 8, 5, tzinfo=et)
    line = "Published April 14, 2026 at 4:30 p.m. ET | Updated April 15, 2026 at 8:05 a.m. ET"
    assert parse_datelines(line) == [("published", pub), ("updated", upd)]
    assert parse_dateline(line) == ("published", pub)
    flipped = "Updated April 15, 2026 at 8:05 a.m. ET | Published April 14, 2026 at 4:30 p.m. ET"
    assert parse_dateline(flipped) == ("published", pub)
    assert parse_dateline("Published April 14, 2026 at 4:30 p.m. ET") == ("published", pub)
    # A stamp followed by something else on the line is still a stamp.
    assert parse_dateline("Published: 09:33, February 11, 2025 | 3 min read") == (
        "published",
        datetime(2025, 2, 11, 9, 33, tzinfo=UTC),
    )
    assert parse_datelines("The council met on April 14, 2026 | Agenda and minutes") == []


def test_leading_the_form_preferred_when_both_are_named() -> None:
    text = "Jo Lee and Al Roe are reporters for The Quiet Harbour. (c) Quiet Harbour Media Group"
    ev = OutletEvidence()
    ev.add_holder("Quiet Harbour Media Group", 3)
    ev.add_name("The Quiet Harbour", 3)
    assert ev.resolve(text) == "The Quiet Harbour"


def test_unterminated_front_matter_ends_at_the_first_non_key_line() -> None:
    from summarizer.read.meta import split_front_matter

    data, rest = split_front_matter("---\ntitle: Kiln fire\nauthor: Mira Kale\n\nThe works closed.\n")
    assert data == {"title": "Kiln fire", "author": "Mira Kale"}
    assert rest.strip() == "The works closed."


def test_invalid_yaml_front_matter_keeps_its_readable_keys() -> None:
    from summarizer.read.meta import split_front_matter

    data, rest = split_front_matter("---\ntitle: Kiln fire\ntags: [a, b\n---\nBody text here.\n")
    assert data["title"] == "Kiln fire" and rest.strip() == "Body text here."


def test_phrase_matches_found_only_where_their_start_is_are_finditer_s() -> None:
    import re

    from summarizer.read.outlets import _matches_from

    pattern = re.compile(r"\b(?i:fen)[\w&]*(?:\s+[A-Z][\w&]*){1,3}\b")
    for text in (
        "The Fenwick Courier said. FENWICK Courier Weekly and fenwick courier; Fenfenwick Post",
        "xfen Fen Fen Fen Hall, Fenwick  Courier\nFenwick\tCourier Group & Co",
        "Long \u017f and Fenwick Courier",  # a case look-alike: the plain scan
        "",
    ):
        expected = [(m.span(), m.group(0)) for m in pattern.finditer(text)]
        assert [(m.span(), m.group(0)) for m in _matches_from(pattern, "fen", text)] == expected
