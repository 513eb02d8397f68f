"""Line-level tests for page clutter, by shape: every rule is general (no outlet's own strings).

Each predicate takes one line of text (markdown already reduced to plain text) and answers
whether it has the shape of one kind of clutter. The basic measures live in
:mod:`summarizer.clean.shape` and the appeal rules in :mod:`summarizer.clean.appeals` (both
re-exported here); the context rules (pairs, runs, blocks) in :mod:`summarizer.clean.rules`.
"""

from __future__ import annotations

import re

from summarizer.clean.appeals import is_appeal, is_fundraising, is_personal_voice, is_we_voice
from summarizer.clean.shape import (
    QUOTE_CHARS,
    caps_ratio,
    ends_like_sentence,
    is_title_case,
    word_count,
)

__all__ = [
    "caps_ratio",
    "credit_tail",
    "ends_like_sentence",
    "is_appeal",
    "is_bio",
    "is_credit_line",
    "is_cross_link",
    "is_fundraising",
    "is_nav_word",
    "is_personal_voice",
    "is_promo",
    "is_reading_time",
    "is_related_header",
    "is_related_item",
    "is_share_widget",
    "is_title_case",
    "is_we_voice",
    "word_count",
]
_RELATED_ITEM_RE = re.compile(
    r"(?:\s[-–—|·•]\s*|[a-z.…)\]])\s*\d{1,3}\s?(?:s|m|min|mins|h|hr|hrs|d|w|wk|mo|y)\s*(?:[-–—|·•]\s*)?$"
    r"|\b\d{1,3}\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago\s*[-–—|·•]?\s*$",
    re.I,
)


_DIGIT_RE = re.compile(r"\d")


def is_related_item(line: str) -> bool:
    """A teaser ending with an age stamp: ``...Some Outlet - 4h -`` or ``... 3 hours ago``."""
    tail = line[-48:]
    return bool(_DIGIT_RE.search(tail, len(tail) - 24 if len(tail) > 24 else 0)) and bool(
        _RELATED_ITEM_RE.search(tail)
    )


_RELATED_HEADER_RE = re.compile(
    r"^(?:more\s+(?:from|in|on|about|stories|news|coverage|to\s+(?:read|explore))\b.{0,40}"
    r"|(?:related|recommended|suggested|popular|trending|latest|top|editor'?s?['’]?\s+picks?"
    r"|must\s+read|most\s+(?:read|viewed|popular|shared))(?:\s+(?:stories|articles|news|content|"
    r"posts|links|reading|coverage|now|videos?|topics?|on\s+\S+))*"
    r"|you\s+(?:may|might)\s+(?:also\s+)?(?:like|be\s+interested\s+in|have\s+missed)"
    r"|(?:read|see|watch)\s+(?:also|next|more)|what\s+to\s+read\s+next|in\s+case\s+you\s+missed\s+it"
    r"|around\s+the\s+web|from\s+around\s+the\s+web|sponsored(?:\s+(?:stories|content|links))?"
    r"|(?:other|further|more)\s+(?:stories|reading|articles))\s*:?\s*$",
    re.I,
)


def is_related_header(line: str) -> bool:
    """A heading that opens a list of other stories: ``More from X``, ``More in Politics``..."""
    return (
        word_count(line) <= 8
        and not ends_like_sentence(line)
        and bool(_RELATED_HEADER_RE.match(line))
    )


_CROSS_LABEL_RE = re.compile(
    r"^(?:(?:also|read|see|watch|listen|related|recommended|more|further|previously|explainer|"
    r"opinion|analysis|live|video|photos|gallery|podcast|click|must|don'?t\s+miss|trending)"
    r"(?:\s+(?:also|more|next|here|now|read|this|too|to))?|[A-Z][A-Z'’&]+(?:\s+[A-Z][A-Z'’&]+){0,2})"
    r"\s*[:|>»]\s*\S"
)
_UPPER_LABEL_RE = re.compile(r"^([A-Z][A-Z'’&]+(?:\s+[A-Z][A-Z'’&]+){0,2})\s*[:|>»]")


def is_cross_link(line: str) -> bool:
    """``RELATED: Some headline`` / ``Read more: ...``: a label, a colon and a headline."""
    if not _CROSS_LABEL_RE.match(line):
        return False
    upper = _UPPER_LABEL_RE.match(line)
    rest = line.split(":", 1)[-1] if ":" in line else line
    if upper and not re.match(r"(?i)(also|read|see|watch|related|more|listen)", line):
        # An upper-case label is only a cross-link when a headline (no full stop) follows:
        # "UPDATE: The ministry later said..." is article text.
        return not ends_like_sentence(rest) and word_count(rest) <= 20
    return word_count(rest) <= 30


