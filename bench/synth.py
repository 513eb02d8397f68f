"""Synthetic news corpus for benchmarks: N distinct articles grouped into events.

    python bench/synth.py OUT_DIR [--n 10000] [--seed 1] [--days 60]

Each event (3-8 articles) has its own invented places, people, organisations and numbers plus a
topic (fire, strike, flood, ...) whose vocabulary it shares with other events of the same topic;
each article of an event comes from a different invented outlet, has its own headline, byline,
dateline and ~400-700 words recombined from event facts, quotes and background sentences with
outlet-specific wording, so clustering has real work and no two articles are near-duplicates.
Files are plain text: a ``Published:`` stamp, the headline, a byline, then paragraphs.
``manifest.json`` maps every file to its event (ground truth for cluster quality).

Deterministic by seed; pure standard library; 10,000 articles take a few seconds.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

_SYL_A = ["Ash", "Bel", "Cor", "Dun", "El", "Fen", "Gar", "Hal", "Ister", "Kel", "Lor", "Mar",
          "Nor", "Ost", "Pel", "Quar", "Ros", "Sal", "Tor", "Ul", "Val", "Wes", "Yar", "Zen",
          "Brack", "Cal", "Dray", "Esk", "Fal", "Grim", "Hollin", "Kirk", "Lang", "Mal", "Penr",
          "Rav", "Stan", "Thorn", "Wick", "Aber"]
_SYL_B = ["by", "ford", "ton", "mouth", "field", "wick", "ham", "stead", "more", "dale",
          "bridge", "haven", "port", "well", "brook", "cross", "gate", "holm", "ley", "wood"]
_PLACE_PREFIX = ["", "", "", "Port ", "North ", "East ", "Upper ", "St. ", "New ", "Lower "]
_FIRST = ["Amara", "Bernard", "Celia", "Dmitri", "Elena", "Farid", "Greta", "Hamish", "Ines",
          "Jonas", "Keiko", "Lionel", "Marta", "Nikhil", "Odette", "Pavel", "Quentin", "Rosa",
          "Sanjay", "Tamsin", "Ulrich", "Vera", "Wendell", "Xiomara", "Yusuf", "Zofia", "Aidan",
          "Bianca", "Conrad", "Delphine", "Emeka", "Fiona", "Gustavo", "Helga", "Idris", "Julia",
          "Kwame", "Lucia", "Magnus", "Nadia", "Oskar", "Priya", "Rafael", "Sigrid", "Tobias"]
_SUR_A = ["Ander", "Black", "Crow", "Dal", "Ever", "Fair", "Gold", "Hart", "Iver", "Jen",
          "Kings", "Lock", "Mer", "Nash", "Oak", "Pem", "Red", "Swan", "Thack", "Whit", "Brom",
          "Chal", "Dun", "Elling", "Fitz", "Gal", "Hay", "Lind", "Mor", "Pritch"]
_SUR_B = ["ley", "wood", "son", "more", "ton", "field", "ridge", "well", "ford", "man", "ard",
          "bury", "combe", "wright", "er", "ing", "ow", "stone"]
_OUTLET_A = ["Capital", "Harbor", "Northwind", "Meridian", "Tidewater", "Evening", "Valley",
             "Coastal", "Summit", "Riverside", "Prairie", "Granite", "Lakeshore", "Union",
             "Frontier", "Metro", "Pinecrest", "Ironbridge", "Redwood", "Bayview"]
_OUTLET_B = ["Wire", "Ledger", "Times", "Post", "Gazette", "Lantern", "Courier", "Herald",
             "Chronicle", "Tribune", "Observer", "Dispatch", "Sentinel", "Record", "Star"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]


@dataclass(frozen=True)
class Topic:
    """A kind of event and the vocabulary its coverage shares."""

    name: str
    headlines: tuple[str, ...]
    facts: tuple[str, ...]
    nouns: tuple[str, ...]
    officials: tuple[str, ...]
    quotes: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "fire",
        ("Wildfire forces evacuation of {n1} homes near {place}",
         "{place} blaze spreads across {n2} hectares as crews battle winds",
         "Firefighters contain part of {place} wildfire after {n3} days",
         "Evacuation orders widen as fire threatens {place}"),
        ("The fire started near {landmark} on {weekday} afternoon and spread quickly through dry scrub.",
         "More than {n1} residents of {place} were ordered to leave their homes.",
         "Crews from {org} said the blaze had burned about {n2} hectares by {weekday} night.",
         "Strong gusts of up to {n3}0 km/h pushed the flames towards the outskirts of {place}.",
         "{official} said {n4} firefighters and {n5} water-bombing aircraft were deployed.",
         "Smoke from the fire closed the {road} for several hours.",
         "At least {n5} buildings were destroyed, including a barn and two holiday cabins near {landmark}.",
         "The cause of the fire is under investigation, {org} said."),
        ("fire", "blaze", "flames", "evacuation", "firefighters", "hectares", "smoke", "crews"),
        ("fire chief", "incident commander", "emergency services director"),
        ("The wind changed direction twice in an hour and that made this fire unpredictable",
         "Anyone who has been told to leave {place} must leave now, not in an hour",
         "We lost the barn but the house is still standing and that is what matters",
         "Our crews have been working through the night to protect homes on the edge of {place}"),
    ),
    Topic(
        "strike",
        ("{org} workers walk out in pay dispute",
         "Strike halts operations at {org} in {place}",
         "Talks collapse as {org} strike enters day {n3}",
         "{place} braces for disruption as {org} staff strike"),
        ("Members of the {union} voted by {n3}0 percent to strike over pay and staffing.",
         "About {n1} workers at {org} walked out at dawn on {weekday}.",
         "The union is asking for a {n3} percent pay rise, while {org} has offered {n5} percent.",
         "{official} said management remained open to talks at any time.",
         "Pickets gathered outside the main gate at {landmark} in {place}.",
         "The walkout is expected to cost {org} about {n2} thousand dollars a day.",
         "Negotiators from both sides met for {n5} hours on {weekday} without an agreement.",
         "Passengers and customers in {place} were advised to expect delays."),
        ("strike", "union", "pay", "workers", "walkout", "pickets", "talks", "wages"),
        ("union general secretary", "chief executive", "labour relations manager"),
        ("Our members have not had a real pay rise in {n5} years and they have had enough",
         "We have made a fair offer and we urge the union to return to the table",
         "Nobody wants to strike but the company left us no choice",
         "Every day of this strike hurts the people of {place}"),
    ),
    Topic(
        "flood",
        ("Flooding cuts off {place} after days of heavy rain",
         "River bursts banks in {place}, hundreds rescued",
         "{place} residents clean up as floodwaters recede",
         "Flood warnings stay in force along the {river}"),
        ("The {river} rose {n5} metres above its normal level overnight.",
         "Rescue teams pulled {n4} people from flooded homes in {place}.",
         "{org} said {n1} properties had been damaged by the floodwater.",
         "About {n2} millimetres of rain fell in {n3}6 hours, the weather service said.",
         "{official} said the flood barriers at {landmark} had held but were close to capacity.",
         "The {road} was closed after a section of it collapsed into the river.",
         "Schools in {place} stayed shut on {weekday} and {n5} shelters were opened.",
         "Insurers expect claims from the flood to run into the millions."),
        ("flood", "river", "rain", "water", "rescue", "banks", "shelters", "levels"),
        ("flood response coordinator", "mayor", "regional water manager"),
        ("I have lived by the {river} for forty years and I have never seen it this high",
         "The barriers did their job but we were only centimetres from disaster",
         "Please stay away from the floodwater because it is deeper and faster than it looks",
         "The clean-up in {place} will take months, not weeks"),
    ),
    Topic(
        "election",
        ("{person} wins {place} mayoral race by {n4} votes",
         "Recount ordered in tight {place} election",
         "{place} voters back {person} in record turnout",
         "Challenger {person} concedes in {place} mayoral vote"),
        ("{person} won {n3}2 percent of the vote in {place}, according to the election office.",
         "Turnout reached {n3}1 percent, the highest in the district since records began.",
         "{official} said {n1} postal ballots had still to be counted on {weekday}.",
         "The campaign focused on housing, the {road} bypass and the future of {landmark}.",
         "{org} confirmed the result after a count that lasted {n5} hours.",
         "The losing candidate said they would not ask for a recount.",
         "{person} promised to publish a first budget within {n5}0 days.",
         "Observers from {org} reported no irregularities at polling stations."),
        ("election", "vote", "ballots", "turnout", "candidate", "campaign", "count", "mayor"),
        ("returning officer", "campaign manager", "party chair"),
        ("Tonight {place} chose change and I will not let it down",
         "Every vote has been counted twice and the result is clear",
         "I congratulate my opponent and I wish {place} well",
         "People here were tired of waiting for the {road} bypass"),
    ),
    Topic(
        "breach",
        ("{org} says hackers stole data of {n1} customers",
         "Cyberattack on {org} exposes customer records",
         "{org} data breach: what we know",
         "Regulator investigates {org} after hack"),
        ("{org} said attackers gained access to a customer database on {weekday}.",
         "Names, email addresses and partial card numbers of about {n1} customers were exposed.",
         "The company said it detected the intrusion {n5} days after it began.",
         "{official} said passwords were stored encrypted and had not been compromised.",
         "The data protection regulator said it had opened an inquiry into {org}.",
         "Security researchers linked the attack to a ransomware group known as {codename}.",
         "Customers were advised to watch for phishing emails claiming to come from {org}.",
         "Shares in {org} fell {n5} percent in early trading."),
        ("data", "breach", "hackers", "customers", "attack", "security", "passwords", "ransomware"),
        ("chief information security officer", "chief executive", "spokesperson"),
        ("We are deeply sorry and we are contacting every affected customer",
         "There is no evidence that any of this data has been misused so far",
         "Companies that hold this much personal data must protect it properly",
         "The attackers used a stolen password to get into a test server"),
    ),
    Topic(
        "bridge",
        ("Truck strikes {place} bridge, closing river crossing",
         "{place} bridge closed indefinitely after collision",
         "Engineers inspect damaged {place} bridge",
         "Commuters face long detours as {place} bridge stays shut"),
        ("A heavy goods vehicle hit the {landmark} bridge in {place} at about {n5} a.m. on {weekday}.",
         "The driver was taken to hospital with minor injuries, police said.",
         "{org} said engineers found cracks in {n5} of the supporting beams.",
         "About {n1} vehicles use the crossing every day, according to {org}.",
         "{official} said the bridge would stay closed until at least the end of the month.",
         "Diversions added up to {n3}0 minutes to journeys along the {road}.",
         "The bridge, built in 19{n5}{n3}, was due for a major refurbishment next year.",
         "Ferry operators in {place} added extra sailings to help stranded commuters."),
        ("bridge", "truck", "crossing", "engineers", "collision", "beams", "detour", "commuters"),
        ("highways director", "chief engineer", "police superintendent"),
        ("Safety comes first and we will not reopen the bridge until we are sure it is sound",
         "My commute went from ten minutes to an hour overnight",
         "The height warnings on the {landmark} approach are clear and have been there for years",
         "This crossing is the spine of {place} and every day it is shut costs us"),
    ),
    Topic(
        "outbreak",
        ("Measles outbreak in {place} grows to {n4} cases",
         "Health officials urge vaccination as {place} outbreak spreads",
         "{place} schools hit by measles cases",
         "Vaccination clinics open in {place} amid outbreak"),
        ("Health authorities in {place} confirmed {n4} cases of measles by {weekday}.",
         "Most cases were among children who had not been vaccinated, {org} said.",
         "{official} said {n5} patients had been admitted to hospital.",
         "Walk-in vaccination clinics opened at {landmark} and {n5} schools.",
         "Vaccination coverage in the district has fallen to {n3}8 percent, below the level needed.",
         "Parents of about {n1} pupils received letters about possible exposure.",
         "The first case was linked to a traveller who returned to {place} last month.",
         "{org} said it expected more cases over the coming weeks."),
        ("measles", "outbreak", "cases", "vaccination", "health", "hospital", "children", "clinics"),
        ("public health director", "chief medical officer", "head of paediatrics"),
        ("Measles is one of the most contagious diseases we know and vaccination works",
         "If your child has a fever and a rash, call before you come to the clinic",
         "We have seen queues at {landmark} since seven this morning",
         "This outbreak in {place} was preventable"),
    ),
    Topic(
        "rates",
        ("{org} raises rates to {n3}.{n5} percent",
         "{org} surprises markets with rate rise",
         "Borrowers face higher costs after {org} decision",
         "{org} holds firm on inflation, lifts rates"),
        ("The {org} raised its benchmark rate by a quarter point to {n3}.{n5} percent on {weekday}.",
         "Inflation rose to {n5}.{n3} percent last month, well above the target.",
         "{official} said the board would watch wages and energy prices closely.",
         "The decision was backed by {n5} of the board's nine members.",
         "Mortgage lenders in {place} said they would pass on the increase within days.",
         "The currency rose {n5} tenths of a percent against the dollar after the announcement.",
         "Economists at {bank} had expected rates to stay on hold.",
         "The next policy meeting is scheduled in {n5} weeks."),
        ("rates", "inflation", "interest", "mortgage", "borrowers", "markets", "bank", "economists"),
        ("governor", "chief economist", "deputy governor"),
        ("Inflation is too high and it is staying high for too long",
         "Households in {place} will feel this in their mortgage payments next month",
         "We will do what is necessary to bring inflation back to target",
         "Markets had priced in a pause and this decision caught many off guard"),
    ),
    Topic(
        "trial",
        ("{person} goes on trial over {org} fraud",
         "Jury hears opening arguments in {org} case",
         "{person} denies fraud charges at {place} court",
         "Former {org} boss {person} in court"),
        ("{person}, the former head of {org}, denied {n5} counts of fraud at {place} Crown Court.",
         "Prosecutors said about {n2} million dollars was moved through shell companies.",
         "The trial is expected to last {n5} weeks, the judge told the jury.",
         "{official} said the case followed a {n5}-year investigation.",
         "The court heard that investors in {place} lost their savings.",
         "Defence lawyers said {person} had relied on advice from accountants at {bank}.",
         "Documents seized at {landmark} will be shown to the jury on {weekday}.",
         "Outside the court, a small group of former employees held placards."),
        ("trial", "court", "fraud", "jury", "prosecutors", "defence", "charges", "judge"),
        ("lead prosecutor", "defence counsel", "detective inspector"),
        ("This was a deliberate and sustained deception of ordinary investors",
         "My client will answer every allegation and looks forward to clearing his name",
         "I put my pension into it because I trusted {org}",
         "The jury must decide this case only on the evidence they hear in this room"),
    ),
    Topic(
        "storm",
        ("Storm {codename} leaves {n1} homes without power in {place}",
         "{place} counts cost of Storm {codename}",
         "State of emergency declared as Storm {codename} hits {place}",
         "Storm {codename}: roads closed, ferries cancelled"),
        ("Storm {codename} brought gusts of more than {n3}20 km/h to {place} overnight.",
         "About {n1} customers lost electricity, {org} said.",
         "{official} declared a state of emergency in {n5} counties.",
         "Ferries from {landmark} were cancelled and the {road} was closed by fallen trees.",
         "One person was injured when a wall collapsed in {place}, police said.",
         "The weather service said the storm would weaken by {weekday} evening.",
         "Insurers reported about {n2} claims by midday, mostly for roof damage.",
         "Crews from {n5} neighbouring utilities were sent to help restore power."),
        ("storm", "gusts", "power", "emergency", "winds", "ferries", "damage", "weather"),
        ("governor", "utility spokesperson", "emergency management director"),
        ("{codename} hit us harder than the forecasts suggested, and it hit us in the dark",
         "If you do not need to be on the roads, stay at home",
         "Our crews will work around the clock until every home in {place} has power",
         "The whole roof lifted off like a lid"),
    ),
)

_BACKGROUND = (
    "The area has a population of about {n1} people and depends heavily on {industry}.",
    "Local businesses in {place} said they were already struggling after a difficult winter.",
    "A report published last year by {org} warned of similar risks.",
    "Opposition politicians called for an independent review of the response.",
    "Residents said they had raised concerns at a council meeting in {place} months ago.",
    "The {road} is the main route between {place} and the regional capital.",
    "{landmark} has been a local landmark since the nineteenth century.",
    "Officials promised a full update at a press conference on {weekday}.",
    "Community groups set up a fund to help families in {place}.",
    "The national government said it was monitoring the situation closely.",
    "Volunteers handed out food and blankets at {landmark}.",
    "Neighbouring towns offered to share equipment and staff.",
)
_TRANSITIONS = ("", "", "", "Meanwhile, ", "Separately, ", "Earlier, ", "In a statement, ",
                "By late {weekday}, ", "According to local reports, ", "Officials said that ")
_ATTRIB = ("{who} said", "said {who}", "{who} told {outlet}", "{who} told reporters",
           "{who} said in a statement", "{who} added")
_INDUSTRY = ("fishing", "tourism", "farming", "shipping", "mining", "logistics", "forestry",
             "manufacturing")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_LANDMARK_KIND = ("Market Square", "Old Mill", "Harbour Wall", "Station Road", "Town Hall",
                  "Victoria Park", "Castle Hill", "Riverside Centre", "Quay Street", "Abbey Green")
_ORG_KIND = ("Regional Authority", "Water Board", "Transit Company", "Energy", "Bank",
             "Health Trust", "Holdings", "Logistics", "Port Authority", "Council")
_BANK = ("Hallmark Securities", "Greyfield Capital", "Northbank Research", "Castleton Partners")


_NOUNS = (
    "reservoir pension school bus warehouse pipeline contract inspector budget tunnel depot ferry "
    "hospital ward clinic library stadium quarry refinery airport runway terminal hangar railway "
    "signal junction viaduct dam canal lock marina pier lighthouse orchard vineyard dairy bakery "
    "brewery cannery sawmill foundry shipyard crane forklift tanker convoy ambulance helicopter "
    "drone satellite server laptop ledger invoice audit subsidy grant loan bond mortgage tariff "
    "licence permit zoning planning hearing tribunal ombudsman inquiry petition ballot referendum "
    "council cabinet minister auditor regulator watchdog charity foundation museum gallery theatre "
    "cathedral chapel cemetery allotment meadow marsh estuary dune cliff glacier valley ridge "
    "plateau forest hedgerow vineyard greenhouse turbine substation transformer generator battery "
    "boiler furnace chimney sewer drain culvert embankment levee barrier sandbag pump hydrant "
    "cable mast antenna beacon siren alarm sensor camera barrier turnstile kiosk pharmacy "
    "supermarket abattoir hatchery kennel stable paddock silo barn tractor harvester fleet"
).split()
_ADJ = (
    "damaged flooded abandoned disputed temporary overdue unlicensed outdated faulty cracked "
    "rusting leaking overcrowded underfunded delayed suspended contested emergency independent "
    "confidential leaked revised rejected approved expanded reduced reopened sealed guarded "
    "private municipal regional coastal northern southern rural derelict replacement backup"
).split()
_VERB_PAST = (
    "inspected closed reopened sealed evacuated repaired replaced audited suspended funded "
    "relocated rebuilt flagged monitored blocked cleared searched surveyed reinforced restored"
).split()
_EVENT_FRAMES = (
    "Investigators {vp} the {adj} {noun} near {landmark} and found the {noun2} had been {adj2}.",
    "The {adj} {noun} at {place} was {vp} after {num} complaints about the {noun2}.",
    "Documents show the {noun} contract was {adj2} twice before the {noun2} was {vp}.",
    "Workers {vp} the {noun} on the {road} while the {adj} {noun2} stayed shut.",
    "The {noun} owned by {org} had been {adj} for {num} months, records show.",
    "Residents near the {adj} {noun} said the {noun2} had been {vp} without warning.",
    "A {adj} {noun} beside the {noun2} was {vp} by officials from {org}.",
    "Questions remain over why the {noun} was {adj2} and the {noun2} never {vp}.",
    "{person} said the {adj} {noun} and the {noun2} would be {vp} by the end of the week.",
    "Engineers {vp} {num} sections of the {noun} and said the {noun2} was {adj2}.",
)


def _event_facts(slots: dict[str, str], rng: random.Random, n: int = 10) -> list[str]:
    """Sentences only this event's coverage shares: its own angle words recombined."""
    nouns = rng.sample(_NOUNS, 5)
    adjs = rng.sample(_ADJ, 4)
    verbs = rng.sample(_VERB_PAST, 3)
    out = []
    for frame in rng.sample(_EVENT_FRAMES, n):
        out.append(
            frame.format(
                **slots,
                noun=rng.choice(nouns),
                noun2=rng.choice(nouns),
                adj=rng.choice(adjs),
                adj2=rng.choice(adjs),
                vp=rng.choice(verbs),
                num=rng.randrange(2, 60),
            )
        )
    return out


