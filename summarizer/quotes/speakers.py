"""Speaker names: titles/roles split from names, name variants, a per-article person registry."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from summarizer.nlp.text import fold


def word_set(text: str) -> frozenset[str]:
    """A frozen set of the whitespace-separated words of ``text``."""
    return frozenset(text.split())

# Lower-cased words that make a noun phrase a title or role ("Deputy Foreign Minister", "spokesperson").
ROLE_WORDS = word_set(
    """
    president vice minister secretary spokesperson spokesman spokeswoman spokespeople chancellor
    premier governor gov. gov senator sen. sen rep. rep representative congressman congresswoman
    mayor ambassador envoy general gen. admiral adm. colonel col. lt. sgt. commander chief director
    chairman chairwoman chair ceo cfo coo cto founder co-founder cofounder leader head adviser
    advisor counsel attorney judge justice prosecutor sheriff commissioner officer official deputy
    king queen prince princess pope cardinal bishop rabbi imam professor prof. prof dr. dr doctor
    analyst economist researcher scientist coach manager captain capt. diplomat lawmaker legislator
    speaker whip executive editor reporter correspondent author historian expert fellow strategist
    lawyer activist mr. mrs. ms. mr mrs ms sir dame lord lady pastor inspector detective
    superintendent constable agent candidate nominee mp mep president-elect secretary-general emir
    sheikh sultan ayatollah surgeon physician owner partner investor chairperson
    councilmember councilmembers councillor councilor councilman councilwoman alderman alderwoman
    assemblyman assemblywoman assemblymember trustee delegate supervisor administrator
    organiser organizer volunteer worker deckhand resident nurse teacher student farmer driver
    fisherman fisher pilot engineer firefighter paramedic technician shopkeeper clerk
    rev. rev reverend host anchor presenter columnist treasurer elder steward planner auditor
    operator councillor-elect millwright
    """
)

# Last words that make a capitalised phrase an organisation or a place rather than a person.
ORG_WORDS = word_set(
    """
    ministry department office agency council committee commission court party government police
    army navy forces company inc inc. corp corp. group university institute service bureau
    administration house kremlin pentagon embassy union organization organisation association
    foundation bank fund board authority network news times post press command senate congress
    parliament cabinet secretariat coalition alliance federation center centre team club league
    campaign state states nations kingdom republic city county district agency media journal
    television tv radio channel llc ltd plc
    """
)

# Capitalised words that never start or end a person's name.
NOT_NAME_WORDS = word_set(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december the a an this that these those it its he she
    they we i you his her their our my however but and or so yet also meanwhile still then
    in on at of for from with by to after before when while as if although though despite during
    since until because according asked referring speaking following earlier later last next
    there here what who why how where which today yesterday tomorrow tonight
    """
)

PARTICLES = frozenset({"de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "bin",
                       "ibn", "al", "el", "la", "le", "dos", "das", "ter", "st."})

PRONOUNS = frozenset({"he", "she", "they", "it", "i", "we"})
PERSON_PRONOUNS = frozenset({"he", "she"})


def strip_accents(text: str) -> str:
    """Remove combining accents (for comparisons only)."""
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if not unicodedata.combining(c))


@lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """A comparison key for a name: folded, accent-free, no dots."""
    return strip_accents(fold(name)).replace(".", "").replace("’", "'")


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Edit distance where swapping two adjacent letters counts as one slip (optimal string
    alignment), cut off above ``limit`` (returns limit + 1)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            best = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, before[j - 2] + 1)
            cur.append(best)
        if min(cur) > limit:
            return limit + 1
        before, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=8192)
def similar_word(a: str, b: str) -> bool:
    """Two name words are the same modulo case, accents and a one-letter slip in a long word."""
    ka, kb = name_key(a), name_key(b)
    if ka == kb:
        return True
    if min(len(ka), len(kb)) < 5 or ka[0] != kb[0]:
        return False
    return edit_distance(ka, kb, 1) <= 1


