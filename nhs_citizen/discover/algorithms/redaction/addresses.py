"""Home addresses (postcodes are their own kind, see postcodes.py).

- ``street_address``: a house number and a street ending in a street word ("12 High Street",
  "27b church road", "Flat 3, 45 Station Road", "Apartment 12, Victoria Court, 8 King's Road"),
  with an optional town after a comma.
- ``flat_in_building``: a flat, apartment, room, unit or block number and a named building, no
  street word needed ("Flat 4, Rosewood Court", "flat 12 kestrel tower", "Room 3, Lavender
  Lodge").
- ``number_the_name``: a number and "The ..." ("8 The Paddocks", "56 the crescent").
- ``house_name``: a capitalised house or building name ("Rose Cottage", "Meadow View",
  "Holly Lodge, 1 Orchard Close") after words that introduce a place ("live at", "sent to",
  "is my address", "couldn't find"); a name ending in Cottage, Farmhouse, Bungalow, Rectory
  or Vicarage anywhere.
- ``flat_number_alone``: "flat 9", "Apartment 2B" on their own.
- ``the_name_after_intro``: "The ..." after words that introduce a place ("post to The
  Laurels, Main Street", "visits me at The Old Post Office").
- ``number_and_name``: a house number and a name with no street word, after words that
  introduce a place or just before a postcode ("I live at 14 Kirkgate, Otley", "12 Oakfield,
  LS1 4AP").
- ``after_address_cue``: whatever follows "my address is", "address:", "I live at",
  "we live at" up to the end of the clause.
"""

from __future__ import annotations

import re

from .base import Doc, Rule, trim

STREET_WORDS = (
    "Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Crescent|Cres|Court|Ct|Place|Pl|"
    "Grove|Gardens|Gdns|Terrace|Walk|Mews|Hill|Row|Square|Sq|Green|Park|Rise|View|Parade|"
    "Gate|Gates|Yard|Wharf|Fields|Meadow|Meadows|Vale|Wood|Woods|Hollow|Circus|Broadway|"
    "Embankment|Boulevard|Croft|Chase|Dale|End|Garth|Glen|Heights|Brow|Bank|Approach|"
    "Causeway|Lawn|Lawns|Mead|Orchard|Passage|Path|Quay|Ridge|Side|Wynd|Loan|Brae|Fold|"
    "Nook|Pastures|Promenade|Market|Copse|Grange|Mount|Circle|Oval|Bridge|Paddock|Paddocks|"
    "Mall|Reach|Acre|Acres|Hey|Spinney|Coppice|Field|Common|Down|Downs|Manor|Cottages|Leys|"
    "Bottom|Lea|Willows|Limes|Laurels|Beeches|Maltings|Sidings|Moorings|Heol|Ffordd|Stryd"
)
BUILDING_WORDS = (
    "Court|House|Lodge|Mansions|Tower|Towers|Heights|Cottage|Cottages|Hall|Buildings|Point|"
    "Works|Mill|Farm|Farmhouse|Place|Gardens|Apartments|Flats|Residences|Wharf|Quay|Manor|"
    "Grange|Villas|Villa|Estate|Home|Bungalow|Barn|Rectory|Vicarage|Schoolhouse|View|Ridge|"
    "Bank|Croft|Mews|Close|Chambers|Block|Centre|Rise|End"
)
_LOWER_STREET = "road|rd|street|st|lane|ln|avenue|ave|crescent|terrace|gardens|grove|mews|close|drive|way|court|place|walk|row|square|parade|green|view|rise"
_NOT_BEFORE_LOWER = (
    r"(?!(?:hours?|hrs?|minutes?|mins?|miles?|days?|weeks?|months?|years?|times?|people|steps?|"
    r"seconds?|secs?|of|the|a|and|or|to|in|on|at|way|one|two|more|less|other|min|mile|yard|"
    r"metres?|meters?|km|car|bus|taxi|minute)\b)"
)
_CAP = r"[A-Z][a-zà-öø-ÿŷâêîôû]+"
_WORD = (
    rf"(?:St\.?|Saint|{_CAP}(?:['’]s)?(?:-{_CAP})*|[A-Z][a-z]*['’][A-Z][a-z]+|"
    rf"(?:Mc|Mac){_CAP}|Tŷ|[a-z]{{1,2}}(?= [A-Z]))"
)
_NUM = r"(?:(?i:no\.?|number)\s?)?\d{1,4}[A-Za-z]?(?:\s?[-–/]\s?\d{1,4}[A-Za-z]?)?"
_NOT_TOWN = (
    r"(?!(?:The|And|But|So|I|We|He|She|They|It|My|Our|Your|Thanks|Thank|Please|Which|Who|"
    r"This|That|There|Then|When|Where|If|As|In|On|At|For|Very|Staff|Everyone|All|Also|"
    r"Nurse|Doctor|Dr|Mr|Mrs|Ms|Miss|Hospital|Ward|Not|No|Yes|NHS|GP)\b)"
)
_TOWN_WORD = rf"{_NOT_TOWN}(?:St\.? )?{_CAP}(?:['’]s)?(?:-(?:upon|on|under|le|in|by|{_CAP}))*"
_TOWN = rf"{_TOWN_WORD}(?:(?: (?:upon|on|under|le|in|by))? {_TOWN_WORD}){{0,2}}"
_TOWN_TAIL = rf"(?:,\s*{_TOWN}(?![\w'’])|\s*\n\s*{_TOWN}(?![\w'’]))?"
_UNIT = r"(?i:flat|apartment|apt\.?|unit|studio|room|suite|block|no\.?)"
_UNIT_NUM = r"(?:[A-Z]?/?\d{1,4}[A-Za-z]?(?:/\d{1,3})?|[A-Z])"
_PREFIX = rf"(?:{_UNIT}\s?{_UNIT_NUM},?\s+)"
_BUILDING = rf"(?:(?:{_WORD}\s+){{1,3}}(?:{BUILDING_WORDS}),?\s+)"
_STREET = rf"(?:{_WORD}\s+){{1,3}}(?i:{STREET_WORDS})\.?(?![\w'’])"
_STREET_LOWER = (
    rf"{_NOT_BEFORE_LOWER}(?:(?:st\.?|saint)\s+)?[a-z]+['’]?s?(?:\s+{_NOT_BEFORE_LOWER}[a-z]+['’]?s?)?"
    rf"\s+(?:{_LOWER_STREET})(?![\w'’])"
)

