"""Ballot paper numbers: the cycle's number, the paper's serial number and a check digit, for
example 3-00012-2. The check digit (Luhn's, as on bank cards) catches
a single mistyped digit and most swapped pairs when a returned paper is typed in.

No Django here: the services turn these answers into messages."""

from __future__ import annotations

import re
from dataclasses import dataclass

SERIAL_DIGITS = 5
EXAMPLE = "3-00012-2"


def check_digit(digits: str) -> int:
    """Luhn's check digit for a string of digits."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def make(cycle_pk: int, serial: int) -> str:
    if cycle_pk < 1 or serial < 1 or serial >= 10**SERIAL_DIGITS:
        raise ValueError("A paper number needs a cycle and a serial from 1 to 99999")
    body = f"{cycle_pk}{serial:0{SERIAL_DIGITS}d}"
    return f"{cycle_pk}-{serial:0{SERIAL_DIGITS}d}-{check_digit(body)}"


@dataclass(frozen=True)
class Parsed:
    number: str | None  # the number as printed, when it is a good one
    problem: str | None  # "empty", "shape" or "check"


def parse(text: str) -> Parsed:
    """Read a typed paper number: spaces, dashes or none between the parts."""
    digits = re.sub(r"[\s\-–.]", "", text or "")
    if not digits:
        return Parsed(None, "empty")
    if not digits.isdigit() or len(digits) < SERIAL_DIGITS + 2:
        return Parsed(None, "shape")
    body, check = digits[:-1], int(digits[-1])
    cycle_part, serial_part = body[:-SERIAL_DIGITS], body[-SERIAL_DIGITS:]
    if cycle_part.startswith("0") or int(serial_part) == 0:
        return Parsed(None, "shape")
    if check_digit(body) != check:
        return Parsed(None, "check")
    return Parsed(f"{int(cycle_part)}-{serial_part}-{check}", None)
