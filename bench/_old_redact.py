"""A frozen copy of the redactor before ADR 0023 (named rules), kept only so that
bench/redaction.py can compare old and new in one run. Not used by the app.

Find and redact personal data in public comments (pure Python, no Django).

Discover takes in comments from the public. Before any of it is shown, this module replaces
personal data with a typed placeholder:

=============  ===================  ==========================================================
kind           placeholder          what is found
=============  ===================  ==========================================================
nhs_number     ``[NHS number]``     10 digits (``943 476 5919``, ``943-476-5919``,
                                    ``9434765919``) that pass the Modulus 11 check
phone          ``[phone number]``   UK mobiles and landlines with a ``0``, ``+44`` or ``0044``
                                    start, spaces, dashes and brackets, ``+44 (0)``
email          ``[email address]``  e-mail addresses
postcode       ``[postcode]``       every valid UK postcode shape, any case, with or without
                                    the space (``SW1A 1AA``, ``ls14ap``, ``M1 1AE``)
address        ``[address]``        a house number (``12``, ``27b``, ``1-3``) and a street
                                    ending in a street word (Road, Lane, Close...), with an
                                    optional ``Flat 3,`` / ``Apartment 12, Victoria Court,``
                                    before it and an optional town after a comma
name           ``[name]``           people's names, see below
=============  ===================  ==========================================================

How names are found. There is a gazetteer of common UK forenames and surnames across the UK's
communities (``uk_names.txt``, looked up in a set) and a set of context rules:

- a title or role word before the name: Dr, Mr, Mrs, Ms, Miss, Prof, Sir, Sister, Nurse,
  doctor, paramedic, midwife... (``Dr Patel's`` gives ``Dr [name]'s``; the title is kept);
- a phrase before it: "my name is", "called", "thanks to", "thank you to", "my husband",
  "my mum"... and lists after them ("thanks to Priya and Tom");
- a role after it: "Sarah on reception", "Sarah, the receptionist";
- a run of capitalised words that holds a known forename or surname ("Mohammed Khan").

Words that are also names (Will, May, Hope, Grace, Mark...) count as names only with a title
or another name next to them; place and organisation words (Hospital, Trust, NHS, GP, A&E,
Road...), days and months are never names. Placeholders already in the text are never
redacted again, so ``redact`` is idempotent.

Kinds are found in the order of ``KINDS``; a later kind never overlaps an earlier one.

Scoring (``score`` and the benchmark). A gold span is *found* when predicted spans of the same
kind cover at least 50% of its characters. A predicted span is *correct* when gold spans of
the same kind cover at least 50% of its characters. Recall = found / gold spans and precision
= correct / predicted spans, per kind.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path

KINDS = ("nhs_number", "phone", "email", "postcode", "address", "name")
PLACEHOLDERS = {
    "nhs_number": "[NHS number]",
    "phone": "[phone number]",
    "email": "[email address]",
    "postcode": "[postcode]",
    "address": "[address]",
    "name": "[name]",
}

# The order the detectors run in: an earlier kind wins where two would overlap.
_ORDER = ("email", "nhs_number", "phone", "postcode", "address", "name")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Redaction:
    text: str
    spans: tuple[Span, ...]  # spans refer to the ORIGINAL text

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(KINDS, 0)
        for span in self.spans:
            out[span.kind] += 1
        return out


# --------------------------------------------------------------------------- structured kinds

_PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))

_EMAIL_RE = re.compile(
    r"(?<![\w.%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,24}(?![\w\-])"
)

_NHS_RE = re.compile(
    r"(?<![\w+\-)])(?<!\d )(?<!\+44 )(\d{3})([ \-]?)(\d{3})\2(\d{4})(?![\w\-])(?! \d)"
)

# A candidate phone number: a 0, +44 or 0044 start, then digits with single spaces, dashes or
# brackets between them. The digits are checked in _phone_ok.
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:(?:\+|\b00)[ \-]?44[ \-]?(?:\(0\)[ \-]?)?|\(0|\b0)"
    r"\d(?:(?:\)\s?|[ \-]|\s?\()?\d){8,10}(?![\w])"
)

_POSTCODE_RE = re.compile(
    r"(?<![\w\-])"
    r"(?:GIR ?0AA|"
    r"(?:[A-PR-UWYZ](?:\d[A-HJKPSTUW]?|\d\d|[A-HK-Y]\d[ABEHMNPRV-Y]?|[A-HK-Y]\d\d?)"
    r" ?\d[ABD-HJLNP-UW-Z]{2}))"
    r"(?![\w\-])",
    re.IGNORECASE,
)


def nhs_number_is_valid(digits: str) -> bool:
    """True when ``digits`` (spaces and dashes allowed) is 10 digits with a valid check digit.

    Modulus 11: weight the first nine digits 10, 9, ..., 2, add them up, take the remainder
    on dividing by 11 and subtract it from 11. 11 means a check digit of 0; 10 is never valid.
    """
    clean = digits.replace(" ", "").replace("-", "")
    if len(clean) != 10 or not clean.isascii() or not clean.isdigit():
        return False
    total = sum(int(clean[i]) * (10 - i) for i in range(9))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(clean[9])


def _phone_ok(match: str) -> bool:
    digits = "".join(c for c in match if c.isdigit())
    if match.lstrip().startswith(("+", "00")):
        digits = digits[2:] if digits.startswith("00") else digits
        digits = digits[2:]  # the 44
        if not digits.startswith("0"):
            digits = "0" + digits
    if not digits.startswith("0") or digits[1:2] in ("0", ""):
        return False
    if len(digits) == 11:
        return True
    # Some numbers have 10 digits (a few 01 areas, 0800 numbers), and people drop a digit;
    # mobiles always have 11.
    return len(digits) == 10 and digits[1] != "7"


# ------------------------------------------------------------------------------------ address

_STREET_SUFFIXES = (
    "Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Way|Crescent|Cres|Court|Ct|Place|Pl|"
    "Grove|Gardens|Gdns|Terrace|Walk|Mews|Hill|Row|Square|Sq|Green|Park|Rise|View|Parade|"
    "Gate|Gates|Yard|Wharf|Fields|Meadow|Meadows|Vale|Wood|Woods|Hollow|Circus|Broadway|"
    "Embankment|Boulevard|Croft|Chase|Dale|End|Garth|Glen|Heights|Brow|Bank|Approach|"
    "Causeway|Lawn|Lawns|Mead|Orchard|Passage|Path|Quay|Ridge|Side|Wynd|Loan|Brae|Fold|"
    "Nook|Pastures|Promenade|Market|Copse|Grange|Mount|Circle|Oval|Bridge|Paddock|Mall|"
    "Reach|Acre|Acres|Hey|Spinney|Coppice|Field|Common|Down|Downs|Manor|Cottages|Leys|"
    "Bottom|Lea|Rd\\.|St\\.|Ave\\."
)
# Lower-case street words that are safe after a number ("12 high street" but not "5 mins walk").
_LOWER_SUFFIXES = "road|street|lane|avenue|crescent|terrace|gardens|grove|mews"
_BUILDING_WORDS = (
    "Court|House|Lodge|Mansions|Tower|Towers|Heights|Cottage|Cottages|Hall|Buildings|Point|"
    "Works|Mill|Farm|Place|Gardens|Apartments|Flats|Residences|Wharf|Quay|Manor|Grange|Villas"
)
_CAP = r"[A-Z][a-zà-öø-ÿ]+"
_WORD = (
    rf"(?:St\.?|Saint|{_CAP}(?:['’]s)?(?:-{_CAP})*|[A-Z][a-z]*['’][A-Z][a-z]+|"
    rf"(?:Mc|Mac){_CAP})"
)
_NUM = r"\d{1,4}[A-Za-z]?(?:\s?[-–/]\s?\d{1,4}[A-Za-z]?)?"
_NOT_TOWN = (
    r"(?!(?:The|And|But|So|I|We|He|She|They|It|My|Our|Your|Thanks|Thank|Please|Which|Who|"
    r"This|That|There|Then|When|Where|If|As|In|On|At|For|Very|Staff|Everyone|All|Also|"
    r"Nurse|Doctor|Dr|Mr|Mrs|Ms|Miss|Hospital|Ward|Not|No|Yes)\b)"
)
_TOWN_WORD = rf"{_NOT_TOWN}(?:St\.? )?{_CAP}(?:['’]s)?(?:-(?:upon|on|under|le|in|by|{_CAP}))*"
_TOWN = rf"{_TOWN_WORD}(?:(?: (?:upon|on|under|le|in|by))? {_TOWN_WORD}){{0,2}}"
_PREFIX = r"(?:(?i:flat|apartment|apt\.?|unit|studio|room|suite)\s?\d{1,4}[A-Za-z]?,?\s+)"
_BUILDING = rf"(?:(?:{_WORD}\s+){{1,3}}(?:{_BUILDING_WORDS}),?\s+)"
_STREET = rf"(?:{_WORD}\s+){{1,3}}(?i:{_STREET_SUFFIXES})(?![\w'’])"
_LOWER_STREET = (
    r"(?!(?:hours?|hrs?|minutes?|mins?|miles?|days?|weeks?|months?|years?|times?|people|"
    r"of|the|a|and|or|to|in|on|at|way|one|two|more|less|other)\b)[a-z]+(?:\s+(?!(?:of|the|"
    rf"and|or|to|in|on|at|down|up|along|across)\b)[a-z]+)?\s+(?:{_LOWER_SUFFIXES})(?![\w'’])"
)
_MARK = "\x02"  # what a postcode is masked with before addresses are looked for
_TOWN_TAIL = rf"(?:(?:,\s*|\s*\n\s*){_TOWN}(?![\w'’])|\s+{_TOWN}(?=,?\s*{_MARK}))?"

_ADDRESS_RE = re.compile(
    rf"(?<![\w\-])(?:"
    # Flat 3, 45 Station Road / Apartment 12, Victoria Court, 8 King's Road / 27b Church Lane
    rf"{_PREFIX}?{_BUILDING}?{_NUM},?\s+(?:{_STREET}|{_LOWER_STREET})"
    # Flat 7, Jones Road (no house number after a flat)
    rf"|{_PREFIX}{_BUILDING}?{_STREET}"
    # 12 Oakfield, Leeds, LS1 4AP: a number and a name just before a postcode
    rf"|{_PREFIX}?{_NUM},?\s+(?:{_WORD}\s+){{0,2}}{_WORD}(?=,?\s*(?:{_TOWN},?\s*)?{_MARK})"
    rf"){_TOWN_TAIL}"
)


# -------------------------------------------------------------------------------------- names


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@cache
def _gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    forenames: set[str] = set()
    surnames: set[str] = set()
    section = forenames
    path = Path(__file__).resolve().parent.parent / "nhs_citizen/discover/algorithms/uk_names.txt"
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line == "[forenames]":
            section = forenames
        elif line == "[surnames]":
            section = surnames
        else:
            section.add(line.lower().replace("’", "'"))
    return frozenset(forenames), frozenset(surnames)


# Forenames (and surnames) that are also everyday English words: names only in context.
_AMBIGUOUS = _words(
    """will may hope grace faith joy rose summer daisy holly ivy pat bill mark sue jack frank
    dawn april june amber ruby jade crystal rich rob sunny dean victor art guy max ray gene
    robin jay jean carol eve don drew chase hunter skip bob sky sandy rusty penny honey
    precious comfort patience mercy blessing angel star ali lee sam jo jan jun li lin ho
    lam chan wei mei hui ling xin minh linh ana nick dale hall wood hill green white brown
    black king cook bell hunt young day west price fox ford ball lane page little lord stone
    swift short marsh moss lamb hart read sharp wells woods grant burns long winter summers
    mills barnes brooks porter potter baker mason fisher butler carter turner cooper parker
    gardner ward rice gill obi eze lucas norris wade rowe cole bishop steele swan wain
    holt kemp dyer lambert little sheppard ryder savage pratt preston rhodes norton grey
    gray wing""".replace("\n", " ")
)

# Capitalised words that are never names: places, organisations, the NHS, days and months,
# and everyday words that start sentences or follow "thank you".
_STOP = _words(
    """the a an and but or so if then than i we you he she it they me us him them my our your
    his her its their this that these those there here what when where why how who whom
    which very really thank thanks thankyou ty cheers please yes no not all any every
    everyone everybody everything nothing something someone anyone staff team teams great
    good excellent lovely kind amazing brilliant fantastic friendly helpful nice well just
    also overall after before at on in from to for with by of as because although though
    even once only again always never sometimes would could should can cannot did do does
    had has have was were is are be been being am might must shall got get went go came come
    took take made make saw see told said asked felt feel found gave kept left let seemed
    waited wait everything absolutely lots much many more most less some other others same
    such own one two three four five six first second third last next new old long quick
    quickly slow happy sad sorry ok okay hi hello dear regards best kind kindest wonderful
    outstanding superb professional caring polite rude efficient prompt hospital hospitals
    trust trusts nhs gp gps ae a&e ward wards unit units surgery surgeries practice centre
    center clinic clinics department dept team service services health healthcare care
    medical emergency ambulance ambulances paramedic paramedics pharmacy pharmacist chemist
    reception receptionist receptionists practitioner nurse nurses doctor doctors consultant
    consultants surgeon surgeons midwife midwives matron sister sisters physio physios
    physiotherapy royal general infirmary university community council county city town
    street road lane avenue close drive way park house court station covid coronavirus
    vaccine vaccination booster christmas easter english british uk england scotland wales
    ireland britain london north south east west northern southern eastern western upper
    lower central great monday tuesday wednesday thursday friday saturday sunday january
    february march august september october november december mon tue wed thu fri sat sun
    jan feb mar apr jun jul aug sep sept oct nov dec mental maternity children childrens
    outpatients outpatient inpatient inpatients radiology oncology cardiology urology
    xray x-ray mri ct scan blood bloods test tests dental dentist eye eyes ear ears nose
    district community mr mrs ms miss mx dr prof professor sir dame lady lord rev father
    mother mum mom dad husband wife son daughter baby brother partner friend carer
    grandad grandma nan nanna granny auntie uncle aunt cousin patient patients visitor
    visitors family friends ward mental intensive critical acute a and e ed icu itu hdu
    amu cdu sdec ooh 111 999 ems nurse practitioner hca hcas healthcare assistant porter
    porters volunteer volunteers manager managers doctor's nurses' people person
    lady gentleman gentlemen man woman men women girl girls boy boys guys everyone's
    google facebook twitter instagram youtube whatsapp email text phone online app website
    internet covid-19 covid19 lockdown pandemic ukhsa cqc pals dwp dvla council's gov
    hospital's trust's department's service's ambulance's surgery's bank holiday holidays
    am pm morning afternoon evening night today yesterday tomorrow weekend week month year
    lol omg etc eg ie nb ps pps god jesus christ allah lord's heaven ladies chap fella
    whoever somebody nobody both each receptionist's st saint doc however subsequently
    especially unfortunately eventually finally luckily sadly basically obviously initially
    afterwards otherwise meanwhile instead thankfully hopefully apparently generally
    overall previously recently currently definitely certainly honestly personally indeed
    into onto upon back out up down off over visit visits appointment appointments referral
    letter letters heart failure stroke cancer diabetes respiratory dementia pain stop ask
    tell get give make keep call ring help train hire pay listen treat send check seeing
    employ improve provide ensure need needs keep maybe perhaps speed
    support group groups curie currie macmillan""".replace("\n", " ")
)

_TITLES = _words("dr mr mrs ms miss mx prof professor sir dame rev revd lady lord")
_ROLE_WORDS = _words(
    """doctor nurse sister matron midwife paramedic consultant surgeon registrar pharmacist
    physio physiotherapist receptionist dentist therapist counsellor hca porter carer
    technician radiographer sonographer anaesthetist optician podiatrist dietitian
    practitioner psychiatrist psychologist gp doc""".replace("\n", " ")
)
_RELATIONS = _words(
    """husband wife son daughter mum mom mam mother dad father partner brother sister nan
    nana nanna gran granny grandma grandmother grandad granddad grandpa grandfather
    grandson granddaughter friend carer baby boy girl uncle auntie aunt niece nephew cousin
    fiance fiancee boyfriend girlfriend neighbour stepson stepdaughter""".replace("\n", " ")
)
_ORG_WORDS = _words(
    """hospital hospitals trust trusts team ward wards surgery surgeries practice centre
    center clinic clinics staff department unit services service health healthcare medical
    general infirmary university council road street lane avenue station pharmacy
    ambulance nhs hospice house park gp school college court medical group primary
    partnership foundation teaching royal memorial community district wing building suite
    unit's ward's""".replace("\n", " ")
)
# Capitalised words that are never part of a name, even when they are also surnames.
_NEVER = _words(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december hospital trust wards nhs gp
    street road lane avenue close drive way park ward unit wing""".replace("\n", " ")
)
_WARD_NUMBER_RE = re.compile(r" ?\d")  # "Edward 2" is a ward, not a person
_CONTRACTIONS = ("'ve", "'m", "'d", "'ll", "'re", "'t", "n't")
_ORG_BEFORE = _words("st saint queen king prince princess royal the")
_PARTICLES = _words("van von de der den da di du le la al el bin bint ibn ap")