def _place(rng: random.Random) -> str:
    return rng.choice(_PLACE_PREFIX) + rng.choice(_SYL_A) + rng.choice(_SYL_B)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_SUR_A)}{rng.choice(_SUR_B)}"


def outlets(n: int = 300) -> list[str]:
    """The invented outlets (fixed order)."""
    out = [f"{a} {b}" for b in _OUTLET_B for a in _OUTLET_A]
    return out[:n]


@dataclass(frozen=True)
class Event:
    """One invented event: a topic plus its own names and numbers."""

    id: int
    topic: Topic
    slots: dict[str, str]
    start: datetime
    facts: tuple[str, ...]


def make_event(eid: int, rng: random.Random, base: datetime, days: int) -> Event:
    """An event with its own names and numbers, starting somewhere in ``days`` after ``base``."""
    topic = TOPICS[rng.randrange(len(TOPICS))]
    place = _place(rng)
    slots = {
        "place": place,
        "person": _person(rng),
        "official_name": _person(rng),
        "official2_name": _person(rng),
        "org": f"{rng.choice(_SYL_A)}{rng.choice(_SYL_B)} {rng.choice(_ORG_KIND)}",
        "union": f"{rng.choice(_SYL_A)} {rng.choice(['Workers', 'Transport', 'Dockers', 'Nurses'])} Union",
        "landmark": f"{place.split()[-1]} {rng.choice(_LANDMARK_KIND)}",
        "road": f"{rng.choice('ABM')}{rng.randrange(1, 999)} {rng.choice(['highway', 'road', 'motorway'])}",
        "river": f"River {rng.choice(_SYL_A)}{rng.choice(['e', 'wen', 'ey', 'ock', 'an'])}",
        "codename": rng.choice(_FIRST),
        "bank": rng.choice(_BANK),
        "industry": rng.choice(_INDUSTRY),
        "weekday": rng.choice(_WEEKDAYS),
        "n1": f"{rng.randrange(2, 90) * 100 + rng.randrange(0, 99):,}",
        "n2": str(rng.randrange(120, 9800)),
        "n3": str(rng.randrange(2, 9)),
        "n4": str(rng.randrange(11, 480)),
        "n5": str(rng.randrange(2, 9)),
    }
    start = base + timedelta(minutes=rng.randrange(days * 24 * 60))
    return Event(eid, topic, slots, start, tuple(_event_facts(slots, rng)))