def similar_given(a: str, b: str) -> bool:
    """Given names that may be the same (initials, transliteration variants)."""
    ka, kb = name_key(a), name_key(b)
    if ka == kb:
        return True
    if len(ka) == 1 or len(kb) == 1:
        return ka[0] == kb[0]
    return ka[0] == kb[0] and edit_distance(ka, kb, 2) <= 2


@lru_cache(maxsize=8192)
def same_person(a: str, b: str) -> bool:
    """Whether two spellings name the same person (surname-only matches a full name)."""
    ta, tb = a.split(), b.split()
    if not ta or not tb or not similar_word(ta[-1], tb[-1]):
        return False
    if len(ta) == 1 or len(tb) == 1:
        return True
    if similar_given(ta[0], tb[0]):
        return True
    # A title word left in front of one spelling ("Councillor Ana Ruiz" / "Ana Ruiz"): compare
    # the given names just before the surname.
    return similar_word(ta[-2], tb[-2]) and (len(ta) > 2 or len(tb) > 2)


@lru_cache(maxsize=8192)
def is_role_word(word: str) -> bool:
    """Whether a word is a title or role noun."""
    low = word.lower()
    for affix in ("-elect", "-designate"):
        low = low.removesuffix(affix)
    for affix in ("ex-", "vice-", "co-", "acting-"):
        low = low.removeprefix(affix)
    return low in ROLE_WORDS


def is_org(name: str) -> bool:
    """Whether a capitalised phrase looks like an organisation rather than a person."""
    toks = name.split()
    return bool(toks) and toks[-1].lower() in ORG_WORDS


def split_role(words: list[str]) -> tuple[str, str]:
    """Split a noun phrase into (role, name) at its last role word."""
    last = -1
    for i, w in enumerate(words):
        if is_role_word(w):
            last = i
    role = " ".join(words[: last + 1])
    name = " ".join(words[last + 1 :])
    return role, name


@dataclass
class Person:
    """A person named in an article."""

    name: str
    role: str = ""
    gender: str = ""  # "f", "m" or "" when unknown
    described: str = ""  # descriptions the article used for them ("19-year-old winger")


@dataclass
class Registry:
    """People named so far in one article, most recent last."""

    people: list[Person] = field(default_factory=list)

    def find(self, name: str) -> Person | None:
        """The known person a (possibly partial or misspelled) name refers to."""
        best: Person | None = None
        for person in reversed(self.people):
            if same_person(person.name, name):
                if len(person.name.split()) > 1:
                    return person
                best = best or person
        if best is None and len(name.split()) == 1:
            # A first name alone ("Tomas" after "Tomas Rydell"): only if one person has it.
            firsts = [p for p in self.people if len(p.name.split()) > 1
                      and name_key(p.name.split()[0]) == name_key(name)]
            if len(firsts) == 1:
                return firsts[0]
        return best

    def add(self, name: str, role: str = "") -> Person:
        """Register a mention and return the person it refers to (full names win)."""
        person = self.find(name)
        if person is None:
            person = Person(name, role)
            self.people.append(person)
            return person
        if len(name.split()) > len(person.name.split()):
            person.name = name
        if role and not person.role:
            person.role = role
        self.people = [p for p in self.people if p is not person]
        self.people.append(person)
        return person

    def by_role(self, words: list[str]) -> Person | None:
        """The most recent person whose role shares the head noun (or an adjective) of ``words``."""
        keys = [w.lower() for w in words if w.lower() not in {"the", "a", "an"}]
        if not keys:
            return None
        head = keys[-1]
        holders = [p for p in reversed(self.people)
                   if head in f"{p.role} {p.described}".lower().split()]
        if holders:
            # "the mayor" prefers a plain "Mayor" over a more recent "Deputy Mayor".
            exact = [p for p in holders if set(p.role.lower().split()) <= set(keys)]
            return (exact or holders)[0]
        for person in reversed(self.people):
            role = f"{person.role} {person.described}".lower()
            if role.strip() and any(k in role.split() for k in keys[:-1]):
                return person
        return None

    def canonical(self, name: str) -> str:
        """The fullest spelling of ``name`` seen in the article."""
        person = self.find(name)
        return person.name if person else name