_TOKEN_RE = re.compile(r"(?:[OoDd]['’])?[^\W\d_]+(?:[-'’][^\W\d_]+)*|&")
# Phrases after which the next word is a name: "my name is", "thanks to", "my husband"...
_PHRASE_RE = re.compile(
    r"\b(?:(?:my|his|her|our|their|the) +(?:name|names) +(?:is|was|are|were)|"
    r"(?:i ?am|i'm|im|this is) +called|called|named|name's|thanks +to|thank +you +to|"
    r"thanks +go(?:es)? +to|thank +you|thanks|thank-you|thankyou|ask +for|asked +for|"
    r"(?:like|want|wish|have) +to +thank|thanking|praise|"
    r"(?:seen|treated|helped|looked +after|cared +for|supported|examined|operated +on) +by|"
    r"(?:spoke|spoken|speak|speaking|talked|talking) +(?:to|with)|"
    r"shout(?:-| )?out +to|praise +for|grateful +to|"
    r"(?:my|our|his|her|their) +(?:late +|lovely +|dear +|elderly +|little +|"
    r"(?:\d+|two|three|four|five|six)[ -]year[ -]old +)?"
    r"(?:(?:grand|step)?(?:son|daughter)|husband|wife|mum|mom|mam|mother|dad|father|partner|"
    r"brother|sister|nan|nana|nanna|gran|granny|grandma|grandmother|grandad|granddad|grandpa|"
    r"grandfather|friend|carer|baby|boy|girl|uncle|auntie|aunt|niece|nephew|cousin|"
    r"fianc[ée]e?|boyfriend|girlfriend|neighbour|child|kid))"
    r"(?:,)? *$",
    re.IGNORECASE,
)
# A role after the name: "Sarah on reception", "Sarah, the receptionist".
_ROLE_AFTER_RE = re.compile(
    r"(?:,? +(?:on|at|from|in|behind) +(?:the +)?(?:main +|front +)?"
    r"(?:reception|front desk|desk|switchboard|triage|phones)\b"
    r"|(?:,? +(?:\(|the +|our +|my +|who +is +(?:a +|the +|our +)?)|, +an? +)(?:lovely +|kind +|"
    r"brilliant +|amazing +|senior +|student +|staff +|duty +|head +|ward +|community +)?"
    r"(?:receptionist|nurse|doctor|gp|midwife|paramedic|pharmacist|physio|physiotherapist|"
    r"consultant|surgeon|hca|porter|carer|dentist|therapist|cleaner|volunteer|manager|"
    r"sister|matron|registrar|anaesthetist|radiographer|sonographer|healthcare assistant|"
    r"practice manager|technician)\b)",
    re.IGNORECASE,
)


