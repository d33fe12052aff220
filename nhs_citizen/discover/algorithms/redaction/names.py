"""People's names. Each rule below is one way a name shows itself in feedback.

Strong rules (the text says a name is here):

- ``name_after_title``: Dr, Mr, Mrs, Ms, Miss, Prof... then the name, any case, with initials
  ("Dr Patel", "dr. a. kowalczyk", "Mr Ó Súilleabháin", "mr o'brien"); also "Aunty Grace",
  "Uncle Ray". The title is kept.
- ``name_after_role``: a job word then the name ("nurse kelly", "Sister Grace", "The
  receptionist Karen", "The midwife, Chloe, stayed").
- ``name_after_relation``: "my husband", "our daughter", "my mum"... then the name ("my mum
  Jean", "dad (George)").
- ``name_after_cue``: "my name is", "I'm", "thanks to", "thank you", "shout out to", "ask for",
  "seen by"... then the name ("thx to shaz", "Thank you Dr Singh").
- ``name_before_role``: the name then where or what they work ("Sarah on reception", "Bex on
  ward 22", "Kaz the HCA", "Kieran (HCA)", "nadia was our midwife").

- ``name_between_commas``: "The lady on reception, Pam, was great".

Each strong hit also takes the names listed with it: "Priya and Tom", "Dave, Lisa and Pam".

Weak rules (a guess from the names list; any gazetteer word stops them):

- ``known_name``: capitalised words with a common UK forename or surname among them
  ("Mohammed Iqbal", "Jenny was amazing"). Names that are also words (Will, May, Grace) need
  another name next to them.
- ``known_first_name_lower_case``: a common forename in lower case starting a sentence
  ("sarah was lovely").

No rule takes a word right before "Hospital", "Ward", "Trust", "House"... ("Victoria
Hospital"), or right after "St", "Queen", "Royal" or "the".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import gazetteer
from .base import Doc, Rule
from .words import (
    AMBIGUOUS,
    COMMON,
    CONTRACTIONS,
    ORG_BEFORE,
    ORG_WORDS,
    PARTICLES,
    RELATIONS,
    ROLES,
    STOP,
    TITLES,
)

_TOKEN = re.compile(r"(?:[OoDd]['’])?[^\W\d_]+(?:[-'’][^\W\d_]+)*|&")


@dataclass
class Tok:
    start: int
    end: int  # without a possessive 's
    word: str  # lower case, possessive removed, straight apostrophes
    cap: bool  # starts with a capital and is not an ACRONYM
    sentence_start: bool
    lower: bool = False  # all in lower case


def tokens(text: str) -> list[Tok]:
    out: list[Tok] = []
    for m in _TOKEN.finditer(text):
        raw, start, end = m.group(), m.start(), m.end()
        if raw.endswith(("'s", "’s")) and len(raw) > 3:
            raw, end = raw[:-2], end - 2
        elif raw.endswith(("s'", "s’")) and len(raw) > 3:
            raw, end = raw[:-1], end - 1
        first = raw[0]
        if first in "OoDd" and raw[1:2] in ("'", "’"):
            first = raw[2:3] or first
        cap = first.isupper() and not (len(raw) > 1 and raw.isupper())
        p = start - 1
        while p >= 0 and text[p] in " \t\"'“‘(":
            p -= 1
        sentence_start = p < 0 or text[p] in ".!?\n:;*•"
        word = raw.lower().replace("’", "'")
        out.append(Tok(start, end, word, cap, sentence_start, raw.islower()))
    return out


_SHORT_LY = frozenset(
    "sadly only early really truly surely likely simply mainly partly kindly nearly barely "
    "rarely hardly lately merely mostly solely fully oddly newly daily weekly jolly".split()
)
# Endings of everyday English words, for capitalised words at the start of a sentence that
# are in no names list ("Building my son's confidence", "Temperature in theatre").
_ENGLISH_ENDINGS = (
    "ing",
    "tion",
    "sion",
    "ment",
    "ness",
    "ity",
    "ture",
    "ance",
    "ence",
    "ful",
    "ous",
    "ive",
    "able",
    "ible",
    "ism",
    "ship",
    "less",
    "ery",
    "ally",
    "ised",
    "ized",
    "ated",
    "sis",
    "itis",
    "ology",
    "ectomy",
    "scopy",
    "therapy",
    "graphy",
    "ics",
)


_NOT_IN_RUN = frozenset("head chief senior lead junior deputy acting".split())


def _adverb(word: str) -> bool:
    return word.endswith("ly") and (len(word) >= 7 or word in _SHORT_LY)


def english_looking(word: str) -> bool:
    return word.endswith(_ENGLISH_ENDINGS)


class Words:
    """The tokens of one text and the questions the rules ask about them."""

    def __init__(self, text: str):
        self.text = text
        self.toks = tokens(text)
        self.forenames, self.surnames = gazetteer.names()

    def adjacent(self, i: int) -> bool:
        n = len(self.toks)
        return i + 1 < n and self.text[self.toks[i].end : self.toks[i + 1].start] in (" ", "\u00a0")

    def gap(self, i: int) -> str:
        return self.text[self.toks[i].end : self.toks[i + 1].start]

    def known(self, t: Tok) -> bool:
        w = t.word
        if w in self.forenames or w in self.surnames:
            return True
        return "-" in w and any(p in self.forenames or p in self.surnames for p in w.split("-"))

    def namey(self, t: Tok) -> bool:
        """A capitalised word that may be part of a name."""
        return (
            t.cap
            and len(t.word) > 1
            and t.word not in STOP
            and not t.word.endswith(CONTRACTIONS)
            and not (t.sentence_start and _adverb(t.word) and not self.known(t))
        )

    def lower_forename(self, t: Tok) -> bool:
        w = t.word
        return not t.cap and len(w) >= 3 and self.known(t) and w not in AMBIGUOUS and w not in STOP

    def lower_unknown(self, t: Tok) -> bool:
        """A lower-case word that is no everyday word: after a strong cue, take it as a name."""
        w = t.word
        return (
            t.lower
            and len(w) >= 2
            and w not in STOP
            and w not in COMMON
            and not w.endswith(("ing", "ed", "ly", "n't"))
            and w.replace("-", "").replace("'", "").isalpha()
        )

    def name_word(self, t: Tok, loose: bool = False) -> bool:
        if t.cap:
            return self.namey(t) and t.word not in TITLES
        return self.lower_forename(t) or (loose and self.lower_unknown(t))

    def run(self, i: int, limit: int = 4, loose: bool = False) -> int:
        """The last token of the name that starts at token i ("Van der Merwe", "Mohammed
        Iqbal", "john hargreaves")."""
        toks, j = self.toks, i
        while j - i + 1 < limit and self.adjacent(j):
            nxt = toks[j + 1]
            if nxt.word in ROLES or nxt.word in _NOT_IN_RUN:
                break
            if nxt.cap and self.namey(nxt) and (nxt.word not in AMBIGUOUS or self.known(nxt)):
                j += 1
            elif (
                not nxt.cap
                and not toks[i].cap
                and (nxt.word in self.surnames or (loose and self.lower_unknown(nxt)))
            ):
                j += 1
            elif (
                nxt.word in PARTICLES
                and j + 2 < len(toks)
                and self.adjacent(j + 1)
                and self.name_word(toks[j + 2])
            ):
                j += 2
            else:
                break
        return j

    def org_around(self, i: int, j: int) -> bool:
        """Token j is followed by an organisation word, or token i follows St/the/Royal."""
        toks = self.toks
        if self.adjacent(j) and toks[j + 1].word in ORG_WORDS:
            return True
        if (
            j + 2 < len(toks)
            and self.adjacent(j)
            and self.adjacent(j + 1)
            and toks[j + 1].cap
            and toks[j + 2].word in ORG_WORDS
        ):
            return True
        if re.match(r" ?\d", self.text[toks[j].end : toks[j].end + 2]):
            return True  # "Edward 2" is a ward
        return i > 0 and toks[i - 1].word in ORG_BEFORE and self.adjacent(i - 1)

    def listed_after(self, j: int, loose: bool = False):
        """Names listed after the one ending at token j: ", Tom and Priya", " & Tom"."""
        toks, k = self.toks, j + 1
        while k < len(toks):
            gap = self.text[toks[k - 1].end : toks[k].start].strip()
            joined = toks[k].word in ("and", "&")
            if joined and gap in ("", ","):
                k += 1
                if k >= len(toks) or self.gap(k - 1) != " ":
                    return
            elif gap != ",":
                return
            tok = toks[k]
            loose = loose and joined  # "thanks lee and kev", not "my name is Kasia, dob"
            if tok.word in TITLES and k + 1 < len(toks) and self.adjacent(k):
                k += 1
                tok = toks[k]
            if not self.name_word(tok, loose) or tok.word in ROLES or tok.word in RELATIONS:
                return
            end = self.run(k) if tok.cap else k
            if self.org_around(k, end):
                return
            yield k, end
            k = end + 1

    def listed_before(self, i: int):
        """Names listed before the one starting at token i: "Sue and " in "Sue and Bev from
        the stroke team", "Samir, Andrea and " in "Samir, Andrea and Ken from nights"."""
        toks = self.toks
        while i >= 1:
            if toks[i - 1].word in ("and", "&") and i >= 2 and self.adjacent(i - 2):
                prev = i - 2
            elif self.text[toks[i - 1].end : toks[i].start] == ", ":
                prev = i - 1
            else:
                return
            tok = toks[prev]
            if not self.name_word(tok) or tok.word in ROLES or tok.word in RELATIONS:
                return
            yield prev, prev
            i = prev


@lru_cache(maxsize=4)
def _words(text: str) -> Words:
    return Words(text)


def _emit(w: Words, i: int, j: int, lists: bool = True, loose: bool = False):
    if w.org_around(i, j):
        return
    yield w.toks[i].start, w.toks[j].end
    if lists:
        for a, b in w.listed_after(j, loose):
            yield w.toks[a].start, w.toks[b].end


# ------------------------------------------------------------------------------- strong rules


_FAMILY_TITLES = frozenset(
    "aunty auntie aunt uncle nan nana nanna grandad grandma gran granny cousin".split()
)


def name_after_title(doc: Doc):
    w = _words(doc.text)
    toks = w.toks
    for i, tok in enumerate(toks):
        if tok.word in _FAMILY_TITLES and w.adjacent(i) and toks[i + 1].cap:
            if toks[i + 1].word not in STOP and doc.text[tok.end : tok.end + 1] == " ":
                yield from _emit(w, i + 1, w.run(i + 1))  # "Aunty Grace", "Uncle Ray"
            continue
        if tok.word not in TITLES or i + 1 >= len(toks):
            continue
        if w.gap(i) not in (" ", "\u00a0", ". ", "."):
            continue
        k = i + 1
        while (  # initials: Dr J. Smith, dr. a. kowalczyk
            k + 1 < len(toks)
            and len(toks[k].word) == 1
            and toks[k].word not in PARTICLES
            and w.gap(k) in (" ", ". ", ".")
        ):
            k += 1
        nxt = toks[k]
        if nxt.word in PARTICLES and k + 1 < len(toks) and w.adjacent(k):
            yield from _emit(w, i + 1, w.run(k))
            continue
        if (nxt.word in TITLES or nxt.word in ROLES) and not w.known(nxt):
            continue
        if len(nxt.word) == 1 or nxt.word.endswith(CONTRACTIONS):
            continue
        if nxt.cap and (nxt.word not in STOP or w.known(nxt)):
            yield from _emit(w, i + 1, w.run(k))
        elif not nxt.cap and (w.lower_forename(nxt) or w.lower_unknown(nxt)):
            yield from _emit(w, i + 1, w.run(k))


_APPOSITIVE = re.compile(
    r"(?i:\b(?:lady|man|woman|guy|gentleman|chap|girl|bloke|one|person|member\s+of\s+staff|"
    r"receptionist|nurse|doctor|midwife|paramedic|porter|physio|carer|hca|sister|consultant|"
    r"reception|desk|ward(?:\s+\d+)?|switchboard|phones?|shift|team|crew)),\s+$"
)


def name_between_commas(doc: Doc):
    """ "The lady on reception, Pam, was great": a name set off by commas after a job word."""
    w = _words(doc.text)
    toks = w.toks
    for i, tok in enumerate(toks):
        if not (tok.cap and w.namey(tok)) or not _APPOSITIVE.search(doc.text[: tok.start]):
            continue
        j = w.run(i)
        if doc.text[toks[j].end : toks[j].end + 1] == ",":
            yield from _emit(w, i, j, lists=False)


def name_after_role(doc: Doc):
    w = _words(doc.text)
    toks = w.toks
    for i, tok in enumerate(toks[:-1]):
        if tok.word not in ROLES:
            continue
        nxt, gap = toks[i + 1], w.gap(i)
        if nxt.word in TITLES or nxt.word in ROLES:
            continue
        if gap in (" ", "\u00a0") and w.name_word(nxt):
            yield from _emit(w, i + 1, w.run(i + 1) if nxt.cap else i + 1)
        elif (  # "Our HCA was Precious"
            nxt.word in ("was", "is")
            and i + 2 < len(toks)
            and w.adjacent(i)
            and w.adjacent(i + 1)
            and toks[i + 2].cap
            and w.namey(toks[i + 2])
        ):
            yield from _emit(w, i + 2, w.run(i + 2))
        elif gap == ", " and w.name_word(nxt):
            end = w.run(i + 1) if nxt.cap else i + 1
            if re.match(r",| (?:was|is|who|has|had)\b", doc.text[toks[end].end :]):
                yield from _emit(w, i + 1, end)


_THANKS = (
    r"thanks\s+(?:again\s+)?(?:so\s+much\s+)?(?:to\s+)?|thank\s*(?:you|u)\s+(?:so\s+much\s+)?(?:to\s+)?|"
    r"thankyou\s+(?:to\s+)?|thx\s+(?:to\s+)?|ty\s+|cheers\s+|shout\s?-?out\s+(?:to\s+)?|"
    r"thanks\s+go(?:es)?\s+to\s+|grateful\s+to\s+|praise\s+|thank\s+|thanking\s+|"
    r"pass\s+on\s+my\s+thanks\s+to\s+"
)
_SEEN_BY = (
    r"(?:ask|asked|asking)\s+for\s+|"
    r"(?:seen|treated|helped|looked\s+after|cared\s+for|supported|examined|told|operated\s+on)"
    r"\s+by\s+|(?:spoke|spoken|speak|speaking|talked|talking)\s+(?:to|with)\s+"
)
_NAME_IS = r"(?:my|his|her|our|their|the)\s+names?\s+(?:is|was|are|were)\s+|name'?s\s+"
_CALLED = (
    r"(?:called|named)\s+|this\s+is\s+|(?:hi|hello|hiya),?\s+(?:it'?s|this\s+is)\s+|"
    r"(?:please\s+)?tell\s+"
)
_I_AM = r"(?:^|[\s,.!])(?:i'?m|i\s+am|im|hi\s+i'?m)\s+"
_RELATION = (
    r"(?:my|our|his|her|their)\s+(?:late\s+|lovely\s+|dear\s+|elderly\s+|little\s+|eldest\s+|"
    r"youngest\s+|baby\s+|new\s+|\w+\s+year\s+old\s+|(?:\d+|two|three|four|five|six)[ -]year[ -]old\s+)?"
    rf"(?:{'|'.join(sorted(RELATIONS))})\s*,?\s*|\b(?:mum|dad|mam|nan)\s*\(\s*"
)
# (cue, loose): after a loose cue a lower-case word that is no everyday word is a name too
# ("thx to shaz", "my name is john hargreaves").
_CUES = [
    (re.compile(rf"(?i:\b(?:{_THANKS}))$"), True),
    (re.compile(rf"(?i:\b(?:{_NAME_IS}))$"), True),
    (re.compile(rf"(?i:\b(?:{_SEEN_BY}|{_CALLED}))$"), False),
    (re.compile(rf"(?i:{_I_AM})$"), False),
]
_RELATION_CUES = [(re.compile(rf"(?i:\b(?:{_RELATION}))$"), False)]


def name_after_cue(doc: Doc, cues=_CUES):
    w = _words(doc.text)
    for i, tok in enumerate(w.toks):
        if tok.word in TITLES or tok.word in ROLES or tok.word in RELATIONS:
            continue  # never a name here, whatever comes before
        strict = (tok.cap and w.namey(tok)) or w.lower_forename(tok)
        if not strict and not w.lower_unknown(tok):
            continue  # not a name after any cue: skip the cue searches (most words)
        head = doc.text[max(0, tok.start - 45) : tok.start]
        for cue, loose in cues:
            if not cue.search(head):
                continue
            if strict or loose:  # loose cues take an unknown lower-case word too
                yield from _emit(w, i, w.run(i, loose=loose), loose=loose)
            break


_ROLE_NOUNS = (
    r"receptionists?|nurse|doctor|gp|midwife|paramedics?|pharmacist|physio|physiotherapist|"
    r"consultant|surgeon|hca|porters?|carer|dentist|therapist|cleaner|volunteer|manager|"
    r"sister|matron|registrar|anaesthetist|radiographer|sonographer|healthcare assistant|"
    r"technician|cpn|chaplain|dietitian|dietician|clerk|tea lady|tea man|"
    r"(?:play|nurse) specialist|specialist|health visitor|crew|ambulance crew|driver|"
    r"secretary|co-?ordinator|advis[eo]r|(?:support|social) worker|optician|podiatrist|"
    r"counsellor|psychiatrist|psychologist|practitioner|student|hcas|"
    r"husband|wife|son|daughter|mum|mom|mam|mother|dad|father|partner|brother|nan|gran|"
    r"grandson|granddaughter|grandad|grandma|friend|neighbour|uncle|aunt|auntie|cousin"
)
_DEPARTMENTS = (
    r"reception|front\s+desk|desk|switchboard|phones?|phone\s+line|ward(?:\s+\d+)?|unit|team|"
    r"crew|shift|nights|days|suite|clinic|lounge|radiology|pharmacy|theatres?|recovery|a&e|"
    r"resus|triage|bookings?|outpatients|nurses|department|dept|icu|itu|hdu|sdec|amu|"
    r"maternity|paeds|x-?ray|gym|helpline|line|office|wards?|bay|desk|ambulance(?:\s+crew)?|"
    r"district\s+nurses|theatre"
)
_ADJ = (
    r"(?:lovely|kind|brilliant|amazing|senior|student|staff|duty|head|ward|community|"
    r"clinical|specialist|night|day|lead|charge|main|front|trainee|junior|best|"
    r"ambulance|district|practice|play|tea)\s+"
)
_ROLE_AFTER = re.compile(
    rf"(?i:,?\s+(?:on|at|in|from|behind)\s+(?:the\s+)?(?:[\w&'’]+\s+){{0,2}}?(?:{_DEPARTMENTS})\b"
    rf"|(?:,\s+|\s+)(?:the|our|my|his|her|a|an)\s+(?:{_ADJ}){{0,2}}(?:{_ROLE_NOUNS})\b"
    rf"|\s*\(\s*(?:the\s+|our\s+|my\s+)?(?:{_ADJ}){{0,2}}(?:{_ROLE_NOUNS})\s*\)"
    rf"|\s+who\s+(?:works|worked|is\s+(?:a|an|the|our)\s+(?:{_ADJ}){{0,2}}(?:{_ROLE_NOUNS}))\b"
    rf"|\s+(?:was|is)\s+(?:our|my|the|his|her)\s+(?:{_ADJ}){{0,2}}(?:{_ROLE_NOUNS})\b)"
)


def name_after_relation(doc: Doc):
    """ "my mum Jean", "our daughter Ffion", "dad (George)"."""
    yield from name_after_cue(doc, _RELATION_CUES)


_RELATION_AFTER = re.compile(rf"(?i:\s+(?:my|our|his|her)\s+(?:{'|'.join(sorted(RELATIONS))})\b)")


def name_before_role(doc: Doc):
    w = _words(doc.text)
    toks = w.toks
    taken_until = -1
    for i, tok in enumerate(toks):
        if i <= taken_until:
            continue
        lower_start = (
            not tok.cap and tok.sentence_start and w.lower_unknown(tok) and len(tok.word) > 2
        )
        if not (w.name_word(tok) or lower_start) or tok.word in ROLES:
            continue
        if i > 0 and toks[i - 1].word in ("the", "a", "an") and w.adjacent(i - 1):
            continue
        if tok.sentence_start and not w.known(tok) and english_looking(tok.word):
            continue  # "Building my son's confidence", "Temperature in theatre"
        j = w.run(i) if tok.cap else i
        m = _ROLE_AFTER.match(doc.text, toks[j].end)
        if (
            m
            and tok.word in AMBIGUOUS
            and j == i
            and not m.group().startswith(",")
            and not (m.group().lstrip().startswith(("on ", "at ", "in ", "from ", "(")))
        ):
            continue  # "Will the GP ring back?"
        if (
            m
            and m.group().startswith(" ")
            and _RELATION_AFTER.match(m.group())
            and not w.known(tok)
        ):
            continue  # "Despite my son's..." needs a comma: "Iris, my mum"
        if m:
            for a, _ in w.listed_before(i):
                yield toks[a].start, toks[a].end
            yield from _emit(w, i, j, lists=False)
            taken_until = j


# --------------------------------------------------------------------------------- weak rules


def known_name(doc: Doc):
    w = _words(doc.text)
    toks = w.toks
    taken_until = -1
    for i, tok in enumerate(toks):
        if i <= taken_until or not w.namey(tok):
            continue
        nxt = toks[i + 1] if w.adjacent(i) else None
        if w.known(tok) and tok.word not in AMBIGUOUS:
            j = w.run(i)
        elif nxt is not None and w.namey(nxt) and nxt.word not in AMBIGUOUS and w.known(nxt):
            # "Will Jones", "Zelda Patel": another name right after this word.
            if tok.sentence_start and not w.known(tok):
                continue
            j = w.run(i)
        else:
            continue
        yield from _emit(w, i, j)
        taken_until = j


def known_first_name_lower_case(doc: Doc):
    w = _words(doc.text)
    for i, tok in enumerate(w.toks):
        if tok.sentence_start and w.lower_forename(tok) and tok.word in w.forenames:
            yield from _emit(w, i, i)


STRONG = [
    Rule("name_after_title", "name", name_after_title, "sure"),
    Rule("name_after_role", "name", name_after_role, "sure"),
    Rule("name_after_relation", "name", name_after_relation, "sure"),
    Rule("name_after_cue", "name", name_after_cue),
    Rule("name_before_role", "name", name_before_role),
    Rule("name_between_commas", "name", name_between_commas),
]
WEAK = [
    Rule("known_name", "name", known_name, "weak"),
    Rule("known_first_name_lower_case", "name", known_first_name_lower_case, "weak"),
]
RULES = STRONG + WEAK
