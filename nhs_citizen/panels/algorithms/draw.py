"""The verifiable draw, in an order that leaves nobody a choice of panel.

1. Freeze the inputs (the anonymised pool, the quotas, the households) and publish their
   SHA-256.
2. Work out everyone's chances and round them to a lottery of m panels; publish the lottery,
   the chances and the proof that the lowest chance is as high as it can be, with their SHA-256.
3. Only then commit the seed: publish SHA-256 of a secret, and name a public random value that
   nobody knows yet (say, the balls of a named future National Lottery draw) and its date.
4. After that date, type in the public value. The final seed mixes both (``mix_seed``), so
   neither the secretariat (who cannot know the public value) nor anyone else (who cannot know
   the secret) could steer it. ``draw`` turns the final seed and the lottery's SHA-256 into a
   panel number (SHA-256 in counter mode, with rejection sampling, so every panel is exactly
   equally likely) and an ordered reserve list. The secret is revealed.
5. ``verify_record`` checks all of it from the published file.

Only ``hashlib`` is used, never Python's ``random``, so every platform gets the same answer.
Pure: no Django.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from nhs_citizen.core.dates import when_words

from .model import Person, Problem, ProblemError, Quota, canonical_panels_json

if TYPE_CHECKING:  # lottery.py needs NumPy and HiGHS: web workers never import them
    from .lottery import Lottery

# The published file's format. Version 1 made the lottery after the seed was committed.
FORMAT = "nhs-citizen/sortition/v2"
OLD_FORMAT = "nhs-citizen/sortition/v1"
# The domain tag of the hash streams that pick the panel and order the reserves (unchanged
# from version 1, so that ``draw`` gives the same answer for the same seed and lottery).
DOMAIN = OLD_FORMAT


def new_seed() -> str:
    """A fresh secret seed: 32 random bytes, as hex."""
    return secrets.token_hex(32)


def commit(seed: str) -> str:
    """The commitment published before the draw: SHA-256 of the seed (UTF-8), as hex."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def _stream(seed: str, purpose: str, lottery_digest: str) -> Iterable[bytes]:
    """An endless stream of 32-byte blocks, fixed by seed, purpose and lottery."""
    counter = 0
    while True:
        yield hashlib.sha256(
            f"{DOMAIN}|{purpose}|{lottery_digest}|{seed}|{counter}".encode()
        ).digest()
        counter += 1