@dataclass
class _Tok:
    start: int
    end: int  # without a possessive 's
    word: str  # lower case, possessive removed
    cap: bool  # starts with a capital and is not an ACRONYM
    sentence_start: bool


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text):
        raw = m.group()
        start, end = m.start(), m.end()
        if raw.endswith(("'s", "’s")) and len(raw) > 3:
            raw = raw[:-2]
            end -= 2
        elif raw.endswith(("s'", "s’")) and len(raw) > 3:
            raw = raw[:-1]
            end -= 1
        first = raw[0]
        if first in "OoDd" and raw[1:2] in ("'", "’"):
            first = raw[2:3] or first
        cap = first.isupper() and not (len(raw) > 1 and raw.isupper())
        p = start - 1
        while p >= 0 and text[p] in " \t\"'“‘(":
            p -= 1
        sentence_start = p < 0 or text[p] in ".!?\n:;*•"
        out.append(_Tok(start, end, raw.lower().replace("’", "'"), cap, sentence_start))
    return out


def _find_names(text: str) -> list[tuple[int, int]]:
    forenames, surnames = _gazetteer()
    toks = _tokens(text)
    n = len(toks)
    if not n:
        return []

    def adjacent(i: int) -> bool:  # token i+1 follows token i after one space
        return i + 1 < n and text[toks[i].end : toks[i + 1].start] in (" ", "\u00a0")

    def plain(t: _Tok) -> bool:  # a capitalised word that may be part of a name
        return (
            t.cap
            and len(t.word) > 1
            and t.word not in _STOP
            and not t.word.endswith(_CONTRACTIONS)
            and not (t.sentence_start and t.word.endswith("ly") and not known(t))
        )

    def known(t: _Tok) -> bool:
        w = t.word
        if w in forenames or w in surnames:
            return True
        if "-" in w:
            return any(p in forenames or p in surnames for p in w.split("-"))
        return False

    def lower_forename(t: _Tok) -> bool:
        return (
            not t.cap
            and len(t.word) >= 4
            and t.word in forenames
            and t.word not in _AMBIGUOUS
            and t.word not in _STOP
        )

    def run(i: int, limit: int = 3) -> int:
        """The last token of the name that starts at token i."""
        j = i
        while j - i + 1 < limit and adjacent(j):
            nxt = toks[j + 1]
            if (plain(nxt) and (nxt.word not in _AMBIGUOUS or known(nxt))) or (
                nxt.cap and nxt.word in surnames and nxt.word not in _NEVER
            ):
                j += 1
            elif nxt.word in _PARTICLES and j + 2 < n and adjacent(j + 1) and plain(toks[j + 2]):
                j += 2
            else:
                break
        return j

    taken = [False] * n
    found: list[tuple[int, int]] = []

    def org_after(j: int) -> bool:  # "Victoria Hospital", "Leeds Teaching Hospitals"
        if adjacent(j) and toks[j + 1].word in _ORG_WORDS:
            return True
        return (
            j + 2 < n
            and adjacent(j)
            and adjacent(j + 1)
            and toks[j + 1].cap
            and toks[j + 2].word in _ORG_WORDS
        )

    def add(i: int, j: int, unknown_in_list: bool = False) -> None:
        if any(taken[i : j + 1]) or org_after(j) or _WARD_NUMBER_RE.match(text, toks[j].end):
            return
        if i and toks[i - 1].word in _ORG_BEFORE and adjacent(i - 1):
            return
        for k in range(i, j + 1):
            taken[k] = True
        found.append((toks[i].start, toks[j].end))
        # Lists: "Priya and Tom", "Priya, Tom and Sarah", "Priya & Tom".
        k = j + 1
        while k < n:
            gap = text[toks[k - 1].end : toks[k].start].strip()
            if toks[k].word in ("and", "&") and gap in ("", ","):
                k += 1
                if k >= n or text[toks[k - 1].end : toks[k].start] != " ":
                    break
            elif gap != ",":
                break
            tok = toks[k]
            if (
                plain(tok)
                and tok.word not in _TITLES
                and tok.word not in _ROLE_WORDS
                and (unknown_in_list or known(tok))
            ):
                end = run(k)
            elif lower_forename(tok):
                end = k
            else:
                break
            if any(taken[k : end + 1]) or org_after(end):
                break
            for m in range(k, end + 1):
                taken[m] = True
            found.append((tok.start, toks[end].end))
            k = end + 1

    for i, tok in enumerate(toks):
        if taken[i]:
            continue
        word = tok.word
        # 1. A title or role word before the name: Dr Patel, Mrs O'Neill, nurse Jane.
        if (word in _TITLES or word in _ROLE_WORDS) and i + 1 < n:
            gap = text[tok.end : toks[i + 1].start]
            if gap == ", " and word in _ROLE_WORDS and not tok.cap:
                nxt = toks[i + 1]
                end = run(i + 1)
                if plain(nxt) and text[toks[end].end : toks[end].end + 1] == ",":
                    add(i + 1, end)
                    continue
            honorific = word in _TITLES and tok.cap
            if gap in (" ", "\u00a0") or (gap == ". " and honorific):
                k = i + 1
                # initials after an honorific: Dr J. Smith
                while (
                    honorific
                    and k + 1 < n
                    and len(toks[k].word) == 1
                    and toks[k].cap
                    and text[toks[k].end : toks[k + 1].start] in (" ", ". ", ".")
                ):
                    k += 1
                nxt = toks[k]
                if (nxt.word in _TITLES or nxt.word in _ROLE_WORDS) and not known(nxt):
                    continue
                if len(nxt.word) == 1:  # Mr X
                    continue
                if (
                    honorific
                    and nxt.cap
                    and (nxt.word not in _STOP or known(nxt))
                    and not nxt.word.endswith(_CONTRACTIONS)
                ):
                    add(i + 1, run(k), True)
                    continue
                if nxt.cap and plain(nxt) and (nxt.word not in _AMBIGUOUS or known(nxt)):
                    add(i + 1, run(k), True)
                    continue
                if lower_forename(nxt):
                    add(i + 1, k, True)
                    continue
        if taken[i]:
            continue
        # 2. A phrase before the name: my name is, thanks to, my husband.
        if tok.cap or lower_forename(tok):
            head = text[max(0, tok.start - 40) : tok.start]
            if head.endswith((" ", ", ")) and _PHRASE_RE.search(head):
                if plain(tok) and word not in _ROLE_WORDS and word not in _TITLES:
                    add(i, run(i), True)
                    continue
                if lower_forename(tok):
                    add(i, i, True)
                    continue
        # 3. A role after the name: Sarah on reception, Sarah the receptionist.
        lower_start = not tok.cap and tok.sentence_start and len(word) > 2 and word not in _STOP
        if (plain(tok) and word not in _TITLES) or lower_forename(tok) or lower_start:
            j = run(i) if tok.cap else i
            if (j > i or word not in _AMBIGUOUS) and _ROLE_AFTER_RE.match(text, toks[j].end):
                add(i, j)
                continue
        # 4. The gazetteer: capitalised words with a known forename or surname among them.
        if plain(tok) and known(tok):
            if word not in _AMBIGUOUS:
                j = run(i)
                add(i, j)
                continue
            # An ambiguous word (Will, Grace, Hall) is a name next to another name.
            if adjacent(i):
                nxt = toks[i + 1]
                if (
                    plain(nxt)
                    and nxt.word not in _AMBIGUOUS
                    and (nxt.word in surnames or nxt.word in forenames or not nxt.sentence_start)
                ):
                    if word in forenames and not tok.sentence_start or known(nxt):
                        add(i, run(i))
                        continue
        if lower_forename(tok) and tok.sentence_start:
            add(i, i)
            continue
        # An unknown capitalised word just before a known surname: "Zelda Patel",
        # "Graeme Scott".
        if plain(tok) and adjacent(i):
            nxt = toks[i + 1]
            if nxt.cap and nxt.word in surnames and nxt.word not in _NEVER:
                add(i, run(i))
    found.sort()
    return found


