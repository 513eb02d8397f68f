"""Word lists that decide what may be a person: given names with gender, openers, group nouns.

Hand-written gazetteers (no name/gender package is among the project's allowed dependencies):
common given names across the languages of English-language news, sentence openers that must
never become a speaker, and the nouns that name documents, organisations and described sources.
"""

from __future__ import annotations

import re
from functools import lru_cache

from summarizer.quotes.speakers import word_set

FEMALE_NAMES = word_set(
    """
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty
    margaret sandra ashley kimberly emily donna michelle carol amanda dorothy melissa deborah
    stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma
    nicole helen samantha katherine christine debra rachel carolyn janet catherine maria heather
    diane ruth julie olivia joyce virginia victoria kelly lauren christina joan evelyn judith
    megan andrea cheryl hannah jacqueline martha gloria teresa ann sara madison frances kathryn
    janice jean abigail alice judy sophia grace denise amber doris marilyn danielle beverly
    isabella theresa diana natalie brittany charlotte marie kayla alexis lori ingrid greta ines
    marta hedda astrid sigrid helga ilse lena leona rosa mila nadia fenna jana elsie lise noor
    tilde sunniva beatriz dora petra marit priya mirela ellen ada vera hanna sofia rania amira
    carla nora alma layla dagny rita corinne sonja kara ines agnes yasmin fatima aisha leila
    chloe zoe ella mia ava harper amelia lily ruby freya isla elena irina olga natalia svetlana
    tatiana anya katya marina magda beata agnieszka ewa ursula gudrun birgit kirsten annika
    maja mette hilde solveig camille claire sophie juliette amelie chantal nathalie isabelle
    francesca giulia chiara lucia carmen pilar dolores mercedes guadalupe ximena valentina
    camila paula lucy kate katie jane joanne julia susanne ruthie beth meg peg maggie molly
    holly heidi hillary kamala nikki liz tara tina gina lena nina rosie rose daisy fiona
    siobhan aoife niamh mairead bridget eileen kathy cathy debbie jenny wendy sally sue
    hope faith joy dawn april june grace rose ivy iris violet pearl
    """
)
MALE_NAMES = word_set(
    """
    james robert john michael david william richard joseph thomas charles christopher daniel
    matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy
    ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott
    brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron
    jose adam nathan henry douglas zachary peter kyle ethan walter noah jeremy christian keith
    roger terry gerald harold sean austin carl arthur lawrence dylan jesse jordan bryan billy joe
    bruce gabriel logan albert willie alan juan wayne elijah randy roy vincent ralph eugene
    russell bobby mason philip louis oskar oscar pavel emil victor jonah omar harold hugo rowan
    lionel ian dale tom kit hollis anton bram malik rune colm gus ole ezra ivo arne harald felix
    ludo derek pekka tomasz tomas tobias joel kai bertrand ari dev sami marcus lars nils sven
    erik anders magnus olaf bjorn jens hans klaus jurgen dieter wolfgang stefan markus lukas
    jan piotr pawel krzysztof tomek ivan sergei dmitry vladimir mikhail alexei boris yuri igor
    oleg andriy volodymyr taras pierre jean-luc jacques francois michel andre luc marco luca
    giovanni giuseppe antonio francesco alessandro carlos miguel javier diego pedro rafael
    manuel pablo alejandro mohammed muhammad ahmed ali hassan hussein karim khalid tariq yusuf
    ibrahim mustafa rashid raj rahul arjun vikram sanjay amit ravi kenji hiroshi takeshi wei
    chen jun min ji-hoon seamus liam conor cian niall declan brendan fergus angus hamish rory
    callum jamie will grant dean wade miles drew ray guy glen lee gene earl art bill bob jim mike steve dave tony chris rick dan ben sam nick matt greg jeff
    owen carl evan ted ed fred pete joey tim andy rob ron don doug phil ken chuck hank barack mitch chuck
    """
)
HONORIFIC_GENDER = {"mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f",
                    "miss": "f", "sir": "m", "dame": "f", "lady": "f", "lord": "m", "king": "m",
                    "queen": "f", "prince": "m", "princess": "f"}
GENDERED_ROLES = {"spokeswoman": "f", "chairwoman": "f", "councilwoman": "f", "congresswoman": "f",
                  "assemblywoman": "f", "alderwoman": "f", "businesswoman": "f", "spokesman": "m",
                  "chairman": "m", "councilman": "m", "congressman": "m", "assemblyman": "m",
                  "alderman": "m", "businessman": "m", "father": "m", "mother": "f",
                  "brother": "m", "sister": "f", "husband": "m", "wife": "f", "son": "m",
                  "daughter": "f", "grandmother": "f", "grandfather": "m", "widow": "f"}
_MALE_A = word_set("luca nikita joshua ezra elijah mustafa musa isa andrea sasha misha jonah "
                   "noah micah zacharia")