def _fill(template: str, slots: dict[str, str]) -> str:
    return template.format(**slots)


_LOWERABLE = frozenset(
    "The A About More Most Residents Officials Opposition Local Volunteers Neighbouring Community "
    "Crews Pickets Rescue Schools Smoke Strong Insurers Passengers Parents Vaccination Documents "
    "Defence Prosecutors Security Customers Shares Names Mortgage Economists Inflation Diversions "
    "Engineers Ferry Ferries Turnout Observers Negotiators Members Figures Shopkeepers Health "
    "Walk-in Outside Gusts One Police".split()
)


def _vary(sentence: str, slots: dict[str, str], rng: random.Random) -> str:
    """Outlet-style rewording: sometimes a transition phrase in front of a plain sentence."""
    first = sentence.split(" ", 1)[0]
    t = rng.choice(_TRANSITIONS)
    if not t:
        return sentence
    t = t.format(**slots)
    if first in _LOWERABLE:
        return t + sentence[0].lower() + sentence[1:]
    if t.startswith(("By late", "Earlier", "Meanwhile", "Separately")):
        return t + sentence  # "Meanwhile, Bromwell said ..." keeps the name's capital
    return sentence


def article_text(ev: Event, k: int, outlet: str, rng: random.Random) -> tuple[str, datetime]:
    """One article (plain text) about ``ev`` as ``outlet`` told it, and its publication time."""
    topic = ev.topic
    slots = dict(ev.slots)
    slots["outlet"] = outlet
    officials = [
        (f"{topic.officials[i % len(topic.officials)]} {slots[key]}", slots[key])
        for i, key in enumerate(("official_name", "official2_name"))
    ]
    who_full, _ = officials[rng.randrange(2)]
    slots["official"] = who_full[0].upper() + who_full[1:]
    published = ev.start + timedelta(minutes=rng.randrange(30, 36 * 60))
    title = _fill(rng.choice(topic.headlines), slots)
    if rng.random() < 0.5:
        title = title + rng.choice([", officials say", " as pressure mounts", ", report says",
                                    " amid criticism", "", ""])
    title = title[0].upper() + title[1:]
    reporter = _person(rng)
    facts = [_fill(f, slots) for f in rng.sample(topic.facts, 3)]
    facts = rng.sample(list(ev.facts), rng.randrange(6, 9)) + facts
    lead_fact = facts[0]
    paras: list[str] = [
        f"{slots['place'].upper()} - {lead_fact}",
    ]
    body: list[str] = facts[1:]
    body += [_fill(b, slots) for b in rng.sample(_BACKGROUND, 3)]
    quotes = rng.sample(topic.quotes, 3)
    for q in quotes:
        who, short = officials[rng.randrange(2)]
        attrib = _fill(rng.choice(_ATTRIB), {"who": who, "outlet": outlet})
        body.append(f"\u201c{_fill(q, slots)},\u201d {attrib}.")
        body.append(f"{short.split()[-1]} did not give further details about {rng.choice(topic.nouns)}.")
    rng.shuffle(body)
    # Per-article detail sentences: distinct numbers and wording so articles are not copies.
    for _ in range(rng.randrange(8, 15)):
        noun = rng.choice(topic.nouns)
        body.insert(
            rng.randrange(len(body) + 1),
            _fill(
                rng.choice(
                    (
                        "Figures seen by {outlet} suggest the {noun} in {place} affected about {x} households.",
                        "A resident of {street}, who asked not to be named, described the {noun} as the worst in {x} years.",
                        "At {hour} on {weekday}, {x} people had gathered near {landmark} to follow the {noun}.",
                        "{reporter2} of {outlet} counted {x} vehicles at the {noun} checkpoint on the {road}.",
                        "The {noun} was discussed for {x} minutes at an emergency session in {place}.",
                        "By {hour}, local radio had logged {x} calls about the {noun}.",
                        "Shopkeepers on {street} said trade had dropped by {x} percent because of the {noun}.",
                    )
                ),
                {
                    **slots,
                    "noun": noun,
                    "x": str(rng.randrange(3, 400)),
                    "street": f"{rng.choice(_SUR_A)}{rng.choice(_SUR_B)} {rng.choice(['Lane', 'Street', 'Avenue', 'Close'])}",
                    "hour": f"{rng.randrange(1, 12)}:{rng.randrange(0, 60):02d} {rng.choice(['a.m.', 'p.m.'])}",
                    "reporter2": _person(rng),
                },
            ),
        )
    sentences = [_vary(s, slots, rng) for s in body]
    i = 0
    while i < len(sentences):
        n = rng.choice((1, 2, 2, 3))
        paras.append(" ".join(sentences[i : i + n]))
        i += n
    stamp = (
        f"Published: {published.hour:02d}:{published.minute:02d}, "
        f"{_MONTHS[published.month - 1]} {published.day}, {published.year}"
    )
    head = [stamp, title, f"By {reporter}, {outlet}", ""]
    tail = ["", f"\u00a9 {published.year} {outlet}. All rights reserved."]
    return "\n".join(head) + "\n" + "\n\n".join(paras) + "\n" + "\n".join(tail) + "\n", published