_STREET_ADDRESS = re.compile(
    rf"(?<![\w\-])(?:{_PREFIX}{{0,2}}{_BUILDING}?{_NUM},?\s+(?:{_STREET}|{_STREET_LOWER})"
    rf"|{_PREFIX}{{1,2}}{_BUILDING}?{_STREET}){_TOWN_TAIL}"
)
_BUILDING_ANY_CASE = (
    rf"(?:the\s+)?(?:[A-Za-z][a-z'’]*\s+){{0,3}}(?i:{BUILDING_WORDS}|care home|nursing home|"
    rf"school house|coach house)(?![\w'’])"
)
_FLAT_IN_BUILDING = re.compile(
    rf"(?<![\w\-]){_PREFIX}{{0,1}}{_UNIT}\s?{_UNIT_NUM},?\s+{_BUILDING_ANY_CASE}(?:,\s*{_TOWN}(?![\w'’]))?"
)
_NUMBER_THE = re.compile(
    rf"(?<![\w\-])(?!111\b|999\b){_NUM},?\s+(?:The|the)\s+(?:{_CAP}|{_LOWER_STREET})(?:\s+{_CAP})?(?![\w'’])"
    rf"{_TOWN_TAIL}"
)
HOUSE_WORDS = (
    "Cottage|House|Lodge|Farm|Farmhouse|Barn|Bungalow|Rectory|Vicarage|View|Ridge|Croft|"
    "Grange|Manor|Mill|Hall|Villa|Court|Mansions|Tower|Towers|Heights|Buildings|Point|Bank"
)
_HOUSE_NAME = rf"(?:[Tt]he\s+)?(?:{_WORD}\s+){{0,3}}(?:{HOUSE_WORDS})(?![\w'’])"
_INTRO = (
    r"(?:live|living|lives|stay|staying|staying|moved|move)\s+(?:at|to|in)|(?:sent|send|post|posted|"
    r"deliver|delivered|went|go|goes|come|comes|came|visit|visits|collected\s+me|picked\s+me\s+up)"
    r"\s+(?:\w+\s+){0,3}?(?:to|at|from)|(?:i'?m|we'?re|is|are)\s+at|couldn'?t\s+find|"
    r"address\s+is|house\s+is|home\s+is|home:|address:"
)
_LOWER_HOUSE = r"(?i:the\s+(?:old\s+)?)(?i:farmhouse|bungalow|cottage|lodge|barn|rectory|vicarage|coach house|school house|farm)"
_HOUSE_AFTER_INTRO = re.compile(
    rf"(?i:\b(?:{_INTRO}))\s+((?:{_HOUSE_NAME}|{_LOWER_HOUSE})(?:,\s*(?:{_NUM}\s+)?{_STREET}|,\s*{_HOUSE_NAME})?"
    rf"(?:,\s*{_TOWN}(?![\w'’]))?)"
    rf"(?!\s+(?i:hospital|hospice|surgery|centre|practice|clinic|ward|wing|trust|unit))"
)
_CUE = re.compile(
    r"\b(?i:my\s+(?:new\s+)?(?:home\s+)?address(?:\s+is|:)|address:|home\s+is|"
    r"(?:i|we)\s+live\s+at|my\s+house\s+is)\s*"
    r"((?:the\s+)?[A-ZŶ][^\s,.;!?]*(?:\s+(?!(?i:near|and|but|not|which|so|on|in|the|is|was)\b)"
    r"[\wŶŷ'’][^\s,.;!?]*){0,3}(?:,\s*[A-ZŶ][^\s,.;!?]*(?:\s+(?!(?i:near|and|but|not|which|so|on|in|is|was)\b)"
    r"[a-zA-Z'’][^\s,.;!?]*){0,3})?)"
)


