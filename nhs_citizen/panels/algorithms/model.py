"""The data every selection algorithm shares: people, quotas, the problem, and its compiled form.

Nothing here knows about Django. People are identified by opaque strings: the caller gives
pseudonymous ids (see ``draw.anonymise``), because the same ids are published with the draw.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from nhs_citizen.core.words import count_words


class ProblemError(ValueError):
    """The problem is malformed (not merely infeasible): duplicate ids, negative quotas and so on."""


@dataclass(frozen=True)
class Person:
    """A volunteer in the pool. ``features`` maps a category (``"Age band"``) to a value
    (``"16-29"``). ``household`` is an opaque label shared by people at the same address, or None."""

    id: str
    features: Mapping[str, str]
    household: str | None = None


@dataclass(frozen=True)
class Quota:
    """At least ``min`` and at most ``max`` seats for people whose ``category`` is ``value``."""

    category: str
    value: str
    min: int
    max: int

    @property
    def label(self) -> str:
        return f"{self.category}: {self.value}"


@dataclass(frozen=True)
class Problem:
    """Choose ``panel_size`` people from ``people``, meeting every quota, at most one person per
    household. A person whose value in a category has no quota is simply not counted for it."""

    people: tuple[Person, ...]
    quotas: tuple[Quota, ...]
    panel_size: int

    def __init__(self, people: Sequence[Person], quotas: Sequence[Quota], panel_size: int):
        object.__setattr__(self, "people", tuple(people))
        object.__setattr__(self, "quotas", tuple(quotas))
        object.__setattr__(self, "panel_size", int(panel_size))
        self._validate()

    def _validate(self) -> None:
        if self.panel_size < 1:
            raise ProblemError("The panel must have at least one seat.")
        seen: set[str] = set()
        for person in self.people:
            if person.id in seen:
                raise ProblemError(f"The pool lists the id {person.id!r} more than once.")
            seen.add(person.id)
        keys: set[tuple[str, str]] = set()
        for quota in self.quotas:
            if (quota.category, quota.value) in keys:
                raise ProblemError(f"There are two quotas for {quota.label}.")
            keys.add((quota.category, quota.value))
            if quota.min < 0 or quota.max < 0:
                raise ProblemError(f"The quota for {quota.label} is negative.")

    @cached_property
    def categories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(q.category for q in self.quotas))

    @cached_property
    def compiled(self) -> CompiledProblem:
        return CompiledProblem.build(self)

    def person(self, person_id: str) -> Person:
        return self._by_id[person_id]

    @cached_property
    def _by_id(self) -> dict[str, Person]:
        return {p.id: p for p in self.people}

    def counts(self, panel: frozenset[str] | Sequence[str]) -> dict[tuple[str, str], int]:
        """Seats taken by each quota's group in ``panel``."""
        counts = {(q.category, q.value): 0 for q in self.quotas}
        for person_id in panel:
            features = self._by_id[person_id].features
            for category in self.categories:
                key = (category, features.get(category))
                if key in counts:
                    counts[key] += 1
        return counts

    def panel_problems(self, panel: frozenset[str] | Sequence[str]) -> list[str]:
        """Plain-English reasons why ``panel`` is not a valid panel (empty when it is valid)."""
        members = list(panel)
        found: list[str] = []
        unknown = [m for m in members if m not in self._by_id]
        if unknown:
            return [
                f"{count_words(len(unknown), 'person', 'people')} on the panel "
                f"{'is' if len(unknown) == 1 else 'are'} not in the pool."
            ]
        if len(set(members)) != len(members):
            found.append("Someone is on the panel twice.")
        if len(set(members)) != self.panel_size:
            found.append(f"The panel has {len(set(members))} people, not {self.panel_size}.")
        counts = self.counts(set(members))
        for quota in self.quotas:
            seats = counts[(quota.category, quota.value)]
            if seats < quota.min:
                found.append(
                    f"{quota.label} has {seats} seats, fewer than the minimum of {quota.min}."
                )
            if seats > quota.max:
                found.append(
                    f"{quota.label} has {seats} seats, more than the maximum of {quota.max}."
                )
        households: dict[str, int] = defaultdict(int)
        for member in set(members):
            household = self._by_id[member].household
            if household is not None:
                households[household] += 1
        for household, number in households.items():
            if number > 1:
                found.append(f"{number} people from one household ({household}) are on the panel.")
        return found

    def is_valid_panel(self, panel: frozenset[str] | Sequence[str]) -> bool:
        return not self.panel_problems(panel)


