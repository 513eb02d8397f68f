"""Dangling references: a briefing sentence whose subject is "he" or a bare role ("the Ukrainian
leader") reads only if that person was named earlier in the briefing.

``subject_reference`` finds such a subject (the first person reference of a sentence, when it is
a pronoun or a role without a name); ``referent`` names the person from the sentence's own
article (the speaker the quote extractor resolved, a role matched to a titled name, or the
person the previous sentences are about). ``make_coherent`` then keeps the sentence, replaces
only that subject with the name in square brackets, or drops it when nobody can be named.
Hand-written because no offline library does news coreference; the rules stay conservative.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from summarizer.brief.sentences import paragraph_sentences
from summarizer.models import Article, Quote
from summarizer.nlp.text import fold, paragraphs, straighten_quotes
from summarizer.quotes.extract import extract_quotes
from summarizer.quotes.speakers import (
    NOT_NAME_WORDS,
    is_org,
    is_role_word,
    same_person,
    split_role,
)

# Roles that name one person when used bare ("the president", "the Ukrainian leader").
PERSON_ROLES = frozenset(
    """
    president leader minister spokesman spokeswoman spokesperson official diplomat chancellor premier
    secretary senator governor mayor chief envoy ambassador commander general lawmaker king queen
    pope judge prosecutor ceo director deputy head chairman chairwoman founder suspect congressman
    congresswoman representative negotiator aide adviser advisor
    """.split()
)
# Role nouns a bare role may stand for ("the Ukrainian leader" = "Ukrainian President X").
ROLE_SYNONYMS = {
    "leader": {"president", "minister", "chancellor", "premier", "king", "queen", "leader"},
    "diplomat": {"minister", "ambassador", "envoy", "diplomat", "secretary"},
    "official": PERSON_ROLES,
    "spokesperson": {"spokesman", "spokeswoman", "spokesperson"},
    "spokesman": {"spokesman", "spokeswoman", "spokesperson"},
    "spokeswoman": {"spokesman", "spokeswoman", "spokesperson"},
}
_PRONOUN_RE = re.compile(r"\b(he|she|his|her|him|they|their)\b")
_ROLE_RE = re.compile(
    r"\bthe\s+((?:[a-z][\w.'-]*\s+){0,3}?)(" + "|".join(sorted(PERSON_ROLES)) + r")\b(?!\s*[A-Z])"
)
_LEADING_CLAUSE_RE = re.compile(
    r"(?i)^(?:asked|when|after|before|as|while|although|though|since|speaking|in|despite|if|once|"
    r"having|during|referring|responding|addressing)\b"
)
_CAP_RE = re.compile(r"[A-Z][\w'\u2019.-]*(?:\s+(?:[A-Z][\w'\u2019.-]*|(?:de|van|von|al|bin)\b))*")


@dataclass(frozen=True)
class Reference:
    """A pronoun or bare-role subject: its span in the sentence and its words."""

    start: int
    end: int
    text: str
    kind: str  # "pronoun" or "role"


def _outside_quotes(text: str) -> list[tuple[int, int]]:
    """Spans of the sentence outside double quotation marks (the writer's words)."""
    s = straighten_quotes(text)
    spans: list[tuple[int, int]] = []
    pos = 0
    inside = False
    for m in re.finditer('"', s):
        if not inside:
            spans.append((pos, m.start()))
        pos = m.end()
        inside = not inside
    if not inside:
        spans.append((pos, len(s)))
    return spans


@lru_cache(maxsize=50_000)
def _fold_word(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=20_000)
def names_in(text: str) -> tuple[tuple[int, str, str], ...]:
    """Person-like names in a text: (offset, role, name), role words split off the front."""
    out: list[tuple[int, str, str]] = []
    for m in _CAP_RE.finditer(straighten_quotes(text)):
        toks = m.group(0).replace("\u2019", "'").split()
        while toks and _fold_word(toks[0]).strip(".") in NOT_NAME_WORDS:
            toks = toks[1:]
        toks = [t.removesuffix("'s") for t in toks]
        if not toks:
            continue
        role, name = split_role(toks)
        if not name or is_org(name) or _fold_word(name.split()[-1]) in NOT_NAME_WORDS:
            continue
        if len(name.split()) == 1 and not role:
            out.append((m.start(), "", name))  # a surname: usable only if known already
        elif all(not is_role_word(w) for w in name.split()):
            out.append((m.start(), role, name))
    return tuple(out)


def subject_reference(text: str) -> Reference | None:
    """The sentence's first person reference when it is a pronoun or a bare role."""
    plain = straighten_quotes(text)
    low = plain.lower()
    found_names = names_in(plain)
    first_name = min((off for off, _, _ in found_names), default=len(plain))
    for a, b in _outside_quotes(plain):
        chunk = low[a:b]
        found: list[Reference] = []
        m = _PRONOUN_RE.search(chunk)
        if m:
            found.append(Reference(a + m.start(), a + m.end(), plain[a + m.start():a + m.end()],
                                   "pronoun"))
        r = _ROLE_RE.search(chunk)
        if r:
            found.append(Reference(a + r.start(), a + r.end(), plain[a + r.start():a + r.end()],
                                   "role"))
        if found:
            ref = min(found, key=lambda x: x.start)
            if ref.kind == "role" and any(
                ref.end <= off <= ref.end + 30 and len(name.split()) > 1
                for off, _, name in found_names
            ):
                return None  # "the minister of transport Ilse Varnholt": the role is named
            if ref.start > first_name:
                return None  # the sentence names someone first: its pronouns follow that name
            if ref.kind == "pronoun" and ref.text.lower() == "they" and ref.start > 0:
                return None  # a later "they" is rarely a person
            if ref.kind == "pronoun" and _cataphora(plain, ref, found_names):
                return None
            return ref
        if a <= first_name < b:
            return None
    return None


def _cataphora(text: str, ref: Reference, found: Sequence[tuple[int, str, str]]) -> bool:
    """A pronoun in a leading clause whose main clause opens on a name: "Asked if he had
    spoken to her, Trump said ..." (the pronoun points forward, to that name)."""
    if not _LEADING_CLAUSE_RE.match(text):
        return False
    comma = text.find(",", ref.end)
    if comma < 0 or comma > ref.end + 120:
        return False
    rest = text[comma + 1 :].lstrip()
    start = len(text) - len(rest)
    return any(off == start and (role or len(name.split()) > 1 or name[:1].isupper())
               for off, role, name in found)


def _sentences_of(article: Article) -> list[str]:
    return [s for p in paragraphs(article.text) for s in paragraph_sentences(p)]


@dataclass(frozen=True)
class SourceText:
    """What naming a subject needs of its article: the body's sentences (as split for
    briefings) and its quotes (asked for only when a sentence quotes someone)."""

    sentences: Sequence[str]
    quotes: Callable[[], Sequence[Quote]]

    @classmethod
    def of(cls, article: Article) -> SourceText:
        """Split the article now; extract its quotes on first need."""
        return cls(_sentences_of(article), lambda: extract_quotes(article.text))


def _source(source: Article | SourceText) -> SourceText:
    return source if isinstance(source, SourceText) else SourceText.of(source)


def _known(names: Sequence[tuple[str, str]], name: str) -> tuple[str, str]:
    """The fullest registered (role, name) for a mention."""
    for role, full in names:
        if same_person(full, name) and len(full.split()) >= len(name.split()):
            return role, full
    return "", name


def _people_before(sentences: Sequence[str], upto: int) -> list[list[tuple[str, str]]]:
    """Per sentence before ``upto``: the (role, full name) mentions, fullest spelling known."""
    registry: list[tuple[str, str]] = []
    out: list[list[tuple[str, str]]] = []
    for sent in sentences[:upto]:
        here: list[tuple[str, str]] = []
        for _, role, name in names_in(sent):
            if len(name.split()) == 1 and not role:
                r, full = _known(registry, name)
                if full == name:
                    continue  # an unknown single capitalised word is not taken for a person
                role, name = r, full
            else:
                r, full = _known(registry, name)
                role, name = role or r, full if len(full.split()) > len(name.split()) else name
                registry.insert(0, (role, name))
            here.append((role, name))
        out.append(here)
    return out


def _role_match(ref: Reference, people: Sequence[list[tuple[str, str]]]) -> str:
    """The named person whose title fits a bare role ("the Ukrainian leader")."""
    words = fold(ref.text).split()[1:]
    noun, adjectives = words[-1], set(words[:-1])
    wanted = ROLE_SYNONYMS.get(noun, {noun})
    best, best_score = "", 0
    for k, mentions in enumerate(people):
        for role, name in mentions:
            role_words = set(fold(role).split())
            if not role_words & wanted:
                continue
            score = 2 + len(role_words & adjectives) - (len(adjectives - role_words) > 0)
            score = score * 1000 + k  # most recent wins ties
            if score > best_score:
                best, best_score = name, score
    return best


def referent(sentence: str, article: Article | SourceText) -> str:
    """Full name of the person a pronoun/bare-role subject refers to, or "" if unsure."""
    ref = subject_reference(sentence)
    if ref is None:
        return ""
    source = _source(article)
    sentences = source.sentences
    key = fold(sentence)
    at = next((i for i, s in enumerate(sentences) if fold(s) in key or key in fold(s)), None)
    if at is None:
        return ""
    people = _people_before(sentences, at)
    if ref.kind == "role":
        return _role_match(ref, people)
    if ref.text.lower() in ("they", "their"):
        return ""
    if '"' in straighten_quotes(sentence):
        for q in source.quotes():
            if q.speaker and len(q.speaker.split()) > 1 and fold(q.text)[:40] in key:
                return q.speaker
    for back, mentions in enumerate(reversed(people[-2:]), start=1):
        distinct = {n.split()[-1] for _, n in mentions}
        if distinct and subject_reference(sentences[at - back]) is not None:
            # "The minister said ... Trump." then "He added": the names there are not its
            # subject (another unnamed one is), so they are probably not the one meant.
            return ""
        if len(distinct) == 1:
            return mentions[0][1]
        if distinct:
            return ""  # several people in the previous sentence: unsure
    return ""


def mentions(text: str, name: str) -> bool:
    """Whether the text names the person (surname match, slips allowed)."""
    surname = name.split()[-1]
    return any(same_person(n, surname) or same_person(surname, n) for _, _, n in names_in(text))


def rewrite(sentence: str, name: str) -> str:
    """The sentence with only its pronoun/bare-role subject replaced by ``[name]``."""
    ref = subject_reference(sentence)
    if ref is None:
        return sentence
    original = sentence[ref.start:ref.end]
    possessive = original.lower() in ("his", "her", "their")
    new = f"[{name}'s]" if possessive else f"[{name}]"
    return sentence[: ref.start] + new + sentence[ref.end:]


def fix_one(text: str, article: Article | SourceText, earlier: Sequence[str]) -> str | None:
    """The sentence as it may be shown after ``earlier``: unchanged, its pronoun/bare-role
    subject replaced by ``[Name]``, or None when nobody can be named."""
    if subject_reference(text) is None:
        return text
    name = referent(text, article)
    if not name:
        return None
    if any(mentions(s, name) for s in earlier):
        return text  # (a name later in the sentence itself is not its subject: "He told Trump")
    return rewrite(text, name)


def make_coherent(
    texts: Sequence[str], sources: Sequence[Article | SourceText]
) -> list[str | None]:
    """Each sentence as shown (kept, rewritten with the name, or None when dropped), in order."""
    out: list[str | None] = []
    shown: list[str] = []
    for text, article in zip(texts, sources, strict=True):
        new = fix_one(text, article, shown)
        out.append(new)
        if new is not None:
            shown.append(new)
    return out


def dangling_sentences(texts: Sequence[str], articles: Sequence[Article]) -> list[str]:
    """Briefing sentences with a pronoun/bare-role subject whose person is not named earlier
    (the source article is the one containing the sentence)."""
    bad: list[str] = []
    for k, text in enumerate(texts):
        if subject_reference(text) is None or text.lstrip().startswith("["):
            continue
        key = fold(text.replace("[", "").replace("]", ""))
        source = next((a for a in articles if key in fold(" ".join(_sentences_of(a)))), None)
        name = referent(text, source) if source is not None else ""
        if not name or not any(mentions(t, name) for t in texts[:k]):
            bad.append(text)
    return bad
