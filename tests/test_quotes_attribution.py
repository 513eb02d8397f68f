"""Speaker attribution: one test per rule and per error kind of ../shared/devsets/quotes/ERRORS.md.

Every text is our own invention, written in the shape of the error kind it tests.
"""

from __future__ import annotations

import pytest

from summarizer.quotes.extract import extract_quotes


def speakers(text: str) -> list[str]:
    """The speaker of every quote, in order."""
    return [q.speaker for q in extract_quotes(text)]


# --- the attribution rules, most reliable first ---------------------------------------------

RULES = {
    "cue after quote": ("“The pier is closed,” harbourmaster Ada Kovac said.", ["Ada Kovac"]),
    "inverted cue": ("“The pier is closed,” said harbourmaster Ada Kovac.", ["Ada Kovac"]),
    "cue before, colon": ("Ada Kovac said: “The pier is closed until spring.”", ["Ada Kovac"]),
    "cue before, partial quote": ("Ada Kovac said the pier was “unsafe for anyone.”", ["Ada Kovac"]),
    "according to": ("The pier is “unsafe for anyone,” according to Ada Kovac.", ["Ada Kovac"]),
    "told reporter: subject, not object": (
        "“The pier is unsafe,” Ada Kovac told Bram Oster of the Gazette.", ["Ada Kovac"]),
    "continuation in the same paragraph": (
        "“The pier is unsafe,” Ada Kovac said. “Nobody should fish there this winter.”",
        ["Ada Kovac", "Ada Kovac"]),
    "continuation in the next paragraph": (
        "“The pier is unsafe,” Ada Kovac said.\n\n“Nobody should fish there this winter.”",
        ["Ada Kovac", "Ada Kovac"]),
    "quote split around an inverted cue": (
        "“They were hiding something,” said Ana Ruiz, whose son died in the fire, "
        "“and now we know what.”", ["Ana Ruiz", "Ana Ruiz"]),
    "multi-paragraph quote": (
        "Ada Kovac was blunt. “The pier is unsafe.\n\n“Nobody should fish there,” she said.",
        ["Ada Kovac"]),
    "attribution in the next sentence": (
        "Ada Kovac spoke first. Her deputy, Ivo Renn, followed.\n\n"
        "“Who approved this pier?” Renn said.", ["Ivo Renn"]),
    "organisation statement": (
        "“Repairs start on Monday,” the Harbour Board said in a statement.", ["Harbour Board"]),
    "quote inside a quote": (
        "“They told us it was ‘perfectly safe’ last year,” Ada Kovac said.", ["Ada Kovac"]),
    "no confident rule: no speaker": (
        "The pier closed.\n\nStorms hit the coast for days.\n\nThe town waited.\n\n"
        "Repairs began.\n\n“Nobody expected the second storm, least of all the engineers.”",
        [""]),
}


@pytest.mark.parametrize("name", list(RULES))
def test_attribution_rule(name: str) -> None:
    text, expected = RULES[name]
    assert speakers(text) == expected


# --- ERRORS.md kinds ---------------------------------------------------------------------------