_PROMO_RE = re.compile(
    r"^(?:get|watch|listen|download|follow|stream|catch|tune\s+in|try|read|see|sign\s+up|"
    r"click|tap|join|subscribe|install|add|turn\s+on|enable|play)\b"
    r".{0,100}\b(?:live|app|apps|podcast|newsletters?|alerts?|updates|coverage|news|channel|"
    r"notifications|whatsapp|telegram|youtube|facebook|twitter|instagram|tiktok|now|here|free|"
    r"subscription|episode|video|stream|feed)\b",
    re.I,
)


def is_promo(line: str) -> bool:
    """An imperative promotion: ``Get more news LIVE on ...``, ``Download the app``."""
    return (
        word_count(line) <= 18
        and bool(_PROMO_RE.match(line))
        and not (any(q in line for q in QUOTE_CHARS))
    )


_SHARE_RE = re.compile(
    r"^(?:share(?:\s+(?:this|on|via|the|article|story|page|full\s+article)\b.*)?|tweet|email|e-mail|"
    r"print|copy(?:\s+(?:link|url|the\s+link))?|link\s+copied|facebook|twitter|x|whatsapp|linkedin|"
    r"reddit|pinterest|telegram|flipboard|messenger|comments?|\d+\s+comments?|save|saved|bookmark|"
    r"listen(?:\s+to\s+(?:this\s+)?(?:article|story))?|follow(?:\s+us)?|gift\s+(?:this\s+)?article|"
    r"add\s+topic|show\s+(?:more|less)|expand|collapse|close|menu|search|home|advertisement|"
    r"ad|sponsored|skip\s+to\s+(?:main\s+)?content|back\s+to\s+top|top|next|previous|prev)"
    r"\s*[:|·•]?\s*$",
    re.I,
)


_SHARE_PARTS_RE = re.compile(r"\s*(?:[|·•]|:(?!//))\s*|\s+(?=https?://)")
_URL_PART_RE = re.compile(r"^https?://\S+$")


def is_share_widget(line: str) -> bool:
    """A share/print/social button or a page-chrome word on its own line, or a row of them.

    A row is ``Share: Facebook | X | Email | Copy link https://...``: every part between
    separators is a share button or a bare URL.
    """
    if word_count(line) <= 6 and _SHARE_RE.match(line):
        return True
    if word_count(line) > 16:
        return False
    parts = [p for p in _SHARE_PARTS_RE.split(line) if p]
    return len(parts) >= 3 and all(_SHARE_RE.match(p) or _URL_PART_RE.match(p) for p in parts)


_NAV_WORD_RE = re.compile(
    r"\b(?:privacy|cookies?|terms\s+(?:of|and)|sitemap|contact\s+us|about\s+us|careers|advertise|"
    r"newsletters?|subscribe|sign\s+in|log\s+in|skip\s+to|accessibility|ad\s+choices|"
    r"all\s+rights\s+reserved)\b",
    re.I,
)


def is_nav_word(line: str) -> bool:
    """Contains a typical footer/menu phrase (privacy, terms of service, sitemap...)."""
    return bool(_NAV_WORD_RE.search(line))


_READING_RE = re.compile(
    r"^(?:\d+\s*(?:-|\s)?\s*min(?:ute)?s?\s+(?:read|listen)|reading\s+time\b.*|listen\s+to\s+"
    r"(?:this\s+)?(?:article|story)\b.*|\d+:\d{2}\s*$|audio\s+(?:version|available).*)$",
    re.I,
)


def is_reading_time(line: str) -> bool:
    """``5 min read``, ``Listen to this article``, a bare media duration ``2:31``."""
    return word_count(line) <= 8 and bool(_READING_RE.match(line))


