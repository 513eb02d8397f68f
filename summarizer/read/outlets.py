"""Which outlet published an article, reconciled from the evidence the input carries.

Evidence comes in two shapes:

* *names*: phrases such as a front-matter ``outlet``, an HTML ``og:site_name``, a self-reference
  in the text (``<Name> has reached out for comment``, ``More from <Name>``, ``reporter for
  <Name>``), a copyright holder, a one-word byline that is an organisation;
* *domain labels*: ``examplepost`` from ``https://www.examplepost.com/...`` (canonical URL, source
  link, image URLs, categories).

A label is matched against the capitalised phrases of the text by comparing letters only, with
spaces and a leading "the" ignored (``examplepost`` ~ ``The Example Post``). Names that share a
prefix are one outlet (``Foo News Digital``, ``FooUniversal Media, LLC`` and ``Foo News``); the
form used most often in the text wins. A title-cased label is only a last resort.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from summarizer.nlp.text import ignorecase_lower

__all__ = ["OutletEvidence", "domain_label", "host_of", "name_key"]

# Hosts that serve many sites (CDNs, platforms, social networks, photo agencies): their label is
# never the publisher's name.
_GENERIC_LABELS = frozenset(
    """
    wp wordpress blogspot cloudfront akamaized akamaihd akamai fastly imgix googleusercontent
    googleapis gstatic google amazonaws azureedge cloudinary twimg fbcdn cdninstagram ytimg
    youtube youtu twitter facebook instagram tiktok reddit linkedin pinterest medium substack
    bit tinyurl archive gettyimages shutterstock alamy apnews imageio brightspotcdn arcpublishing
    cdn img image images static media assets files example localhost feedburner yahoo msn
    """.split()
)
_SECOND_LEVEL = frozenset("co com org net gov ac edu ne or go gob nic ltd plc".split())
_HOST_RE = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+$")
_CORP_SUFFIX_RE = re.compile(
    r"(?:[,\s]+(?:llc|l\.l\.c\.|inc\.?|ltd\.?|limited|plc|corp\.?|corporation|co\.|company|gmbh|"
    r"s\.a\.|ag|group|holdings|media|publishing|network|networks|enterprises|"
    r"all rights reserved))+\.?$",
    re.I,
)
_WORD_RE = re.compile(r"[A-Za-z0-9&][\w&'’.-]*")


def host_of(url: str) -> str:
    """The host of a URL, looking through image proxies such as ``i0.wp.com/<host>/...``."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    host = (parts.hostname or "").lower().rstrip(".")
    first = parts.path.lstrip("/").split("/", 1)[0].lower()
    if first and "." in first and _HOST_RE.match(first) and not first.rsplit(".", 1)[1].isdigit():
        tld = first.rsplit(".", 1)[1]
        if (
            tld.isalpha()
            and 2 <= len(tld) <= 6
            and not re.search(r"\.(?:jpe?g|png|gif|webp|svg|html?|php)$", first)
        ):
            return first
    return host


def domain_label(url: str) -> str:
    """The registrable name of a URL's site (``examplepost`` for ``news.examplepost.co.uk``)."""
    host = host_of(url)
    if not host or host.replace(".", "").isdigit():
        return ""
    parts = [p for p in host.split(".") if p]
    if len(parts) < 2:
        return ""
    if len(parts) >= 3 and parts[-2] in _SECOND_LEVEL and len(parts[-1]) == 2:
        label = parts[-3]
    else:
        label = parts[-2]
    return "" if label in _GENERIC_LABELS else label


def name_key(name: str) -> str:
    """Letters and digits only, lower case, without a leading "the" (``The Foo Post`` -> fooopost)."""
    low = name.lower().strip()
    low = re.sub(r"^the\s+", "", low)
    return re.sub(r"[^a-z0-9]", "", low)


def _compatible(a: str, b: str, a_first: str, b_first: str) -> bool:
    if not a or not b:
        return False
    if a == b or a.startswith(b) or b.startswith(a):
        return min(len(a), len(b)) >= 3
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= 3 and (b.startswith(a_first) or a.startswith(b_first))


def _first_key(name: str) -> str:
    words = [w for w in name.split() if w.lower() != "the"]
    return name_key(words[0]) if words else ""


@dataclass
class OutletEvidence:
    """Collects outlet evidence while a document is cleaned, then picks one name."""

    names: list[tuple[str, float]] = field(default_factory=list)
    labels: list[tuple[str, float, bool]] = field(
        default_factory=list
    )  # (label, weight, fallback ok)
    holders: list[tuple[str, float]] = field(default_factory=list)
    explicit: str = ""

    def add_holder(self, holder: str, weight: float) -> None:
        """A copyright holder (``FooUniversal Media, LLC``): matched to a frequent text phrase."""
        holder = holder.strip(" .,")
        if 2 <= len(holder) <= 80 and re.search(r"[A-Za-z]", holder):
            self.holders.append((holder, weight))

    def add_name(self, name: str, weight: float) -> None:
        """A phrase that names the outlet (weight: how sure the source is)."""
        name = re.sub(r"\s+", " ", name).strip(" .,;:'\"’”")
        name = re.sub(r"(?:'s|’s)$", "", name)
        if 2 <= len(name) <= 60 and re.search(r"[A-Za-z]", name):
            self.names.append((name, weight))

    def add_url(self, url: str, weight: float, fallback: bool = True) -> None:
        """A URL whose site is evidence of the outlet."""
        label = domain_label(url)
        if label:
            self.labels.append((label, weight, fallback))

    def add_label(self, label: str, weight: float) -> None:
        """A bare label (a category such as ``examplepost``); never used alone."""
        label = label.strip().lower()
        if re.fullmatch(r"[a-z0-9][a-z0-9.-]{2,40}", label):
            self.labels.append((label.split(".")[0], weight, False))

    def resolve(self, text: str) -> str:
        """The outlet name, or ``""`` when nothing points at one."""
        if self.explicit:
            return self.explicit
        candidates: list[tuple[str, float]] = []
        for label, weight, _ in self.labels:
            form = _match_label(label, text)
            if form:
                candidates.append((form, weight))
        candidates.extend(self.names)
        for holder, weight in self.holders:
            base = _CORP_SUFFIX_RE.sub("", holder).strip(" ,.") or holder
            form = _frequent_form(name_key(base), _first_key(base), text) or base
            candidates.append((form, weight))
        if candidates:
            return _reconcile(candidates, text)
        fallback = [(lbl, w) for lbl, w, ok in self.labels if ok]
        if fallback:
            best = max(fallback, key=lambda lw: lw[1])[0]
            if best.startswith("the") and len(best) >= 6:  # "theexample" -> "The Example"
                return "The " + best[3:4].upper() + best[4:]
            return best[:1].upper() + best[1:]
        return ""