# Capitalised words that open sentences and never name a person or become the topic.
OPENERS = word_set(
    """
    having currently three two one four five six seven eight nine ten some many most several few
    down not no none all both each every other another such much more less only even just still
    yet already also now then today tonight yesterday tomorrow however meanwhile instead indeed
    despite although though while when after before since until because unless if as at in on
    by for from with without under over into onto upon about across around among between
    behind beyond during near through throughout toward towards within here there this that
    these those what which who whom whose why how where asked speaking according following
    given later earlier last next first second third finally overall again above below
    photo photos courtesy credit source image video watch read listen related subscribe updated
    editor note advertisement sponsored file getty reuters ap afp cp said says added asked
    """
)
STATE_ABBREVIATIONS = word_set(
    """
    ala alaska ariz ark calif colo conn del fla ga hawaii idaho ill ind iowa kan ky la me md mass
    mich minn miss mo mont neb nev nh nj nm ny nc nd ohio okla ore pa ri sc sd tenn tex utah vt va
    wash wva wis wyo dc ont que qc bc alta sask man ns nb nl pei nwt yukon nunavut
    """
)
# Plural or collective nouns that name a described (anonymous) source: "officials said".
GROUP_NOUNS = word_set(
    """
    officials police staff organisers organizers residents critics lawyers attorneys doctors
    experts analysts workers neighbours neighbors witnesses protesters protestors sources
    investigators authorities parents teachers students officers firefighters paramedics
    prosecutors economists scientists researchers supporters opponents advocates activists
    executives managers employees members leaders voters fans players miners farmers growers
    shoppers commuters drivers nurses locals villagers owners landlords tenants volunteers
    spokespeople representatives negotiators diplomats observers demonstrators picketers
    family families couple crowd
    """
)
# Singular nouns for people that a role phrase can end in ("the 19-year-old winger").
PERSON_NOUNS = word_set(
    """
    winger forward striker defender goalie goalkeeper midfielder pitcher quarterback rookie
    veteran promoter singer artist actor actress musician writer novelist poet designer chef
    baker owner neighbour neighbor witness resident rider runner skier player athlete champion
    retiree mother father man woman boy girl teenager youngster grandmother grandfather widow
    victim survivor passenger customer patient parent caller viewer reader voter protester
    protestor source insider aide staffer employee member entrepreneur founder landlord tenant
    fan miner grower shopper commuter local villager immigrant refugee official spokesperson
    negotiator mediator colleague deputy rival partner counterpart guest
    """
)
AGE_NOUN_RE = re.compile(r"^\d+-year-old$")
# Documents and statements whose owner is the source ("her statement said").
DOC_NOUNS = word_set(
    """
    report statement letter memo memorandum lawsuit suit filing complaint study audit review
    release email e-mail post tweet note notice ruling decision judgment judgement motion
    petition brief submission document documents affidavit order press transcript minutes
    """
)
# Units that speak for their owner and are kept in the answer ("Tobias Renn's office").
UNIT_NOUNS = word_set("office campaign team staff lawyer lawyers spokesperson spokesman spokeswoman")
# Generic heads that point back to an organisation named earlier ("the utility said").
ORG_GENERICS = word_set(
    """
    company utility agency ministry department commission board council committee firm
    government authority newspaper paper broadcaster network outlet union association group
    club team city province state school district hospital university institute court
    operator regulator bank insurer airline carrier retailer manufacturer developer
    organisation organization charity party coalition campaign office
    """
)
# Extra last words that make a capitalised phrase an organisation.
EXTRA_ORG_WORDS = word_set(
    """
    water energy power gas rail railway railways airlines airways mining mines chemicals capital
    trust motors foods pharma pharmaceuticals health healthcare telecom holdings partners
    industries solutions systems technologies labs insurance construction logistics shipping
    tunnelling tunneling transit transport ledger gazette courier herald tribune sports society
    port hospital school clinic church museum library airport council caucus ventures
    street road avenue crescent drive lane boulevard square park
    """
)


def gender_of_given(word: str) -> str:
    """'f', 'm' or '' for a given name (gazetteer first, then a common female ending)."""
    low = word.lower().strip(".")
    if low in FEMALE_NAMES:
        return "f"
    if low in MALE_NAMES:
        return "m"
    if len(low) > 2 and low.endswith(("a", "ette", "elle")) and low not in _MALE_A:
        return "f"
    return ""


def is_given_name(word: str) -> bool:
    """Whether ``word`` is a common given name."""
    low = word.lower()
    return low in FEMALE_NAMES or low in MALE_NAMES


@lru_cache(maxsize=4096)
def common_word(word: str) -> bool:
    """Whether a capitalised single word is a frequent English word (so not a bare surname)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en", wordlist="small") >= 4.0


_CONTRACTION_RE = re.compile(r"^[a-z]{1,5}[’'](?:d|ve|m|ll|re|t)$")


def never_name(word: str) -> bool:
    """Words that may not start a person's name: openers, numbers, state abbreviations,
    contractions ("I’d"), single letters."""
    low = word.lower().strip(".")
    return (low in OPENERS or low in STATE_ABBREVIATIONS or low.endswith("ing")
            or (low.endswith("ly") and len(low) > 4) or any(c.isdigit() for c in low)
            or len(low) <= 1 or bool(_CONTRACTION_RE.match(low)))


@lru_cache(maxsize=4096)
def sentence_word(word: str) -> bool:
    """A very common English word that is not a given name ("Whether", "Once", "Enter"): in
    front of a name it is the sentence's first word, not part of the name."""
    from wordfreq import zipf_frequency

    return not is_given_name(word) and zipf_frequency(word.lower(), "en", wordlist="small") >= 4.8


def is_person_noun(word: str) -> bool:
    """A singular noun for a person ("winger", "47-year-old")."""
    low = word.lower()
    return low in PERSON_NOUNS or bool(AGE_NOUN_RE.match(low))