@dataclass(frozen=True)
class Group:
    """People who are interchangeable for selection: the same value in every quota category and
    no housemate in the pool. Someone who shares a household is a group of their own."""

    members: tuple[str, ...]
    quota_rows: tuple[int, ...]
    household: int | None = None

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class CompiledProblem:
    """The problem in the shape the solvers use: groups of interchangeable people.

    Leximin treats interchangeable people alike (its optimum is unique and so symmetric), so the
    solvers choose how many seats each group gets; a group of size s with c seats gives each
    member probability c / s. This makes the integer programs far smaller than one variable per
    person. Households with two or more people in the pool become constraints over groups."""

    problem: Problem
    groups: tuple[Group, ...]
    households: tuple[tuple[int, ...], ...]
    group_of: Mapping[str, int] = field(repr=False)

    @classmethod
    def build(cls, problem: Problem) -> CompiledProblem:
        quota_index = {(q.category, q.value): i for i, q in enumerate(problem.quotas)}
        household_sizes: dict[str, int] = defaultdict(int)
        for person in problem.people:
            if person.household is not None:
                household_sizes[person.household] += 1
        shared = sorted(h for h, n in household_sizes.items() if n > 1)
        household_number = {h: i for i, h in enumerate(shared)}

        def rows_for(person: Person) -> tuple[int, ...]:
            rows = []
            for category in problem.categories:
                row = quota_index.get((category, person.features.get(category)))
                if row is not None:
                    rows.append(row)
            return tuple(rows)

        by_key: dict[tuple, list[str]] = defaultdict(list)
        for person in sorted(problem.people, key=lambda p: p.id):
            rows = rows_for(person)
            if person.household in household_number:
                key = ("household", person.id, rows)
            else:
                key = ("alike", rows)
            by_key[key].append(person.id)

        groups: list[Group] = []
        group_households: dict[int, list[int]] = defaultdict(list)
        for key in sorted(by_key, key=lambda k: (k[0], str(k[1:]))):
            members = tuple(by_key[key])
            rows = key[-1]
            household = None
            if key[0] == "household":
                household = household_number[problem.person(members[0]).household]
                group_households[household].append(len(groups))
            groups.append(Group(members=members, quota_rows=rows, household=household))
        group_of = {m: g for g, group in enumerate(groups) for m in group.members}
        households = tuple(tuple(group_households[h]) for h in range(len(shared)))
        return cls(problem=problem, groups=tuple(groups), households=households, group_of=group_of)

    @property
    def sizes(self) -> list[int]:
        return [g.size for g in self.groups]


@dataclass(frozen=True)
class Distribution:
    """A probability distribution over panels, described by seats per group.

    ``compositions[j][g]`` is the number of seats group g has in panel j; the panel itself takes
    those seats uniformly at random among the group's members (``lottery.round_to_lottery``
    makes this exact and concrete). ``probabilities`` are the marginals of this very
    distribution, so they agree with it to the last digit."""

    compiled: CompiledProblem
    compositions: tuple[tuple[int, ...], ...]
    weights: tuple[float, ...]
    method: str
    seconds: float = 0.0
    # Extra columns found on the way (all valid panels). Lottery rounding may use them.
    spare_compositions: tuple[tuple[int, ...], ...] = ()
    details: Mapping[str, object] = field(default_factory=dict)
    # True when the method ran to the end (for LEXIMIN: the minimum was proved optimal and
    # everyone else was levelled up as far as possible); False when a time limit stopped it
    # first, in which case ``details`` says how far it got.
    finished: bool = False

    @property
    def problem(self) -> Problem:
        return self.compiled.problem

    @cached_property
    def group_probabilities(self) -> tuple[float, ...]:
        sizes = self.compiled.sizes
        totals = [0.0] * len(sizes)
        for composition, weight in zip(self.compositions, self.weights, strict=True):
            for g, seats in enumerate(composition):
                if seats:
                    totals[g] += weight * seats
        return tuple(math.fsum([t]) / s for t, s in zip(totals, sizes, strict=True))

    @cached_property
    def probabilities(self) -> dict[str, float]:
        """Each volunteer's probability of selection."""
        group_probabilities = self.group_probabilities
        return {
            member: group_probabilities[g]
            for g, group in enumerate(self.compiled.groups)
            for member in group.members
        }

    @property
    def min_probability(self) -> float:
        return min(self.probabilities.values())

    @classmethod
    def from_panels(
        cls,
        problem: Problem,
        panels: Sequence[frozenset[str]],
        weights: Sequence[float],
        method: str,
        seconds: float = 0.0,
    ) -> Distribution:
        """A distribution over concrete panels (as other libraries give them): every person is a
        group of their own."""
        compiled = singleton_compilation(problem)
        index = compiled.group_of
        compositions = []
        for panel in panels:
            row = [0] * len(compiled.groups)
            for member in panel:
                row[index[member]] = 1
            compositions.append(tuple(row))
        total = math.fsum(weights)
        return cls(
            compiled=compiled,
            compositions=tuple(compositions),
            weights=tuple(w / total for w in weights),
            method=method,
            seconds=seconds,
        )


def singleton_compilation(problem: Problem) -> CompiledProblem:
    """The compiled problem with one group per person (no merging of interchangeable people)."""
    quota_index = {(q.category, q.value): i for i, q in enumerate(problem.quotas)}
    households: dict[str, list[int]] = defaultdict(list)
    groups = []
    for i, person in enumerate(sorted(problem.people, key=lambda p: p.id)):
        rows = tuple(
            quota_index[(c, person.features.get(c))]
            for c in problem.categories
            if (c, person.features.get(c)) in quota_index
        )
        groups.append(Group(members=(person.id,), quota_rows=rows))
        if person.household is not None:
            households[person.household].append(i)
    shared = [tuple(v) for _, v in sorted(households.items()) if len(v) > 1]
    numbered = {g: h for h, members in enumerate(shared) for g in members}
    groups = [
        Group(members=g.members, quota_rows=g.quota_rows, household=numbered.get(i))
        for i, g in enumerate(groups)
    ]
    group_of = {g.members[0]: i for i, g in enumerate(groups)}
    return CompiledProblem(
        problem=problem, groups=tuple(groups), households=tuple(shared), group_of=group_of
    )


def canonical_panels_json(panels: Sequence[Sequence[str]]) -> str:
    """The lottery's panels as the compact JSON whose SHA-256 is the lottery's digest. Here,
    not in lottery.py, so that checking a draw needs no solver or NumPy."""
    return json.dumps([list(p) for p in panels], separators=(",", ":"), ensure_ascii=True)