def uniform_index(seed: str, purpose: str, lottery_digest: str, n: int) -> int:
    """A number in range(n), each exactly equally likely: 256-bit blocks from the stream,
    rejecting the few above the largest multiple of n."""
    if n < 1:
        raise ValueError("Nothing to draw from.")
    limit = (2**256 // n) * n
    for block in _stream(seed, purpose, lottery_digest):
        value = int.from_bytes(block, "big")
        if value < limit:
            return value % n
    raise AssertionError("unreachable")


def _order_key(seed: str, lottery_digest: str, person_id: str) -> bytes:
    return hashlib.sha256(f"{DOMAIN}|reserve|{lottery_digest}|{seed}|{person_id}".encode()).digest()


@dataclass(frozen=True)
class DrawResult:
    panel_number: int  # 0-based position in the lottery
    selected: tuple[str, ...]
    reserves: tuple[str, ...]
    seed: str
    commitment: str
    lottery_digest: str
    # How many reserves were asked for, and, when fewer exist, why (plain English).
    reserves_asked: int | None = None
    reserves_short_reason: str = ""


def draw(lottery: Lottery, seed: str, *, reserve_size: int | None = None) -> DrawResult:
    """Draw one of the lottery's panels from ``seed``, and an ordered reserve list.

    Reserves are people not selected who do not share a household with anyone selected and who
    could stand in for at least one selected member without breaking a quota, in an order fixed
    by the seed. When a member drops out, ``find_replacement`` takes the first reserve who keeps
    every quota."""
    digest = lottery.digest
    number = uniform_index(seed, "panel", digest, lottery.m)
    selected = lottery.panels[number]
    reserves = reserve_list(lottery.problem, selected, seed, digest)
    reason = ""
    if reserve_size is not None:
        reason = reserves_short_reason(len(reserves), reserve_size)
        reserves = reserves[:reserve_size]
    return DrawResult(
        panel_number=number,
        selected=tuple(selected),
        reserves=tuple(reserves),
        seed=seed,
        commitment=commit(seed),
        lottery_digest=digest,
        reserves_asked=reserve_size,
        reserves_short_reason=reason,
    )


def reserves_short_reason(available: int, asked: int) -> str:
    """Why there are fewer reserves than asked for (empty when there are enough)."""
    if available >= asked:
        return ""
    who = {0: "Nobody", 1: "Only 1 person"}.get(available, f"Only {available} people")
    return (
        f"{who} could stand in for a member without breaking a quota or sharing a household "
        f"with someone chosen, so there {'is' if available == 1 else 'are'} {available} "
        f"reserve{'' if available == 1 else 's'}, not {asked}."
    )


def reserve_list(
    problem: Problem, selected: Sequence[str], seed: str, lottery_digest: str
) -> list[str]:
    chosen = set(selected)
    households = {problem.person(i).household for i in chosen} - {None}
    candidates = [
        p.id
        for p in problem.people
        if p.id not in chosen and (p.household is None or p.household not in households)
    ]
    candidates.sort(key=lambda i: _order_key(seed, lottery_digest, i))
    swaps = _Swaps(problem, chosen)
    return [c for c in candidates if swaps.can_replace_someone(c)]


class _Swaps:
    """Which swaps (one member leaves, one person joins) keep every quota, for a valid panel."""

    def __init__(self, problem: Problem, panel: set[str]):
        self.problem = problem
        compiled = problem.compiled
        self.rows = {
            p.id: compiled.groups[compiled.group_of[p.id]].quota_rows for p in problem.people
        }
        self.counts = [0] * len(problem.quotas)
        for member in panel:
            for r in self.rows[member]:
                self.counts[r] += 1
        self.panel = panel
        self.member_rows = {self.rows[m] for m in panel}

    def _fits(self, leaving_rows: tuple[int, ...], joining_rows: tuple[int, ...]) -> bool:
        quotas = self.problem.quotas
        for r in set(leaving_rows) ^ set(joining_rows):
            count = self.counts[r] + (1 if r in joining_rows else -1)
            if not quotas[r].min <= count <= quotas[r].max:
                return False
        return True

    def can_replace_someone(self, joining: str) -> bool:
        rows = self.rows[joining]
        return any(self._fits(leaving, rows) for leaving in self.member_rows)

    def can_replace(self, leaving: str, joining: str) -> bool:
        household = self.problem.person(joining).household
        if joining in self.panel:
            return False
        if household is not None and any(
            self.problem.person(m).household == household for m in self.panel if m != leaving
        ):
            return False
        return self._fits(self.rows[leaving], self.rows[joining])


def find_replacement(
    problem: Problem,
    panel: Sequence[str],
    leaving: str,
    reserves: Sequence[str],
    used: Iterable[str] = (),
) -> str | None:
    """The first reserve, not already used, who can take ``leaving``'s seat with every quota and
    the one-per-household rule still met; None when nobody can."""
    current = set(panel)
    if leaving not in current:
        raise ValueError(f"{leaving!r} is not on the panel.")
    swaps = _Swaps(problem, current)
    skip = set(used)
    for reserve in reserves:
        if reserve not in skip and swaps.can_replace(leaving, reserve):
            return reserve
    return None


# Publishing and verifying -------------------------------------------------------------------


def anonymise(problem: Problem, key: str) -> tuple[Problem, dict[str, str]]:
    """The same problem with people renamed "P0001"... and households "H0001"..., in an order
    fixed by a secret ``key`` (so the numbers reveal nothing about who is who). Returns the
    anonymised problem and the map from real id to published id (keep that private)."""

    def keyed(text: str) -> bytes:
        return hmac.new(key.encode(), text.encode(), hashlib.sha256).digest()

    people = sorted(problem.people, key=lambda p: keyed("person|" + p.id))
    households = sorted(
        {p.household for p in problem.people} - {None}, key=lambda h: keyed("household|" + h)
    )
    household_names = {h: f"H{i + 1:04d}" for i, h in enumerate(households)}
    width = max(4, len(str(len(people))))
    names = {p.id: f"P{i + 1:0{width}d}" for i, p in enumerate(people)}
    anonymous = [
        Person(
            id=names[p.id], features=dict(p.features), household=household_names.get(p.household)
        )
        for p in sorted(people, key=lambda p: names[p.id])
    ]
    return Problem(anonymous, problem.quotas, problem.panel_size), names


# The published record (format v2) and its check ----------------------------------------------


def sha256_json(value: object) -> str:
    """SHA-256 (hex) of the canonical JSON of ``value``: keys sorted, no spaces, ASCII only."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def panels_sha256(panels: Sequence[Sequence[str]]) -> str:
    """SHA-256 of the lottery's panels: the same as ``Lottery.digest``, which the draw uses."""
    return hashlib.sha256(canonical_panels_json(panels).encode()).hexdigest()


def normalise_public_value(text: str) -> str:
    """The public value as the seed uses it: letters and numbers only, in lower case, separated
    by single spaces, with leading zeros dropped from numbers. So "07, 12, 33" and "7 12 33"
    give the same seed, but "7 12 34" does not."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    words = re.findall(r"[0-9a-z]+", text)
    return " ".join(w.lstrip("0") or "0" if w.isdigit() else w for w in words)


def mix_seed(secret: str, public_value: str) -> str:
    """The final seed: SHA-256 over a domain tag, the secret and the normalised public value.
    Nobody can choose it: the secret was fixed (by its SHA-256) before anyone knew the public
    value, and nobody but the secretariat knew the secret."""
    text = f"{FORMAT}|final-seed|{secret}|{normalise_public_value(public_value)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def problem_from_inputs(inputs: dict) -> Problem:
    """The selection problem from a record's published inputs."""
    people = [Person(p["id"], p["features"], p.get("household")) for p in inputs["people"]]
    quotas = [Quota(c, v, lo, hi) for c, v, lo, hi in inputs["quotas"]]
    return Problem(people, quotas, inputs["panel_size"])


OLD_FORMAT_PROBLEM = (
    "This file is in the old format (nhs-citizen/sortition/v1, or no format named). In that "
    "format the lottery was made after the seed was committed, by the computer that knew the "
    "seed, so no check can show that the panel was not chosen to suit someone. Only files in the "
    f"format {FORMAT} can be checked."
)

# What the check is doing (the progress page shows it): see models.JobStage.
Progress = Callable[[str, dict], None]


def _quiet(stage: str, data: dict | None = None) -> None:
    return None


class _Stop(Exception):
    """The file cannot be read far enough to check the rest."""


def _when(value: object, what: str) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise _Stop(f"The time {what} is missing or is not a date and time.") from None


def _day(value: object, what: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _Stop(f"The date {what} is missing or is not a date.") from None


def _part(record: dict, key: str, what: str) -> dict:
    value = record.get(key)
    if not isinstance(value, dict):
        raise _Stop(f"The file has no {what}.")
    return value


def verify_record(
    record: dict,
    *,
    public_value: str | None = None,
    progress: Progress | None = None,
    optimality_time_limit: float | None = None,
) -> list[str]:
    """Check a published draw file (format v2, as a dict) and list each problem in plain
    English; an empty list means it checks out. ``public_value``, if given, is the value the
    person checking looked up themselves for the named public draw.

    Checks, in order: the inputs, lottery, chances and proof are the ones whose SHA-256 codes
    were published, and the times are in the right order (inputs fixed, then the lottery
    published, then the seed committed, then the public value known and typed in); every panel
    in the lottery meets the quotas and the household rule; everyone is on at least
    floor(m p_min) panels and within one of m p; the lowest chance is the best possible (the
    LP bound); the secret matches its commitment and the final seed mixes it with the public
    value; the panel and the reserves follow from the final seed."""
    report = progress or _quiet
    fmt = record.get("format") if isinstance(record, dict) else None
    if fmt in (None, OLD_FORMAT):
        return [OLD_FORMAT_PROBLEM]
    if fmt != FORMAT:
        return [
            f"This file's format is {fmt!r}, which this check does not know (it knows {FORMAT})."
        ]
    try:
        return _verify(record, public_value, report, optimality_time_limit)
    except _Stop as stop:
        return [str(stop)]


def _verify(record, public_value, report, optimality_time_limit) -> list[str]:
    from .bound import check_optimality
    from .lottery import guarantee_problems, lottery_from_panels

    found: list[str] = []
    report("checking_lottery", {})
    inputs = _part(record, "inputs", "inputs")
    published = _part(record, "lottery", "lottery")
    commitment = _part(record, "seed_commitment", "seed commitment")
    try:
        problem = problem_from_inputs(inputs)
        m = int(inputs["lottery_size"])
        asked = int(inputs["reserves"])
    except (KeyError, TypeError, ValueError, ProblemError) as error:
        raise _Stop(f"The inputs in the file cannot be read: {error}") from None
    panels = published.get("panels")
    probabilities = published.get("probabilities")
    certificate = published.get("certificate")
    if not isinstance(panels, list) or not all(isinstance(p, list) for p in panels):
        raise _Stop("The file has no list of the lottery's panels.")
    if not isinstance(probabilities, dict) or not isinstance(certificate, dict):
        raise _Stop("The file has no chances, or no proof that the lowest chance is the best.")

    # 1. The same inputs, lottery, chances and proof as were published, in the right order.
    codes = [
        ("inputs_sha256", sha256_json(inputs), "The inputs (the pool, quotas and households) are"),
        ("lottery_sha256", panels_sha256(panels), "The lottery of panels is"),
        ("probabilities_sha256", sha256_json(probabilities), "Everyone's chances are"),
        (
            "certificate_sha256",
            sha256_json(certificate),
            "The proof that the lowest chance is the best possible is",
        ),
    ]
    for key, actual, what in codes:
        if record.get(key) != actual:
            found.append(
                f"{what} not what was published before the seed was committed: the SHA-256 "
                f"code of this file's copy is {actual}, but the code published was "
                f"{record.get(key)}."
            )
    frozen = _when(record.get("inputs_frozen_at"), "the inputs were fixed")
    lottery_at = _when(record.get("lottery_published_at"), "the lottery was published")
    committed = _when(commitment.get("committed_at"), "the seed was committed")
    known_on = _day(commitment.get("public_value_date"), "the public value would be known")
    if not frozen <= lottery_at:
        found.append("The lottery was published before the inputs were fixed.")
    if not lottery_at < committed:
        found.append(
            "The seed was committed before the lottery was published, so whoever knew the seed "
            "could have chosen the lottery."
        )
    if not committed.date() < known_on:
        found.append(
            f"The seed was committed on {when_words(committed.date())}, not before the day the "
            f"public value would be known ({when_words(known_on)}), so it may have been known already."
        )

    # 2. Every panel meets the quotas and the household rule on the published inputs.
    if len(panels) != m:
        found.append(f"The lottery should have {m} panels but has {len(panels)}.")
    for number, panel in enumerate(panels, start=1):
        reasons = problem.panel_problems(panel)
        if reasons:
            found.append(f"Panel {number} in the lottery breaks the rules: {' '.join(reasons)}")
            break

    # 3. Everyone's count in the lottery keeps the promise made by their chance.
    report("checking_chances", {})
    pool_ids = {p.id for p in problem.people}
    if set(probabilities) != pool_ids:
        found.append("The chances are not given for exactly the people in the pool.")
    values = [float(v) for v in probabilities.values() if isinstance(v, int | float)]
    if len(values) != len(probabilities) or not all(math.isfinite(v) for v in values):
        raise _Stop("Some chances in the file are not numbers.")
    if values and abs(math.fsum(values) - problem.panel_size) > 1e-6:
        found.append(
            f"The chances add up to {math.fsum(values):.6f}, but with {problem.panel_size} "
            f"people on every panel they must add up to {problem.panel_size}."
        )
    minimum = min(values) if values else 0.0
    if abs(float(published.get("minimum_probability", -1)) - minimum) > 1e-9:
        found.append("The lowest chance published is not the lowest of the chances.")
    found.extend(guarantee_problems(panels, probabilities, m))

    # 4. The lowest chance is the best possible: the LP bound, from the published proof.
    found.extend(check_optimality(problem, minimum, certificate, time_limit=optimality_time_limit))

    # 5. The seed: the secret matches its commitment, the public value is the named one.
    report("checking_seed", {})
    typed = record.get("public_value")
    seed = record.get("seed")
    result = record.get("result")
    if not isinstance(typed, dict) or not isinstance(seed, dict) or not isinstance(result, dict):
        found.append(
            "The draw has not happened yet (no public value, seed or result in the file), so "
            "only the lottery could be checked."
        )
        return found
    secret = str(seed.get("secret") or "")
    value = str(typed.get("value") or "")
    if commit(secret) != commitment.get("secret_sha256"):
        found.append(
            "The secret revealed does not match the SHA-256 code committed before the draw."
        )
    name = commitment.get("public_value_name", "the named public value")
    if public_value is not None and normalise_public_value(public_value) != normalise_public_value(
        value
    ):
        found.append(
            f"The public value used ({value!r}) is not the one you gave for “{name}” "
            f"({public_value!r})."
        )
    entered = _when(typed.get("entered_at"), "the public value was typed in")
    if entered.date() < known_on:
        found.append(
            f"The public value was typed in on {when_words(entered.date())}, before "
            f"{when_words(known_on)}, the day it was named for."
        )
    final = mix_seed(secret, value)
    if seed.get("final_seed") != final:
        found.append("The final seed is not the one made from the secret and the public value.")

    # 6. The panel and the reserves follow from the final seed.
    lottery = lottery_from_panels(problem, panels)
    if [list(p) for p in lottery.panels] != [list(p) for p in panels]:
        found.append("The lottery's panels are not listed in the standard order.")
        return found
    drawn = draw(lottery, final, reserve_size=asked)
    if result.get("lottery_index") != drawn.panel_number:
        found.append(
            f"The seed picks panel {drawn.panel_number + 1} of the lottery, but the file says "
            f"panel {(result.get('lottery_index') or 0) + 1} was drawn."
        )
    if sorted(result.get("selected") or []) != sorted(drawn.selected):
        found.append("The people chosen are not the ones the seed picks from the lottery.")
    if list(result.get("reserves") or []) != list(drawn.reserves):
        found.append("The reserves, or their order, are not the ones the seed gives.")
    return found


def draw_result(lottery: Lottery, final_seed: str, reserve_size: int) -> dict:
    """The result part of the published record (JSON-ready)."""
    result = draw(lottery, final_seed, reserve_size=reserve_size)
    return {
        "lottery_index": result.panel_number,
        "selected": sorted(result.selected),
        "reserves": list(result.reserves),
        "reserves_asked": reserve_size,
        "reserves_short_reason": result.reserves_short_reason,
    }


__all__ = [
    "FORMAT",
    "DrawResult",
    "anonymise",
    "commit",
    "draw",
    "draw_result",
    "find_replacement",
    "mix_seed",
    "new_seed",
    "normalise_public_value",
    "panels_sha256",
    "problem_from_inputs",
    "reserve_list",
    "reserves_short_reason",
    "sha256_json",
    "uniform_index",
    "verify_record",
]
