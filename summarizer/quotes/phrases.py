"""Noun phrases that may name a source: people, organisations, pronouns, roles, documents."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from summarizer.quotes.names import (
    DOC_NOUNS,
    EXTRA_ORG_WORDS,
    GROUP_NOUNS,
    ORG_GENERICS,
    UNIT_NOUNS,
    is_given_name,
    is_person_noun,
    never_name,
    sentence_word,
)
from summarizer.quotes.speakers import NOT_NAME_WORDS, ORG_WORDS, PARTICLES, is_role_word, word_set
from summarizer.quotes.tokens import Tok

PRONOUNS = frozenset({"he", "she", "they", "it", "i", "we"})
POSS_PRONOUNS = {"his": "he", "her": "she", "their": "they", "its": "it"}
DETERMINERS = frozenset({"the", "a", "an"})
_HONORIFICS = word_set("mr mr. mrs mrs. ms ms. dr dr. rev. rev reverend miss sir dame")
_PARTICLE_PREFIXES = ("al-", "el-", "bin-", "ibn-", "abu-", "abd-", "de-", "da-")
_COUNTS = word_set("one some many two three four five several most few none all each")
_FUNCTION = word_set(
    """
    of in on at to for with by from and or but that who whom which whose when where while as
    is are was were be been being has have had will would could should may might can did does
    do said says told not no also then later this these those it he she they we i you him them
    us about after before than so if because said saying according
    """
)


@dataclass(frozen=True)
class Ref:
    """A mention that may name a speaker.

    kind: person, org, pron, rolenp ("the senator"), anon ("a neighbour"), generic ("the
    utility"), doc ("the report", owner in ``owner``), unit ("his office", owner in ``owner``).
    """

    kind: str
    text: str
    role: str = ""
    index: int = -1
    words: tuple[str, ...] = ()
    owner: Ref | None = None


# Unions used on every token (built once, not per call).
_NOT_NAME_OR_PARTICLE = NOT_NAME_WORDS | PARTICLES
_ORG_HEADS = ORG_WORDS | EXTRA_ORG_WORDS | ORG_GENERICS
_DET_OR_POSS = DETERMINERS | POSS_PRONOUNS.keys()


def name_word(t: Tok) -> bool:
    """A token that can be part of a name ("Lise", "al-Hariri", "van")."""
    if t.kind != "w":
        return False
    low = t.low
    return t.text[0].isupper() or low in PARTICLES or low.startswith(_PARTICLE_PREFIXES)


def head_noun(word: str) -> bool:
    """A lower-case noun that can end a source phrase."""
    low = word.lower()
    return (is_role_word(low) or is_person_noun(low) or low in GROUP_NOUNS or low in DOC_NOUNS
            or low in UNIT_NOUNS or low in ORG_GENERICS)


def org_name(words: list[str]) -> bool:
    """Whether a capitalised phrase names an organisation or a place."""
    last = words[-1].lower().rstrip(".")
    if last in ORG_WORDS or last in EXTRA_ORG_WORDS:
        return True
    if any(w.lower() in ("of", "for") for w in words[1:-1]):
        return True
    return all(w.isupper() and len(w) > 1 for w in words)


def _namey(w: str) -> bool:
    """A word that can be part of a name (capitalised or a particle)."""
    return w[0].isupper() or w.lower() in PARTICLES or w.lower().startswith(_PARTICLE_PREFIXES)


def _split_name(words: list[str]) -> tuple[list[str], list[str]]:
    """(role words, name words): the name is the capitalised run after the last role word.

    A final role word is a surname after a given name or an honorific ("Mr. Bishop",
    "Anna Judge")."""
    n = i = len(words)
    while i > 0 and _namey(words[i - 1]) and not is_role_word(words[i - 1]):
        i -= 1
    if i == n and n >= 2 and _namey(words[-1]):
        prev = words[-2]
        if prev.lower() in _HONORIFICS:
            i = n - 1
        elif _namey(prev) and not is_role_word(prev):
            i = n - 1
            while i > 0 and _namey(words[i - 1]) and not is_role_word(words[i - 1]):
                i -= 1
    return words[:i], words[i:]


def classify(words: list[str], det: str, index: int, owner: Ref | None = None) -> Ref | None:
    """Classify a phrase (without its determiner) as a person, organisation or described source."""
    if owner is not None:
        return _classify(words, det, index, owner)
    found = _classify_words(tuple(words), det)
    return None if found is None else Ref(found[0], found[1], found[2], index, found[3])


@lru_cache(maxsize=16384)
def _classify_words(words: tuple[str, ...], det: str) -> tuple[str, str, str, tuple[str, ...]] | None:
    """``classify`` of an owner-less phrase as (kind, text, role, words), remembered: an article
    names the same people and bodies sentence after sentence."""
    ref = _classify(list(words), det, -1, None)
    return None if ref is None else (ref.kind, ref.text, ref.role, ref.words)


def _classify(words: list[str], det: str, index: int, owner: Ref | None) -> Ref | None:
    """The rules of ``classify``."""
    while words and words[-1].lower() in _NOT_NAME_OR_PARTICLE and not (
            len(words) > 1 and is_given_name(words[-2]) and words[-1][0].isupper()):
        words = words[:-1]  # "Tom May" keeps its surname
    if not words:
        return None
    if (len(words) >= 3 and words[0][0].isupper() and any(w in ("of", "for") for w in words[1:-1])
            and words[0].lower() in _ORG_HEADS
            and all(w[0].isupper() or w in ("of", "for", "and", "the") for w in words)):
        return Ref("org", " ".join(words), index=index, words=tuple(words))  # "Port of Kell"
    role, name = _split_name(words)
    if len(name) >= 3 and is_given_name(name[1]) and not is_given_name(name[0]):
        role, name = [*role, name[0]], name[1:]  # "Surveyor Ines Palm": a title we do not list
    while name and (name[0].lower() in NOT_NAME_WORDS or never_name(name[0])) and not role:
        name = name[1:]
    while len(name) >= 2 and not role and sentence_word(name[0]) and not org_name(name):
        name = name[1:]  # "Whether Bartleby", "Once Fetter"
    full = " ".join(([det] if det else []) + words)
    if name:
        if org_name(name) or (det == "the" and not role):
            return Ref("org", " ".join(name), index=index, words=tuple(words))
        if role and role[-1].lower() == "of":
            return Ref("org", " ".join(name), index=index, words=tuple(words))
        return Ref("person", " ".join(name), " ".join(role), index, tuple(words))
    head = words[-1].lower()
    if head in UNIT_NOUNS and owner is not None:
        return Ref("unit", head, index=index, words=tuple(words), owner=owner)
    if head in DOC_NOUNS:
        return Ref("doc", full, index=index, words=tuple(words), owner=owner)
    if head in ORG_GENERICS and (det == "the" or (owner is not None and owner.kind == "pron")):
        return Ref("generic", head, index=index, words=tuple(words), owner=owner)
    if head in GROUP_NOUNS or (det != "the" and (is_role_word(head) or is_person_noun(head))):
        return Ref("anon", full, " ".join(words), index, tuple(words))
    if is_role_word(head) or is_person_noun(head):
        return Ref("rolenp", full, " ".join(words), index, tuple(words))
    return None


def _eligible(t: Tok) -> bool:
    """A token that can sit inside a source phrase (name, head noun or modifier)."""
    if t.kind != "w" or t.low in DETERMINERS or t.low in POSS_PRONOUNS:
        return False
    return name_word(t) or head_noun(t.text) or (t.text.islower() and t.low not in _FUNCTION)


def _owner_back(toks: list[Tok], k: int) -> Ref | None:
    """The owner phrase ending at the possessive token ``k`` ("Marta Quist's", "the ministry's")."""
    t = toks[k]
    if t.low in POSS_PRONOUNS:
        return Ref("pron", POSS_PRONOUNS[t.low], index=k)
    start = k
    while start - 1 >= 0 and _eligible(toks[start - 1]) and not toks[start - 1].poss:
        start -= 1
    det = ""
    if start - 1 >= 0 and toks[start - 1].low in DETERMINERS:
        det = toks[start - 1].low
    words = [x.text for x in toks[start : k + 1]]
    ref = classify(words, det, start)
    if ref is None and det == "the" and words[-1].lower() in ORG_GENERICS:
        return Ref("generic", words[-1].lower(), index=start, words=tuple(words))
    return ref


def np_back(toks: list[Tok], j: int) -> Ref | None:
    """The noun phrase ending at token ``j`` (a name, a role or group phrase, a pronoun)."""
    if j < 0 or toks[j].kind != "w" or toks[j].poss:
        return None
    low = toks[j].low
    if low in PRONOUNS:
        return Ref("pron", low, index=j)
    if not (name_word(toks[j]) or head_noun(low)):
        return None
    if toks[j].text[0].isupper() and low in NOT_NAME_WORDS:
        return Ref("person", toks[j].text, index=j, words=(toks[j].text,))  # "May said": known?
    k = j
    while k - 1 >= 0 and j - k < 7 and _eligible(toks[k - 1]) and not toks[k - 1].poss:
        k -= 1
    while k < j and not (name_word(toks[k]) or head_noun(toks[k].text)) and not (
            k - 1 >= 0 and toks[k - 1].low in _DET_OR_POSS):
        k += 1  # a loose lower-case word with no determiner before it is not part of the phrase
    owner: Ref | None = None
    det = ""
    if k - 1 >= 0 and (toks[k - 1].poss or toks[k - 1].low in POSS_PRONOUNS):
        owner = _owner_back(toks, k - 1)
    elif k - 1 >= 0 and toks[k - 1].low in DETERMINERS:
        det = toks[k - 1].low
    elif k - 2 >= 0 and toks[k - 1].low == "of" and toks[k - 2].low in _COUNTS:
        inner = classify([t.text for t in toks[k : j + 1]], "", k)
        if inner is not None:
            return Ref("anon", f"{toks[k - 2].text} of {inner.text}", index=k - 2)
    return classify([t.text for t in toks[k : j + 1]], det, k, owner)


def np_fwd(toks: list[Tok], i: int) -> Ref | None:
    """The noun phrase starting at token ``i``."""
    if i >= len(toks) or toks[i].kind != "w":
        return None
    low = toks[i].low
    if low in PRONOUNS:
        return Ref("pron", low, index=i)
    if low in _COUNTS and i + 2 < len(toks) and toks[i + 1].low == "of":
        inner = np_fwd(toks, i + 2)
        if inner is not None and inner.kind in ("anon", "rolenp", "org"):
            text = inner.text if inner.kind != "org" else f"the {inner.text}"
            span = toks[i : inner.index + max(len(inner.words), 1)]
            return Ref("anon", f"{toks[i].text} of {text}", index=i,
                       words=tuple(t.text for t in span))
        k = i + 2 + (toks[i + 2].low in _DET_OR_POSS)
        if k < len(toks) and toks[k].kind == "w" and toks[k].text.islower() and toks[k].text.endswith("s"):
            words = " ".join(t.text for t in toks[i : k + 1])  # "one of the riders"
            return Ref("anon", words, index=i, words=tuple(words.split()))
        return None
    det, owner, k = "", None, i
    if low in DETERMINERS:
        det, k = low, i + 1
    elif low in POSS_PRONOUNS:
        owner, k = Ref("pron", POSS_PRONOUNS[low], index=i), i + 1
    start = k
    while k < len(toks) and k - start < 8 and _eligible(toks[k]):
        if toks[k].poss:
            owner = classify([t.text for t in toks[start : k + 1]], det, start)
            det, start = "", k + 1
        elif (k + 1 < len(toks) and toks[k + 1].low in ("of", "for")
              and k + 2 < len(toks) and toks[k + 2].text[:1].isupper()
              and toks[k].low in _ORG_HEADS):
            k += 2  # "Ministry of Public Works", "Port of Vellmar"
            continue
        k += 1
    end = k
    while end > start and not (name_word(toks[end - 1]) or head_noun(toks[end - 1].text)):
        end -= 1
    if end <= start:
        return None
    if not det and owner is None and toks[start].text.islower() and not any(
            head_noun(t.text) for t in toks[start:end]) and not is_given_name(toks[start].text):
        lower = sum(1 for t in toks[start:end] if t.text.islower())
        if not (lower <= 2 and end - start >= lower + 2 and toks[end - 1].text[0].isupper()):
            return None  # but "said harbourmaster Ada Kovac" is a premodified name
    return classify([t.text for t in toks[start:end]], det, start, owner)


def name_refs(toks: list[Tok]) -> list[Ref]:
    """Every person name run in a sentence (index = its last token)."""
    refs: list[Ref] = []
    i = 0
    while i < len(toks):
        if name_word(toks[i]) and toks[i].text[0].isupper():
            k = i
            while k < len(toks) and (name_word(toks[k]) or is_role_word(toks[k].text)) and not (
                    k > i and toks[k - 1].poss):
                k += 1
            ref = classify([t.text for t in toks[i:k]], "", i)
            if ref and ref.kind == "person":
                refs.append(Ref("person", ref.text, ref.role, k - 1, ref.words))
            i = max(k, i + 1)
        else:
            i += 1
    return refs
