"""Communication needs in the terms of the NHS Accessible Information Standard (DCB1605), and
requests for a document in another format or language (ADR 0036).

No Django here: the lists of needs, formats and languages, the words that sum up a group's
needs for the secretariat, what an e-mail changes for a person's needs, and when a request is
due and whether it is late.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from nhs_citizen.core.words import count_words
from nhs_citizen.core.working_days import add_working_days


@dataclass(frozen=True)
class Need:
    code: str
    label: str  # what the person ticks
    short: str  # what the secretariat reads: "a BSL interpreter"


NEEDS: tuple[Need, ...] = (
    Need("large_print", "Large print", "large print"),
    Need("easy_read", "Easy Read", "Easy Read"),
    Need(
        "bsl_interpreter",
        "A British Sign Language (BSL) interpreter",
        "a BSL interpreter",
    ),
    Need("hearing_loop", "A hearing loop", "a hearing loop"),
    Need("step_free", "Step-free access (no stairs or steps)", "step-free access"),
    Need("carer_or_supporter", "A carer or supporter with me", "a carer or supporter with them"),
)
NEED_CODES = frozenset(n.code for n in NEEDS)
_NEEDS_BY_CODE = {n.code: n for n in NEEDS}

# Languages most spoken in England after English (Census 2021), and Welsh. Each has its name in
# English and in itself, so an e-mail can offer itself in words the person reads.
LANGUAGES: dict[str, tuple[str, str]] = {
    "ar": ("Arabic", "العربية"),
    "bn": ("Bengali", "বাংলা"),
    "yue": ("Cantonese", "廣東話"),
    "fa": ("Farsi (Persian)", "فارسی"),
    "fr": ("French", "Français"),
    "gu": ("Gujarati", "ગુજરાતી"),
    "it": ("Italian", "Italiano"),
    "ku": ("Kurdish", "Kurdî"),
    "lt": ("Lithuanian", "Lietuvių"),
    "cmn": ("Mandarin", "普通话"),
    "ps": ("Pashto", "پښتو"),
    "pl": ("Polish", "Polski"),
    "pt": ("Portuguese", "Português"),
    "pa": ("Punjabi", "ਪੰਜਾਬੀ"),
    "ro": ("Romanian", "Română"),
    "ru": ("Russian", "Русский"),
    "so": ("Somali", "Soomaali"),
    "es": ("Spanish", "Español"),
    "ta": ("Tamil", "தமிழ்"),
    "ti": ("Tigrinya", "ትግርኛ"),
    "tr": ("Turkish", "Türkçe"),
    "uk": ("Ukrainian", "Українська"),
    "ur": ("Urdu", "اردو"),
    "cy": ("Welsh", "Cymraeg"),
}
# Written right to left: the line in an e-mail and on a page says so.
RIGHT_TO_LEFT = frozenset({"ar", "fa", "ps", "ur"})

SOMETHING_ELSE_MAX_LENGTH = 500


def language_name(code: str) -> str:
    return LANGUAGES[code][0] if code in LANGUAGES else ""


def clean_needs(codes: Iterable[str]) -> list[str]:
    """The needs in the Standard's order, each once. A code not on the list is an error."""
    chosen = set(codes)
    unknown = chosen - NEED_CODES
    if unknown:
        raise ValueError(f"Not a communication need: {', '.join(sorted(unknown))}")
    return [n.code for n in NEEDS if n.code in chosen]


def need_labels(codes: Iterable[str], language: str = "", something_else: str = "") -> list[str]:
    """One person's needs in words, for them or for the secretariat's list."""
    labels = [_NEEDS_BY_CODE[c].label for c in codes if c in _NEEDS_BY_CODE]
    if language in LANGUAGES:
        labels.append(f"Information in {language_name(language)}")
    if something_else:
        labels.append(f"Something else: {something_else}")
    return labels


@dataclass(frozen=True)
class PersonNeeds:
    needs: tuple[str, ...] = ()
    language: str = ""
    something_else: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.needs or self.language or self.something_else)


