"""Redaction as named rules: one module per kind of personal data, a gazetteer of names to
keep, and a runner. ``redact.py`` (one level up) is the public entry point; see ADR 0023.

====================  ==========================================================
module                kind it finds
====================  ==========================================================
``emails``            e-mail addresses, also written out with "at" and "dot"
``nhs_numbers``       NHS numbers in any spacing; after a cue even if mistyped
``record_numbers``    hospital numbers, MRNs, NI and other reference numbers
``dates_of_birth``    dates of birth
``phones``            UK phone numbers
``postcodes``         UK postcodes
``addresses``         home addresses, with or without a street word
``names``             people's names
====================  ==========================================================

``gazetteer`` loads the names lists and the names to keep (``data/``); ``runner`` runs
``runner.RULES`` in order.
"""

from .base import Rule
from .runner import RULES, find

__all__ = ["RULES", "Rule", "find"]