# ------------------------------------------------------------------------------- the pipeline


def _mask(text: str, spans: list[tuple[int, int]], char: str = "\x00") -> str:
    if not spans:
        return text
    parts = []
    pos = 0
    for start, end in sorted(spans):
        parts.append(text[pos:start])
        parts.append(char * (end - start))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect_right(taken, (start, 10**12))
    if i and taken[i - 1][1] > start:
        return True
    return i < len(taken) and taken[i][0] < end


def find_personal_data(text: str) -> list[Span]:
    """Personal data in ``text``: non-overlapping spans, sorted by where they start."""
    taken: list[tuple[int, int]] = [m.span() for m in _PLACEHOLDER_RE.finditer(text)]
    spans: list[Span] = []

    def keep(start: int, end: int, kind: str) -> bool:
        if start >= end or _overlaps(taken, start, end):
            return False
        taken.append((start, end))
        taken.sort()
        spans.append(Span(start, end, kind))
        return True

    if "@" in text:
        for m in _EMAIL_RE.finditer(text):
            keep(m.start(), m.end(), "email")
    has_digit = any(c.isdigit() for c in text)
    postcodes: list[tuple[int, int]] = []
    if has_digit:
        for m in _NHS_RE.finditer(text):
            if nhs_number_is_valid(m.group(1) + m.group(3) + m.group(4)):
                keep(m.start(), m.end(), "nhs_number")
        for m in _PHONE_RE.finditer(text):
            if _phone_ok(m.group()):
                keep(m.start(), m.end(), "phone")
        for m in _POSTCODE_RE.finditer(text):
            if keep(m.start(), m.end(), "postcode"):
                postcodes.append(m.span())
        masked = _mask(_mask(text, postcodes, _MARK), [s for s in taken if s not in postcodes])
        for m in _ADDRESS_RE.finditer(masked):
            start, end = m.span()
            while end > start and masked[end - 1] in ", \n\t":
                end -= 1
            keep(start, end, "address")
    masked = _mask(text, taken) if taken else text
    for start, end in _find_names(masked):
        keep(start, end, "name")
    spans.sort(key=lambda s: s.start)
    return spans


