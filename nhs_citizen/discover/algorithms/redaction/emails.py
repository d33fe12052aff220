"""E-mail addresses, plain (``jane.doe@gmail.com``) and written out (``jane dot doe at gmail dot
com``, ``d.patel(at)outlook(dot)com``, ``karenw [at] btinternet [dot] com``)."""

from __future__ import annotations

import re

from .base import Doc, Rule

_PLAIN = re.compile(
    r"(?<![\w.%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*\s?@\s?(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"\s?\.\s?)+[A-Za-z]{2,24}(?![\w\-])"
)

_AT = r"(?:\s*[\[(]\s*at\s*[\])]\s*|\s+at\s+|\s*@\s*)"
_DOT = r"(?:\s*[\[(]\s*(?:dot|\.)\s*[\])]\s*|\s+dot\s+|\s?\.\s?)"
_PART = r"[A-Za-z0-9][A-Za-z0-9_%+\-]*"
# The big webmail providers: "dazzler_69 at hotmail" is an address even without ".com".
_PROVIDERS = (
    r"gmail|googlemail|hotmail|yahoo|outlook|icloud|btinternet|btopenworld|aol|"
    r"virginmedia|protonmail|msn|tiscali|talktalk|ntlworld|blueyonder|gmx"
)
_TLD = r"(?:com|net|org|uk|co|ac|gov|nhs|io|in|pl|ie|de|fr|me|info|biz|edu|email)"
_WRITTEN = re.compile(
    rf"(?<![\w.@])(?:{_PART}(?:{_DOT}{_PART})*){_AT}"
    rf"(?:(?:{_PART}{_DOT})*{_PART}{_DOT}{_TLD}(?:(?:{_DOT}|\s){_TLD})?"
    rf"|(?:{_PROVIDERS})(?:{_DOT}{_TLD}(?:(?:{_DOT}|\s){_TLD})?)?)(?![\w@])",
    re.IGNORECASE,
)
# Words before " at " that are never the start of an address ("arrived at gmail" is not one).
_NOT_LOCAL = re.compile(
    r"^(?:i|me|you|we|us|he|she|they|it|email|e-mail|mail|contact|reach|is|was|am|are|me|my|"
    r"him|her|them|here|there|arrived|looked|home|work|be|on)\b",
    re.IGNORECASE,
)


def plain(doc: Doc):
    for m in _PLAIN.finditer(doc.text):
        yield m.span()


_SPLIT_AT = re.compile(r"\s+at\s+", re.IGNORECASE)
_PROVIDER = re.compile(rf"^(?:{_PROVIDERS})\b", re.IGNORECASE)


def _plain_words(value: str) -> bool:
    """ "works at Boots.com", "look at gmail": a plain word and a plain "at" make a sentence,
    not an address, unless "dot" is spelt out or a webmail provider has its ".com". A digit,
    dot or underscore in the first part, or brackets round "at", make it an address."""
    parts = _SPLIT_AT.split(value, maxsplit=1)
    if "@" in value or "[" in value or "(" in value or len(parts) != 2:
        return False
    local, domain = parts
    if not local.isalpha():
        return False
    if local.lower().endswith(("ed", "ing")):
        return True  # "treated at Spire dot com"
    spelt_dot = re.search(r"\sdot\s", domain, re.IGNORECASE)
    has_tld = spelt_dot or "." in domain
    return not (spelt_dot or (_PROVIDER.match(domain) and has_tld))


def written_out(doc: Doc):
    for m in _WRITTEN.finditer(doc.text):
        if "@" not in m.group() and _NOT_LOCAL.match(m.group()):
            continue
        if _plain_words(m.group()):
            continue
        yield m.span()


RULES = [
    Rule("email_plain", "email", plain),
    Rule("email_written_out", "email", written_out),
]
