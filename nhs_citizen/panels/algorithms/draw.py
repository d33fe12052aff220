"""The verifiable draw: commit to a seed, draw a panel and a reserve list from it, and let anyone
recompute both from the published, anonymised inputs.

1. Before the draw, publish ``commit(seed)`` (SHA-256 of the seed) with the time, and the
   lottery's digest. Neither can change afterwards without everyone seeing.
2. Reveal the seed. ``draw`` turns seed + lottery digest into a panel number (SHA-256 in
   counter mode, with rejection sampling so every panel is exactly equally likely) and an
   ordered reserve list. Only ``hashlib`` is used, never Python's ``random``, so every
   platform and version gets the same answer.
3. ``verify`` recomputes everything from the published record and the seed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from .lottery import Lottery, canonical_panels_json
from .model import Person, Problem, Quota

DOMAIN = "nhs-citizen/sortition/v1"


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
    if reserve_size is not None:
        reserves = reserves[:reserve_size]
    return DrawResult(
        panel_number=number,
        selected=tuple(selected),
        reserves=tuple(reserves),
        seed=seed,
        commitment=commit(seed),
        lottery_digest=digest,
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


@dataclass(frozen=True)
class Verification:
    ok: bool
    problems: tuple[str, ...] = ()
    result: DrawResult | None = None


def publish(lottery: Lottery, commitment: str, *, reserve_size: int | None = None) -> dict:
    """The record to publish before the seed is revealed (JSON-ready). The lottery's problem must
    already be anonymised (see ``anonymise``): this record holds every id it uses."""
    problem = lottery.problem
    return {
        "format": DOMAIN,
        "panel_size": problem.panel_size,
        "quotas": [asdict(q) for q in problem.quotas],
        "pool": [
            {"id": p.id, "features": dict(p.features), "household": p.household}
            for p in problem.people
        ],
        "lottery": [list(p) for p in lottery.panels],
        "lottery_digest": lottery.digest,
        "seed_commitment": commitment,
        "reserve_size": reserve_size,
    }


def problem_from_record(record: dict) -> Problem:
    return Problem(
        [
            Person(id=p["id"], features=p["features"], household=p.get("household"))
            for p in record["pool"]
        ],
        [Quota(**q) for q in record["quotas"]],
        record["panel_size"],
    )


def verify(record: dict, seed: str, announced: DrawResult | dict | None = None) -> Verification:
    """Recompute the draw from a published ``record`` and the revealed ``seed``, checking that the
    seed matches its commitment, the lottery matches its digest, every panel in the lottery
    meets every quota and the household rule, and (if given) that the announced result is the
    one the seed gives."""
    found: list[str] = []
    if commit(seed) != record["seed_commitment"]:
        found.append("The seed does not match the commitment published before the draw.")
    panels = [tuple(p) for p in record["lottery"]]
    digest = hashlib.sha256(canonical_panels_json(panels).encode()).hexdigest()
    if digest != record["lottery_digest"]:
        found.append("The lottery does not match its published digest.")
    problem = problem_from_record(record)
    for number, panel in enumerate(panels):
        reasons = problem.panel_problems(panel)
        if reasons:
            found.append(f"Panel {number + 1} in the lottery is not valid: {' '.join(reasons)}")
            break
    lottery = Lottery(problem=problem, panels=tuple(panels), target={})
    result = draw(lottery, seed, reserve_size=record.get("reserve_size"))
    if announced is not None:
        announced_dict = announced if isinstance(announced, dict) else asdict(announced)
        if list(announced_dict["selected"]) != list(result.selected):
            found.append("The announced panel is not the one the seed gives.")
        if list(announced_dict["reserves"]) != list(result.reserves):
            found.append("The announced reserve list is not the one the seed gives.")
    return Verification(ok=not found, problems=tuple(found), result=result)


def result_json(result: DrawResult) -> str:
    return json.dumps(asdict(result), separators=(",", ":"), sort_keys=True)


__all__ = [
    "DrawResult",
    "Verification",
    "anonymise",
    "commit",
    "draw",
    "find_replacement",
    "new_seed",
    "publish",
    "problem_from_record",
    "reserve_list",
    "result_json",
    "uniform_index",
    "verify",
]
