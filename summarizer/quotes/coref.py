"""Coreference over one article: an entity table and the resolution of mentions to sources."""

from __future__ import annotations

from dataclasses import dataclass, field

from summarizer.quotes.names import (
    GENDERED_ROLES,
    GROUP_NOUNS,
    HONORIFIC_GENDER,
    common_word,
    gender_of_given,
    is_person_noun,
    never_name,
)
from summarizer.quotes.phrases import Ref
from summarizer.quotes.speakers import NOT_NAME_WORDS, Person, Registry, is_role_word, name_key

_PRONOUN_GENDER = {"he": "m", "she": "f"}


@dataclass(frozen=True)
class Source:
    """A resolved speaker: the name to show, the role, and the person if it is one."""

    name: str
    role: str = ""
    person: Person | None = None
    kind: str = ""  # "anon" for described sources, documents and generic org phrases


NO_SOURCE = Source("")


@dataclass
class Entities:
    """The article's entity table: people, organisations, described sources, documents."""

    registry: Registry = field(default_factory=Registry)
    recent: list[Person] = field(default_factory=list)  # subjects and speakers, latest last
    orgs: list[str] = field(default_factory=list)  # latest last
    anons: list[str] = field(default_factory=list)
    doc_owner: dict[str, Source] = field(default_factory=dict)
    topic: Source = NO_SOURCE  # who the text is about now (for quotes with no cue)
    topic_para: int = -10

    def mention(self, person: Person) -> None:
        """Mark ``person`` as the latest subject or speaker."""
        self.recent = [p for p in self.recent[-8:] if p is not person]  # identity, not equality
        self.recent.append(person)

    def set_topic(self, source: Source, para: int) -> None:
        """The latest attributed source or sentence subject."""
        if source.name:
            self.topic, self.topic_para = source, para
            if source.person is not None:
                self.mention(source.person)

    def add_person(self, name: str, role: str) -> Person:
        """Register a person and learn a gender from an honorific, a role or the given name."""
        person = self.registry.add(name, role)
        if not person.gender:
            words = [w.lower() for w in (role.split() + name.split())]
            for w in words:
                g = HONORIFIC_GENDER.get(w) or GENDERED_ROLES.get(w, "")
                if g:
                    person.gender = g
                    break
            else:
                first = person.name.split()[0]
                person.gender = gender_of_given(first) if len(person.name.split()) > 1 else ""
        return person

    def add_org(self, name: str) -> str:
        """Register an organisation (a leading "The" dropped)."""
        name = name[4:] if name.startswith("The ") else name
        if name in self.orgs:
            self.orgs.remove(name)
        self.orgs.append(name)
        return name

    def org_for(self, head: str) -> str:
        """The latest organisation whose name has ``head`` in it, else the latest one."""
        for org in reversed(self.orgs):
            if head.lower() in org.lower().split():
                return org
        return self.orgs[-1] if self.orgs else ""

    def pronoun(self, pron: str) -> Source:
        """He/she: the latest subject or speaker whose gender is that one or unknown (an
        unknown gender is learnt when that person was the only candidate)."""
        want = _PRONOUN_GENDER[pron]
        fits = [p for p in reversed(self.recent[-5:]) if p.gender in (want, "")]
        if not fits:
            return NO_SOURCE
        if len(fits) == 1:
            fits[0].gender = want  # learnt only when nobody else could be meant
        return Source(fits[0].name, fits[0].role, fits[0])

    def by_role(self, ref: Ref) -> Source:
        """"the senator", "the 19-year-old winger", "the spokesperson": a known holder of the
        role, an earlier described source with that head, else the latest person."""
        words = list(ref.words)
        person = self.registry.by_role(words)
        if person is not None and is_role_word(words[-1]):
            return self._described(person, words)
        head = name_key(words[-1]).rstrip("s")
        for anon in reversed(self.anons):
            if name_key(anon.split()[-1]).rstrip("s") == head:
                return Source(anon)
        if person is not None:
            return self._described(person, words)
        if is_person_noun(words[-1]) or is_role_word(words[-1]):
            # The latest named person, preferring one whose given name we know ("Kestrel Bay
            # tied the game when Emil Strand scored": the team is no person).
            recent = self.registry.people[-3:][::-1]
            named = next((p for p in recent if gender_of_given(p.name.split()[0])), None)
            latest = named or (recent[0] if recent else None) or self.topic.person
            if latest is not None:
                return self._described(latest, words)
        return Source(ref.text, kind="anon")

    def _described(self, person: Person, words: list[str]) -> Source:
        """``person``, who the article just described by ``words`` (remembered for later)."""
        if " ".join(words).lower() not in person.described.lower():
            person.described = f"{person.described} {' '.join(words)}".strip()
        return Source(person.name, person.role, person)

    def resolve(self, ref: Ref | None) -> Source:
        """The source a mention names (full canonical names, organisations, described sources)."""
        if ref is None:
            return NO_SOURCE
        if ref.kind == "person":
            return self._person(ref)
        if ref.kind == "org":
            return Source(self.add_org(ref.text))
        if ref.kind == "generic":
            owner = self.resolve(ref.owner) if ref.owner is not None else NO_SOURCE
            return Source(owner.name or self.org_for(ref.text) or f"the {ref.text}", kind="anon")
        if ref.kind == "doc":
            if ref.owner is not None:
                return self.resolve(ref.owner)
            head = ref.words[-1].lower() if ref.words else ""
            return self.doc_owner.get(head) or Source(ref.text, kind="anon")
        if ref.kind == "unit":
            owner = self.resolve(ref.owner)
            return Source(f"{owner.name}'s {ref.text}") if owner.name else NO_SOURCE
        if ref.kind == "pron":
            if ref.text in _PRONOUN_GENDER:
                return self.pronoun(ref.text)
            if ref.text == "it":
                return self._it()
            if ref.text == "they" and self.topic.name and self.topic.person is None:
                return self.topic
            return NO_SOURCE
        if ref.kind == "rolenp":
            return self.by_role(ref)
        text = ref.text[:1].upper() + ref.text[1:] if ref.text.islower() else ref.text
        if text not in self.anons:
            self.anons.append(text)
        return Source(ref.text, kind="anon")

    def _it(self) -> Source:
        """"It said": the last organisation, else a topic that is no known person ("Apple")."""
        if self.orgs:
            return Source(self.orgs[-1])
        topic = self.topic
        if topic.person is None or (len(topic.name.split()) == 1 and not topic.person.gender):
            return Source(topic.name, kind=topic.kind) if topic.name else NO_SOURCE
        return NO_SOURCE

    def _person(self, ref: Ref) -> Source:
        """A named person (a bare unknown word may be a plural group, an organisation or nothing)."""
        words = ref.text.split()
        if len(words) == 1 and not ref.role:
            known = self.registry.find(ref.text)
            if known is None:
                org = next((o for o in reversed(self.orgs)
                            if name_key(o.split()[0]) == name_key(ref.text)), "")
                if org:
                    return Source(org)
                low = ref.text.lower()
                if low in GROUP_NOUNS or (common_word(ref.text) and low.endswith("s")):
                    return Source(ref.text, kind="anon")  # "Critics said": a described source
                if never_name(ref.text) or low in NOT_NAME_WORDS:
                    return NO_SOURCE
        person = self.add_person(ref.text, ref.role)
        return Source(person.name, ref.role or person.role, person)
