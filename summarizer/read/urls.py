"""Pure URL normalisation, so that one article has one URL however a feed or a user links to it.

Rules (``normalize_url``):

* surrounding whitespace is stripped; only ``http`` and ``https`` URLs with a host are accepted,
  anything else raises ``ValueError``;
* scheme and host are lower-cased, a trailing dot on the host is dropped, the default port
  (80 for http, 443 for https) is dropped; user info and other ports are kept;
* the fragment is dropped;
* tracking parameters are dropped: every key starting with ``utm_`` and the keys in
  ``TRACKING_PARAMS`` (compared case-insensitively, so ``CMP`` and ``cmp`` both go);
  the remaining parameters are sorted by key (then by their text) and each keeps its own
  spelling (``?a`` stays ``?a``, ``?a=`` stays ``?a=``); empty pieces (``&&``) go;
* path and query are percent-encoded consistently (spaces and non-ASCII become UTF-8 escapes,
  existing escapes are kept), an empty path becomes ``/`` and a trailing ``/`` is removed
  except for the root.

Deliberately *not* done, because each can merge two different pages:

* ``www.`` is kept: ``www.example.org`` and ``example.org`` may serve different sites;
* AMP variants (``/amp/``, ``.amp``, ``?amp=1``, ``amp.example.org``) are kept as they are;
  the same story reached through AMP is caught later by near-duplicate detection;
* ``http`` and ``https`` stay distinct, and the path's case is kept.
"""

from __future__ import annotations

from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

__all__ = ["TRACKING_PARAMS", "TRACKING_PREFIXES", "is_tracking_param", "normalize_url"]

#: Query keys (lower case) that only track the click and never select content.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        # ad-click identifiers
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "igshid",
        "igsh",
        # newsletters and marketing automation
        "mc_cid",
        "mc_eid",
        "mkt_tok",
        "vero_id",
        "vero_conv",
        "_hsenc",
        "_hsmi",
        "oly_anon_id",
        "oly_enc_id",
        "rb_clickid",
        "s_cid",
        "s_kwcid",
        # analytics
        "_ga",
        "_gl",
        "pk_campaign",
        "pk_kwd",
        "pk_source",
        "pk_medium",
        "mtm_campaign",
        "mtm_source",
        "mtm_medium",
        "at_medium",
        "at_campaign",
        "xtor",
        "spm",
        "__twitter_impression",
        # publishers' own referral / campaign tags
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "cmpid",
        "cmp",
        "ocid",
        "ncid",
        "icid",
        "smid",
        "smtyp",
        "sr_share",
        "soc_src",
        "soc_trk",
        "taid",
        "ito",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
    }
)

#: Query-key prefixes (lower case) that only track the click.
TRACKING_PREFIXES: tuple[str, ...] = ("utm_",)

_DEFAULT_PORTS = {"http": 80, "https": 443}
# RFC 3986 pchar plus "/" and "%" (so existing escapes survive).
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
# The same for one query parameter; "?" is allowed there too.
_QUERY_SAFE = _PATH_SAFE + "?"


def is_tracking_param(key: str) -> bool:
    """True when the query key ``key`` is a known tracking parameter."""
    low = key.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def normalize_url(url: str) -> str:
    """Return the canonical form of an http(s) URL; raise ``ValueError`` for anything else."""
    raw = url.strip()
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"not a valid URL: {raw!r} ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError(f"not an http(s) URL: {raw!r}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise ValueError(f"URL has no host: {raw!r}")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{host}:{port}"
    if parts.username is not None:
        userinfo = parts.username
        if parts.password is not None:
            userinfo += f":{parts.password}"
        netloc = f"{userinfo}@{netloc}"

    path = quote(parts.path, safe=_PATH_SAFE) or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"

    return urlunsplit((scheme, netloc, path, _clean_query(parts.query), ""))


def _clean_query(query: str) -> str:
    """Drop tracking and empty parameters, sort the rest; each kept pair keeps its own spelling."""
    kept: list[tuple[str, str]] = []
    for piece in query.split("&"):
        if not piece:
            continue
        key = unquote_plus(piece.partition("=")[0])
        if is_tracking_param(key):
            continue
        kept.append((key, quote(piece, safe=_QUERY_SAFE)))
    kept.sort()
    return "&".join(piece for _, piece in kept)