KINDS = {
    "1 pronoun after a participle opener": (
        "Mayor Hilde Brask has led Ostby since 2019.\n\n"
        "Having fought two budget battles, Brask is wary of promises.\n\n"
        "“We will see the money before we spend it,” she said.", ["Hilde Brask"]),
    "1 pronoun gender picks the right person": (
        "Lukas Berger led the audit. His colleague, Sofia Marin, wrote the summary.\n\n"
        "“The numbers add up,” Berger said. “The process does not,” she added.",
        ["Lukas Berger", "Sofia Marin"]),
    "1 caption and embedded post do not change the topic": (
        "Coach Petra Lind named her squad on Monday.\n\n"
        "Oskar Dahl and Lena Fisk train in Ostby last year. Jon Berg / Reuters file\n\n"
        "Big day for the club! pic.twitter.com/abc123\n\n"
        "“We picked the players in form,” she said.", ["Petra Lind"]),
    "1 dateline is never the topic": (
        "OSTBY — The budget passed on Tuesday after a long night.\n\n"
        "“Nobody got everything they wanted, and that is how it should be.”", [""]),
    "1 antecedent in the same sentence": (
        "Coach Olaf Brun spoke first.\n\n"
        "After Marta Sund won the vote, she said the club was “finally in safe hands.”",
        ["Marta Sund"]),
    "2 generic organisation phrase": (
        "Eastlake Power said on Monday that the outage was caused by ice.\n\n"
        "“Crews restored most lines overnight,” the utility said.", ["Eastlake Power"]),
    "2 it said: the last organisation": (
        "The Ministry of Fisheries released its quota review on Friday. Analyst Jan Holt "
        "called it overdue.\n\n“Stocks are recovering slowly,” it said.",
        ["Ministry of Fisheries"]),
    "2 unowned document: who issued it": (
        "The ministry issued a statement on Friday.\n\n“We regret the error,” the statement read.",
        ["the ministry"]),
    "4 person of an organisation": (
        "“We need the road fixed,” Chief Ada Birch of the Northwood Cree Nation said.",
        ["Ada Birch"]),
    "2 it said after a one-word company name": (
        "Zentrix said on Monday that it would cut 300 jobs.\n\n"
        "“These decisions are never easy,” it said.", ["Zentrix"]),
    "2 document with a time phrase before the verb": (
        "A letter sent to tenants in March warned that the lifts were “beyond any sensible repair.”",
        ["a letter"]),
    "3 described source": (
        "Sirens woke the street at dawn.\n\n“The flames were taller than the house,” a witness said.",
        ["a witness"]),
    "3 described source with a relative clause": (
        "A senior council official, who spoke on condition of anonymity, said the plan was "
        "“still in flux.”", ["a senior council official"]),
    "3 the family": (
        "“We are heartbroken,” the family said in a statement released by police.",
        ["the family"]),
    "3 one of a group, then the name": (
        "“We expected 200 people and 2,000 came,” said one of the organizers, Maya Patton.",
        ["Maya Patton"]),
    "3 plural described source": (
        "Port staff admitted that the cranes were “older than anyone would like.”", ["Port staff"]),
    "4 premodifier before the name": (
        "“We lost the whole crop,” said Tarnby dairy farmer Ole Sand, whose herd grazes the delta.",
        ["Ole Sand"]),
    "4 appositive with a place and a relative clause": (
        "Rita Voss, the manager of the Port of Kell, which ships most of the coal, said the delay "
        "was “costly for everyone.”", ["Rita Voss"]),
    "5 unusual verb": (
        "Councillor Ben Aldo praised the plan.\n\n"
        "“Where is the money coming from?” Councillor Mia Rook demanded.", ["Mia Rook"]),
    "5 capitalised Said": (
        "The vote passed on Monday.\n\nSaid Duarte: “We never wanted this, but we accept it.”",
        ["Duarte"]),
    "5 inversion with another verb": (
        "“That is simply not true!” objected Pia Lund, the park's director.", ["Pia Lund"]),
    "5 non-finite frame": (
        "The clip shows footage of Ana Berg saying the deal was “a scam from day one.”",
        ["Ana Berg"]),
    "6 party tag in brackets": (
        "“The bill is dead,” Sen. Rosa Hale (D-Wash.) said.", ["Rosa Hale"]),
    "6 party tag between commas": (
        "Rep. Tom Gable, R-Okla., a member of the farm panel, said the plan was “too costly.”",
        ["Tom Gable"]),
    "7 dash credit": (
        "Readers wrote in about the bus cuts.\n\n"
        "“The last bus now leaves before my shift ends, so I walk home every night.” ― Nadia Oyelowo",
        ["Nadia Oyelowo"]),
    "7 dash credit with a descriptor": (
        "“My rent doubled and my pension did not. I am looking for a smaller flat now.” — Karl Enns, retiree",
        ["Karl Enns"]),
    "7 dash credit on its own line": (
        "Readers wrote in about the bus cuts.\n\n"
        "“I used to take two buses to work. Now I take one bus and walk the rest of the way.”\n\n"
        "— Ruth Amsel, nurse", ["Ruth Amsel"]),
    "8 one-word name ending in s": (
        "Landowners met the council on Friday.\n\n"
        "Mathis said the permit “will not survive an appeal.”", ["Mathis"]),
    "8 surname that is a role word": (
        "Volunteers cleared the hall.\n\n“We reopen on Sunday,” Ms. Deacon said.", ["Deacon"]),
    "8 particle surname": (
        "“The clinic is full every day,” said Dr. Samir al-Masri, who runs it.", ["Samir al-Masri"]),
    "9 role description of a named person": (
        "Norhaven scored late when Emil Strand converted a penalty.\n\n"
        "“I have practised that kick a thousand times,” said the 20-year-old striker.",
        ["Emil Strand"]),
    "9 a description used again later": (
        "Kestrel Bay tied the game when Emil Strand scored from a corner.\n\n"
        "“I just closed my eyes,” said the 20-year-old striker.\n\n"
        "Kestrel Bay coach Mona Lisle said the goal would change his season. “He has earned it,” "
        "she said.\n\n"
        "The young striker said his phone had not stopped ringing. “My mother called six times,” "
        "the striker said.", ["Emil Strand", "Mona Lisle", "Emil Strand"]),
    "10 colon introduction": (
        "The board met on Tuesday.\n\n"
        "Kari Nygaard, who runs the food bank, was blunt: “Without the grant we close in May.”",
        ["Kari Nygaard"]),
    "10 introduction in the previous paragraph": (
        "Councillor Lars Engen offered this verdict:\n\n"
        "“The plan is the best thing this council has done in years.”", ["Lars Engen"]),
    "11 coordinated verbs": (
        "Maja Holm thanked the crews and said the repairs were “faster than anyone hoped.”",
        ["Maja Holm"]),
    "11 fronted time phrase and participle": (
        "Three weeks later, Vell Logistics appealed the fine, arguing it was “far out of proportion.”",
        ["Vell Logistics"]),
    "12 possessive document": (
        "Surveyor Ines Palm's report predicted the dam would “hold for a century.”", ["Ines Palm"]),
    "12 possessive office": (
        "Finance Minister Olav Brun did not attend. In an email, his office said: "
        "“The minister will respond next week.”", ["Olav Brun's office"]),
    "13 nested quote: the clause holding it": (
        "Senator Aina Berg said Governor Pal Lind was “plainly mistaken” when Lind claimed the "
        "plant would pay for itself.", ["Aina Berg"]),
    "14 sentence split after a question mark": (
        "Eva Moen opened the meeting. Her rival, Jon Skar, left early.\n\n"
        "“Why does a museum need a fence?” Skar said.", ["Jon Skar"]),
    "14 first name only": (
        "Liv Tangen, 11, built the robot from old bicycles.\n\n"
        "“It took all summer,” Liv said.", ["Liv Tangen"]),
}


@pytest.mark.parametrize("name", list(KINDS))
def test_error_kind(name: str) -> None:
    text, expected = KINDS[name]
    assert speakers(text) == expected


def test_non_names_never_become_speakers() -> None:
    text = (
        "Currently, the ferry runs twice a day.\n\n"
        "Three crews share the work.\n\n"
        "“We need a third boat,” the operator said."
    )
    got = speakers(text)
    assert got and got[0].split()[-1].lower() not in {"currently", "three", "ferry"}


def test_titles_and_appositives_go_to_role_not_speaker() -> None:
    (q,) = extract_quotes("Ivo Lamm, the deputy mayor, said the road was “finished.”")
    assert (q.speaker, q.role) == ("Ivo Lamm", "deputy mayor")
    (q,) = extract_quotes("“It is finished,” said Deputy Mayor Ivo Lamm.")
    assert (q.speaker, q.role) == ("Ivo Lamm", "Deputy Mayor")


def test_pronoun_with_no_compatible_person_gives_no_speaker() -> None:
    text = "Mr. Aron Kask chaired the meeting.\n\n“It went well,” she said."
    assert speakers(text) == [""]