def redact(text: str) -> Redaction:
    """``text`` with each piece of personal data replaced by its placeholder."""
    spans = find_personal_data(text)
    if not spans:
        return Redaction(text, ())
    parts = []
    pos = 0
    for span in spans:
        parts.append(text[pos : span.start])
        parts.append(PLACEHOLDERS[span.kind])
        pos = span.end
    parts.append(text[pos:])
    return Redaction("".join(parts), tuple(spans))


# ---------------------------------------------------------------------------------- scoring


def _covered(span: Span, others: list[Span]) -> float:
    """The share of ``span``'s characters covered by ``others`` of the same kind."""
    length = span.end - span.start
    if length <= 0:
        return 0.0
    covered = 0
    for o in others:
        if o.kind == span.kind:
            covered += max(0, min(span.end, o.end) - max(span.start, o.start))
    return covered / length


def score(pairs: list[tuple[tuple[Span, ...], list[Span]]]) -> dict[str, dict[str, float]]:
    """Recall and precision per kind over (gold spans, predicted spans) pairs.

    See the module docstring for the 50% rule.
    """
    out = {k: {"gold": 0, "found": 0, "predicted": 0, "correct": 0} for k in KINDS}
    for gold, predicted in pairs:
        for g in gold:
            out[g.kind]["gold"] += 1
            if _covered(g, predicted) >= 0.5:
                out[g.kind]["found"] += 1
        gold_list = list(gold)
        for p in predicted:
            out[p.kind]["predicted"] += 1
            if _covered(p, gold_list) >= 0.5:
                out[p.kind]["correct"] += 1
    for row in out.values():
        row["recall"] = row["found"] / row["gold"] if row["gold"] else 1.0
        row["precision"] = row["correct"] / row["predicted"] if row["predicted"] else 1.0
    return out