_NOT_ORG = (
    r"(?!(?i:hospital|hospice|surgery|centre|center|practice|clinic|ward|wing|trust|unit|team|"
    r"service|services|nurses?|department|group|pharmacy|health|ambulance|district)\b)"
)
_THE_NAME_AFTER_INTRO = re.compile(
    rf"(?i:\b(?:{_INTRO}))\s+((?:The|the)\s+(?:{_NOT_ORG}{_WORD}\s+){{0,2}}{_NOT_ORG}{_WORD}(?![\w'’])"
    rf"(?:,\s*(?:{_NUM}\s+)?{_STREET})?(?:,\s*{_TOWN}(?![\w'’]))?)"
    rf"(?!\s+(?i:hospital|hospice|surgery|centre|practice|clinic|ward|wing|trust|unit))"
)
# Words that name a home and nothing else: "Keepers Cottage" needs no "I live at".
_HOME_ONLY = re.compile(
    r"(?<![\w'’])(?:[A-Z][\w'’\-]*\s+){1,3}(?:Cottage|Farmhouse|Bungalow|Rectory|Vicarage)(?![\w'’])"
    r"(?!\s+(?i:hospital|hospice|surgery|centre|practice|clinic|ward|wing|trust|unit))"
)
_NUMBER_AND_NAME_AFTER_INTRO = re.compile(
    rf"(?i:\b(?:{_INTRO}))\s+({_PREFIX}{{0,2}}(?!111\b|999\b){_NUM},?\s+(?:{_WORD}\s+){{0,2}}{_WORD}(?![\w'’])"
    rf"(?:,\s*{_TOWN}(?![\w'’]))?)"
    rf"(?!\s+(?i:hospital|hospice|surgery|centre|practice|clinic|ward|wing|trust|unit))"
)
_NUMBER_AND_NAME_BEFORE_POSTCODE = re.compile(
    rf"(?<![\w\-]){_PREFIX}{{0,2}}{_NUM},?\s+(?:{_WORD}\s+){{0,2}}{_WORD}(?:,\s*{_TOWN})?(?=,?\s*\x00)"
)


def _spans(pattern: re.Pattern[str], text: str, group: int = 0):
    for m in pattern.finditer(text):
        start, end = trim(text, *m.span(group))
        if end > start:
            yield start, end


_FLAT_ALONE = re.compile(rf"(?<![\w\-])(?i:flat|apartment|apt\.?)\s?{_UNIT_NUM}(?![\w/])")


def flat_alone(doc: Doc):
    yield from _spans(_FLAT_ALONE, doc.text)


def street_address(doc: Doc):
    yield from _spans(_STREET_ADDRESS, doc.text)


def flat_in_building(doc: Doc):
    yield from _spans(_FLAT_IN_BUILDING, doc.text)


def number_the_name(doc: Doc):
    yield from _spans(_NUMBER_THE, doc.text)


def house_name(doc: Doc):
    yield from _spans(_HOUSE_AFTER_INTRO, doc.text, 1)
    yield from _spans(_HOME_ONLY, doc.text)


def the_name_after_intro(doc: Doc):
    yield from _spans(_THE_NAME_AFTER_INTRO, doc.text, 1)


def number_and_name(doc: Doc):
    yield from _spans(_NUMBER_AND_NAME_AFTER_INTRO, doc.text, 1)
    yield from _spans(_NUMBER_AND_NAME_BEFORE_POSTCODE, doc.text)


def after_address_cue(doc: Doc):
    yield from _spans(_CUE, doc.text, 1)


RULES = [
    Rule("street_address", "address", street_address),
    Rule("flat_in_building", "address", flat_in_building),
    Rule("number_the_name", "address", number_the_name),
    Rule("house_name", "address", house_name),
    Rule("number_and_name", "address", number_and_name),
    Rule("the_name_after_intro", "address", the_name_after_intro),
    Rule("flat_number_alone", "address", flat_alone),
    Rule("after_address_cue", "address", after_address_cue),
]
