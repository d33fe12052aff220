"""The household key: one person per household is ever chosen. Made from the normalised
first line of the address and the postcode (or, for an imported row with no postcode, the first
line and the town: see formats.group_households) and kept only as a keyed hash, so the address
itself is never stored."""

from __future__ import annotations

import hashlib
import hmac
import re


def normalise_postcode(postcode: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (postcode or "").upper())


def normalise_address(address: str) -> str:
    text = (address or "").upper()
    text = re.sub(r"\bFLAT\b|\bAPARTMENT\b|\bAPT\b", "FLAT", text)
    text = re.sub(r"\bROAD\b", "RD", text)
    text = re.sub(r"\bSTREET\b", "ST", text)
    text = re.sub(r"\bAVENUE\b", "AVE", text)
    return re.sub(r"[^A-Z0-9]", "", text)


UK_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")


def is_valid_postcode(postcode: str) -> bool:
    return bool(UK_POSTCODE.match(normalise_postcode(postcode)))


def household_message(address: str, postcode: str) -> str:
    """What is hashed for a full address: the normalised first line and the postcode."""
    return f"{normalise_address(address)}|{normalise_postcode(postcode)}"


def town_household_message(address: str, town: str) -> str:
    """What is hashed for a first line with no postcode: the first line and the town. Marked so
    that it can never equal a full address's message."""
    return f"{normalise_address(address)}|TOWN:{normalise_address(town)}"


def hash_household(message: str, secret: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def household_key(address: str, postcode: str, secret: str) -> str:
    return hash_household(household_message(address, postcode), secret)