# Photo credits. Agencies and picture desks are generic industry names, not outlets of articles.
_AGENCY = (
    r"(?:AP|AFP|EPA(?:-EFE)?|EFE|ANP|ANSA|dpa|DPA|PA|Reuters|REUTERS|Getty\s?Images|Getty|"
    r"GettyImages|Shutterstock|Alamy|Bloomberg|Sipa(?:\s+USA)?|NurPhoto|Anadolu(?:\s+Agency)?|"
    r"SOPA\s+Images|LightRocket|Pool|POOL|Zuma(?:\s+Press)?|ZUMA|TASS|AAP|Kyodo|Yonhap|IANS|PTI|"
    r"Imago|IMAGO|Abaca|Polaris|Redux|Handout|HANDOUT|File|FILE|file|Courtesy(?:\s+of\s+[\w ]+)?)"
)
_WIRE = r"(?:AP|AFP|EPA|Reuters|REUTERS|Getty\s?Images|GettyImages|Shutterstock|Alamy)"
_CREDIT_TAIL_RE = re.compile(
    r"(?:\((?:[^()]*\b(?i:photo|photograph|picture|image|file|video|credit|courtesy)s?\b[^()]*|"
    r"[A-Z][\w.&'-]*(?:\s*/\s*[A-Z][\w.&'-]*)+|" + _AGENCY + r"(?:\s+(?:photo|file))?)\)"
    r"|\b(?i:photo|photograph|picture|image|illustration|credit)s?\s*(?:by|:|/|©)\s*[^.]{2,60}"
    r"|(?:\b[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s*(?:/|\||via)\s*)+"
    + _AGENCY
    + r"(?:\s+(?:via\s+)?(?:Getty\s?Images|file|File|FILE|photo|Photo))?"
    r"|(?<=[.!?\"”])\s*(?:" + _WIRE + r"(?:\s+(?:via|/)\s+" + _AGENCY + r")?(?:\s+(?:photo|file))?)"
    r"|\bvia\s+Getty\s?Images"
    r"|(?<=[.!?])\s+(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*\s*/\s*(?:[A-Z][\w&.'’-]*\s*){1,4}"
    r"(?:file|photo|images?)?)\s*$"
)


def credit_tail(line: str) -> bool:
    """The line ends with a photo credit: ``(PHOTO / AP)``, ``Jane Roe / Wire file``, ``GettyImages``."""
    if ends_like_sentence(line) and not line.rstrip().endswith(")"):
        return False
    return bool(_CREDIT_TAIL_RE.search(line[-90:]))


_CREDIT_PREFIX_RE = re.compile(
    r"^(?:photo|photograph|picture|image|illustration|credit|source|foto)s?\s*(?:by|:|/|©)\s*\S",
    re.I,
)
_AGENCY_TOKEN_RE = re.compile(r"^" + _AGENCY + r"$")
_CREDIT_WORDS = frozenset(
    "via file photo photos images image pool handout courtesy of staff".split()
)


def is_credit_line(line: str) -> bool:
    """A line that is only a picture credit: ``FP - GettyImages``, ``Photo: Jane Roe``."""
    if word_count(line) > 8 or ends_like_sentence(line):
        return False
    if line.startswith("©") or _CREDIT_PREFIX_RE.match(line):
        return True
    tokens = [t for t in re.split(r"[\s/|,;:–—-]+", line.strip("() ")) if t]
    if not tokens:
        return False
    agency = False
    for i, tok in enumerate(tokens):
        if _AGENCY_TOKEN_RE.match(tok) or (
            i + 1 < len(tokens) and _AGENCY_TOKEN_RE.match(tok + " " + tokens[i + 1])
        ):
            agency = True
        elif tok.lower() not in _CREDIT_WORDS and not tok[0].isupper():
            return False
    return agency


_BIO_NAME = r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}"
_BIO_RE = re.compile(
    r"^" + _BIO_NAME + r"(?:(?:\s*,\s*|(?:\s*,)?\s+(?:and|&)\s+)" + _BIO_NAME + r"){0,4}\s+"
    r"(?:is|was|are|were|has\s+been|have\s+been|covers?|writes?|reports?)\b[^.]{0,120}?"
    r"\b(?:reporters?|correspondents?|writers?|editors?|journalists?|columnists?|producers?|"
    r"contributors?|anchors?|hosts?|fellows?|interns?|staff|critics?|bureau\s+chief|covers?|"
    r"writes?\s+(?:about|for))\b"
)
_BIO_OUTLET_RE = re.compile(
    r"\b(?:reporter|correspondent|writer|editor|journalist|columnist|producer|contributor|anchor|"
    r"host|intern|critic)s?\s+(?:for|at|with|of)\s+((?:the\s+|The\s+)?[A-Z][\w&'’.-]*"
    r"(?:\s+[A-Z][\w&'’.-]*){0,4})|\b(?:staff|chief)\s+(?:for|at|with|of)\s+"
    r"((?:the\s+|The\s+)?[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4})"
)


def is_bio(line: str) -> bool:
    """An author bio: ``Jane Doe is a reporter for The Example Post, based in ...``.

    Several authors share one: ``Jane Doe and John Roe are reporters for The Example Post.``
    """
    return word_count(line) <= 80 and bool(_BIO_RE.match(line))


def bio_outlet(line: str) -> str:
    """The organisation named in an author bio (``reporter for <Name>``), else ``""``."""
    m = _BIO_OUTLET_RE.search(line)
    return (m.group(1) or m.group(2)) if m else ""
