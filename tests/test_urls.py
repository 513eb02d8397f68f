"""URL normalisation rules, as a table."""

from __future__ import annotations

import pytest

from summarizer.read.urls import is_tracking_param, normalize_url

CASES = [
    # scheme and host lower-cased, default port dropped, empty path -> "/"
    ("HTTP://Example.ORG", "http://example.org/"),
    ("https://example.org:443/a", "https://example.org/a"),
    ("http://example.org:80/a", "http://example.org/a"),
    ("https://example.org:8443/a", "https://example.org:8443/a"),
    ("http://example.org:443/a", "http://example.org:443/a"),
    ("https://example.org./a", "https://example.org/a"),
    # fragment dropped, trailing slash dropped except for the root
    ("https://example.org/news/story-1/#comments", "https://example.org/news/story-1"),
    ("https://example.org/", "https://example.org/"),
    ("https://example.org/#top", "https://example.org/"),
    ("https://example.org/a//", "https://example.org/a"),
    # tracking parameters dropped, the rest sorted
    (
        "https://example.org/s?utm_source=rss&utm_medium=feed&id=7&UTM_Campaign=x",
        "https://example.org/s?id=7",
    ),
    ("https://example.org/s?b=2&a=1&fbclid=abc&gclid=def", "https://example.org/s?a=1&b=2"),
    ("https://example.org/s?mc_cid=1&mc_eid=2&igshid=3&page=2", "https://example.org/s?page=2"),
    ("https://example.org/s?ref=home&ref_src=twsrc&cmpid=rss", "https://example.org/s"),
    ("https://example.org/s?CMP=share_btn_tw&ocid=msn&smid=tw-share", "https://example.org/s"),
    ("https://example.org/s?q=a&q=b&a=z", "https://example.org/s?a=z&q=a&q=b"),
    ("https://example.org/s?flag&x=1&&", "https://example.org/s?flag&x=1"),
    ("https://example.org/s?utm_source=only", "https://example.org/s"),
    # consistent percent-encoding; existing escapes and case of the path are kept
    ("https://example.org/a b/é", "https://example.org/a%20b/%C3%A9"),
    ("https://example.org/a%20b/%C3%A9", "https://example.org/a%20b/%C3%A9"),
    ("https://example.org/News/Story", "https://example.org/News/Story"),
    ("https://example.org/s?q=a b", "https://example.org/s?q=a%20b"),
    # kept on purpose: www, amp variants, scheme, user info
    ("https://www.example.org/a", "https://www.example.org/a"),
    ("https://example.org/a/amp/", "https://example.org/a/amp"),
    ("https://example.org/a?amp=1", "https://example.org/a?amp=1"),
    ("http://example.org/a", "http://example.org/a"),
    ("https://user:pw@Example.org/a", "https://user:pw@example.org/a"),
    # surrounding whitespace, IPv6 literal
    ("  https://example.org/a \n", "https://example.org/a"),
    ("http://[::1]:80/feed", "http://[::1]/feed"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_normalize_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_normalize_url_is_idempotent(raw: str, expected: str) -> None:
    assert normalize_url(normalize_url(raw)) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "ftp://example.org/file",
        "mailto:desk@example.org",
        "javascript:alert(1)",
        "/relative/path",
        "example.org/no-scheme",
        "https://",
        "http://example.org:notaport/",
        "",
    ],
)
def test_normalize_url_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        normalize_url(bad)


def test_tracking_param_keys() -> None:
    assert is_tracking_param("utm_content")
    assert is_tracking_param("Utm_Term")
    assert is_tracking_param("CMP")
    assert not is_tracking_param("id")
    assert not is_tracking_param("page")
    assert not is_tracking_param("utm")  # only the utm_ prefix


def test_the_shown_url_accepts_any_scheme_case_and_keeps_the_path() -> None:
    """The cleaner's link form: never empty for a valid http(s) URL, path kept as given."""
    from summarizer.clean.metadata import canonical_url

    assert canonical_url("HTTP://Example.COM") == "http://example.com/"
    assert canonical_url("Https://News.Example.org/A/Story/?utm_source=x&id=3#top") == (
        "https://news.example.org/A/Story/?id=3"
    )
    assert canonical_url("ftp://example.com/file") == ""