def _count(phrase: str, text: str) -> int:
    """Occurrences of ``phrase`` in ``text`` as whole words."""
    if not phrase:
        return 0
    n, pos, size = 0, text.find(phrase), len(phrase)
    while pos >= 0:
        before = text[pos - 1] if pos else " "
        after = text[pos + size] if pos + size < len(text) else " "
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            n += 1
        pos = text.find(phrase, pos + 1)
    return n


def _label_re(label: str) -> re.Pattern[str]:
    gap = r"[\s.&'’-]{0,2}"
    body = gap.join(re.escape(c) for c in label)
    return re.compile(r"(?<![\w])(?:the\s+)?" + body + r"(?![\w])", re.I)


def _match_label(label: str, text: str) -> str:
    """The most frequent capitalised phrase of ``text`` spelling ``label``, else ``""``."""
    label = re.sub(r"[^a-z0-9]", "", label)
    if len(label) < 2:
        return ""
    forms: Counter[str] = Counter()
    for m in _label_re(label).finditer(text):
        form = m.group(0)
        words = form.split()
        if not all(w[0].isupper() or w[0].isdigit() or w == "&" for w in words):
            continue
        if (
            form.lower().startswith("the ")
            and name_key(form) != label
            and re.sub(r"[^a-z0-9]", "", form.lower()) != label
        ):
            continue
        forms[form] += 1
    if not forms:
        return ""
    # "The Foo" and "Foo" both seen: the one with "The" is the name's own spelling.
    return max(forms.items(), key=lambda kv: (kv[1], kv[0].lower().startswith("the ")))[0]


def _shorten(name: str, text: str) -> str:
    """A more frequent leading part of ``name`` (``Foo News`` for ``Foo News Digital``)."""
    words = name.split()
    best, best_count = name, _count(name, text)
    min_words = 3 if words and words[0].lower() == "the" else 2
    for k in range(len(words) - 1, min_words - 1, -1):
        prefix = " ".join(words[:k])
        c = _count(prefix, text)
        if c > best_count:
            best, best_count = prefix, c
    return best


def _matches_from(pattern: re.Pattern[str], start: str, text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose every match starts with ``start`` (lower-case
    ASCII) in any case: tried only where the lower-cased text has ``start``, not at every
    character (an article's text is scanned for each copyright holder)."""
    lowered = ignorecase_lower(text)
    if lowered is None:  # a case look-alike: the pattern itself must look everywhere
        yield from pattern.finditer(text)
        return
    end = 0  # like finditer: the next match starts where the last one ended
    at = lowered.find(start)
    while at >= 0:
        if at >= end:
            m = pattern.match(text, at)
            if m is not None:
                yield m
                end = m.end()
        at = lowered.find(start, at + 1)


def _frequent_form(key: str, first: str, text: str) -> str:
    """The most frequent two-to-four-word capitalised phrase compatible with ``key``."""
    if len(key) < 3:
        return ""
    phrase_re = re.compile(r"\b(?i:" + re.escape(key[:3]) + r")[\w&]*(?:\s+[A-Z][\w&]*){1,3}\b")
    counts: Counter[str] = Counter(
        m.group(0)
        for m in _matches_from(phrase_re, key[:3], text)
        if m.group(0)[0].isupper()
        and _compatible(name_key(m.group(0)), key, _first_key(m.group(0)), first)
    )
    if not counts:
        return ""
    form, n = counts.most_common(1)[0]
    return _shorten(form, text) if n >= 2 else ""


def _reconcile(candidates: list[tuple[str, float]], text: str) -> str:
    groups: list[list[tuple[str, float]]] = []
    for name, weight in candidates:
        key, first = name_key(name), _first_key(name)
        for group in groups:
            g = group[0][0]
            if _compatible(key, name_key(g), first, _first_key(g)):
                group.append((name, weight))
                break
        else:
            groups.append([(name, weight)])
    best = max(groups, key=lambda g: sum(w for _, w in g))
    forms: dict[str, tuple[float, int]] = {}
    for name, weight in best:
        form = _shorten(name, text) if " " in name else name
        old = forms.get(form, (0.0, 0))
        forms[form] = (max(old[0], weight), _count(form, text))
    # "Foo Post" and "The Foo Post" both named: the running text's "The Foo Post" is the name.
    for form in list(forms):
        the_form = "The " + form
        if the_form in forms and _count(the_form, text):
            weight, count = forms.pop(form)
            the_weight, the_count = forms[the_form]
            forms[the_form] = (max(weight, the_weight), max(count, the_count))
    return max(forms, key=lambda f: forms[f])