def summarise(people: Iterable[PersonNeeds]) -> list[str]:
    """A group's needs in short phrases, most common first, like "2 need a BSL interpreter"
    and "1 needs step-free access". People with no needs are not counted."""
    counts: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    something_else = 0
    for person in people:
        counts.update(set(person.needs) & NEED_CODES)
        if person.language in LANGUAGES:
            languages[person.language] += 1
        if person.something_else:
            something_else += 1
    order = {n.code: i for i, n in enumerate(NEEDS)}
    phrases = [
        f"{count_words(count, 'needs', 'need')} {_NEEDS_BY_CODE[code].short}"
        for code, count in sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]]))
    ]
    phrases += [
        f"{count_words(count, 'needs', 'need')} information in {language_name(code)}"
        for code, count in sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    if something_else:
        phrases.append(f"{count_words(something_else, 'has', 'have')} another need (see the list)")
    return phrases


@dataclass(frozen=True)
class EmailAdjustments:
    """What an e-mail changes for one person's needs."""

    large_print: bool = False
    easy_read: bool = False
    language: str = ""  # a code in LANGUAGES, or ""

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def language_own_name(self) -> str:
        return LANGUAGES[self.language][1] if self.language in LANGUAGES else ""

    @property
    def language_direction(self) -> str:
        return "rtl" if self.language in RIGHT_TO_LEFT else "ltr"

    @property
    def any(self) -> bool:
        return self.large_print or self.easy_read or bool(self.language)


def email_adjustments(person: PersonNeeds | None) -> EmailAdjustments:
    if person is None:
        return EmailAdjustments()
    return EmailAdjustments(
        large_print="large_print" in person.needs,
        easy_read="easy_read" in person.needs,
        language=person.language if person.language in LANGUAGES else "",
    )


@dataclass(frozen=True)
class LetterAdjustments(EmailAdjustments):
    """What a printed letter (a paper ballot, say) changes for one person's needs: the same
    three as an e-mail. Large print prints bigger, Easy Read adds an Easy Read explanation,
    another language adds a line, in the language's own name, offering the letter in it."""

    @property
    def labels(self) -> list[str]:
        """What the secretariat reads beside the letter: "Large print", "Easy Read", "Urdu"."""
        labels = []
        if self.large_print:
            labels.append("Large print")
        if self.easy_read:
            labels.append("Easy Read")
        if self.language:
            labels.append(self.language_name)
        return labels


def letter_adjustments(person: PersonNeeds | None) -> LetterAdjustments:
    email = email_adjustments(person)
    return LetterAdjustments(
        large_print=email.large_print, easy_read=email.easy_read, language=email.language
    )


def summarise_letters(letters: Iterable[LetterAdjustments], noun: str = "letter") -> list[str]:
    """How many letters must be printed differently, like "2 papers in large print" and
    "1 paper with a line in Polish". Letters with no changes are not counted."""
    large = easy = 0
    languages: Counter[str] = Counter()
    for letter in letters:
        large += letter.large_print
        easy += letter.easy_read
        if letter.language:
            languages[letter.language] += 1
    phrases = []
    if large:
        phrases.append(f"{count_words(large, noun)} in large print")
    if easy:
        phrases.append(f"{count_words(easy, noun)} with an Easy Read explanation")
    phrases += [
        f"{count_words(count, noun)} with a line in {language_name(code)}"
        for code, count in sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return phrases


# Requests for a document in another format or language ---------------------------------------

FORMATS: dict[str, str] = {
    "large_print": "Large print",
    "easy_read": "Easy Read",
    "braille": "Braille",
    "audio": "Audio recording",
    "bsl_video": "British Sign Language (BSL) video",
    "another_language": "Another language",
}

SEND_BY: dict[str, str] = {
    "email": "Email it to me",
    "post": "Post it to me",
}

# How long the secretariat has to send a document in another format: 10 working days, as the
# Standard expects information "in a timely manner" and braille, audio and translation take
# a few days to make.
REQUEST_WORKING_DAYS = 10


def request_due_date(requested_on: date) -> date:
    return add_working_days(requested_on, REQUEST_WORKING_DAYS)


def request_is_overdue(*, done: bool, due: date, today: date) -> bool:
    return not done and due < today


def format_wanted(format_code: str, language: str) -> str:
    """ "Large print", or "Polish" for another language."""
    if format_code == "another_language" and language in LANGUAGES:
        return language_name(language)
    return FORMATS.get(format_code, "")


def needs_for_request(format_code: str) -> bool:
    """Whether a request in this format must name a language."""
    return format_code == "another_language"


def summary_phrases_by_person(
    people: Mapping[int, PersonNeeds],
) -> dict[int, list[str]]:
    return {
        key: need_labels(p.needs, p.language, p.something_else)
        for key, p in people.items()
        if not p.is_empty
    }