def generate(
    n: int, seed: int = 1, days: int = 60, base: datetime | None = None
) -> list[tuple[str, str, int, datetime]]:
    """``n`` articles as (file name, text, event id, published), events of 3-8 articles."""
    rng = random.Random(seed)
    base = base or datetime(2026, 1, 5, 0, 0)
    pool = outlets()
    out: list[tuple[str, str, int, datetime]] = []
    eid = 0
    while len(out) < n:
        ev = make_event(eid, rng, base, days)
        size = min(rng.randint(3, 8), n - len(out))
        for k, outlet in enumerate(rng.sample(pool, size)):
            text, published = article_text(ev, k, outlet, rng)
            slug = outlet.lower().replace(" ", "-")
            out.append((f"e{eid:05d}_{k}_{slug}.txt", text, eid, published))
        eid += 1
    # Ingest order: by publication time, as feeds would deliver them.
    out.sort(key=lambda t: (t[3], t[0]))
    return out


def write_corpus(folder: Path, n: int, seed: int = 1, days: int = 60) -> list[Path]:
    """Write the corpus into ``folder`` (files named NNNNNN_<event>_<outlet>.txt in ingest order)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    manifest: dict[str, int] = {}
    for i, (name, text, eid, _published) in enumerate(generate(n, seed, days)):
        p = folder / f"{i:06d}_{name}"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
        manifest[p.name] = eid
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Write a corpus and print a short summary."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--days", type=int, default=60)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    paths = write_corpus(args.out, args.n, args.seed, args.days)
    dt = time.perf_counter() - t0
    n_words = [len(p.read_text(encoding="utf-8").split()) for p in paths[:500]]
    print(
        f"wrote {len(paths)} articles to {args.out} in {dt:.2f} s; "
        f"words per article (first 500): min {min(n_words)}, median "
        f"{sorted(n_words)[len(n_words) // 2]}, max {max(n_words)}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
