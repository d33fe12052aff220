"""The greedy "legacy" method of the Sortition Foundation, for comparison only.

Seat by seat: find the quota group that most needs people (seats still needed to reach its
minimum, divided by the people left in it), pick a random person from it, then remove their
housemates and everyone in any group that is now full. Start again if it gets stuck.

It never says what anyone's chance is, so we estimate it by running it many times (Monte
Carlo). People who are interchangeable (same values in every quota category, no housemate in
the pool) have the same chance, so their counts are pooled, which makes the estimate much
steadier.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from .model import Problem


class LegacyFailed(RuntimeError):
    """The greedy method got stuck on every attempt."""


class _Legacy:
    def __init__(self, problem: Problem):
        self.problem = problem
        compiled = problem.compiled
        self.ids = [p.id for p in problem.people]
        index = {pid: i for i, pid in enumerate(self.ids)}
        self.rows_of = [compiled.groups[compiled.group_of[pid]].quota_rows for pid in self.ids]
        self.members = [[] for _ in problem.quotas]
        for i, rows in enumerate(self.rows_of):
            for r in rows:
                self.members[r].append(i)
        housemates: dict[str, list[int]] = {}
        for p in problem.people:
            if p.household is not None:
                housemates.setdefault(p.household, []).append(index[p.id])
        self.mates = [[] for _ in self.ids]
        for group in housemates.values():
            for i in group:
                self.mates[i] = [j for j in group if j != i]
        self.mins = [q.min for q in problem.quotas]
        self.maxs = [q.max for q in problem.quotas]

    def attempt(self, rng: random.Random) -> list[int] | None:
        n_rows = len(self.mins)
        remaining = [list(m) for m in self.members]  # people left in each quota group
        position = [{p: k for k, p in enumerate(m)} for m in remaining]
        alive = [True] * len(self.ids)
        selected_in = [0] * n_rows
        left = len(self.ids)

        def remove(i: int) -> None:
            nonlocal left
            alive[i] = False
            left -= 1
            for r in self.rows_of[i]:
                row, pos = remaining[r], position[r]
                k = pos.pop(i)
                last = row.pop()
                if last != i:
                    row[k] = last
                    pos[last] = k

        def stuck() -> bool:
            return any(
                selected_in[r] < self.mins[r] and len(remaining[r]) < self.mins[r] - selected_in[r]
                for r in range(n_rows)
            )

        for r in range(n_rows):
            if self.maxs[r] == 0:
                for i in list(remaining[r]):
                    remove(i)
        if stuck():
            return None
        chosen: list[int] = []
        for _ in range(self.problem.panel_size):
            best, best_ratio = -1, -100.0
            for r in range(n_rows):
                number = len(remaining[r])
                if number == 0 or self.maxs[r] == 0:
                    continue
                ratio = max(self.mins[r] - selected_in[r], 0) / number
                if ratio > best_ratio:
                    best, best_ratio = r, ratio
            if best < 0:
                # Nobody is in a quota group any more: anyone left will do.
                others = [i for i in range(len(self.ids)) if alive[i]]
                if not others:
                    return None
                person = rng.choice(others)
            else:
                person = remaining[best][rng.randrange(len(remaining[best]))]
            chosen.append(person)
            remove(person)
            for r in self.rows_of[person]:
                selected_in[r] += 1
            for mate in self.mates[person]:
                if alive[mate]:
                    remove(mate)
            for r in self.rows_of[person]:
                if selected_in[r] == self.maxs[r]:
                    for i in list(remaining[r]):
                        remove(i)
            if stuck():
                return None
            if left == 0 and len(chosen) < self.problem.panel_size:
                return None
        if any(not self.mins[r] <= selected_in[r] <= self.maxs[r] for r in range(n_rows)):
            return None
        return chosen


def legacy_panel(problem: Problem, rng: random.Random, attempts: int = 100) -> frozenset[str]:
    """One panel chosen by the legacy method (retrying up to ``attempts`` times)."""
    legacy = _Legacy(problem)
    for _ in range(attempts):
        chosen = legacy.attempt(rng)
        if chosen is not None:
            return frozenset(legacy.ids[i] for i in chosen)
    raise LegacyFailed(f"The legacy method got stuck {attempts} times in a row.")


@dataclass(frozen=True)
class LegacyEstimate:
    probabilities: dict[str, float]
    runs: int
    failed_attempts: int
    seconds: float


def legacy_probabilities(
    problem: Problem, runs: int = 1000, seed: int = 0, attempts: int = 100
) -> LegacyEstimate:
    """Estimate each volunteer's chance under the legacy method from ``runs`` panels."""
    start = time.perf_counter()
    rng = random.Random(seed)
    legacy = _Legacy(problem)
    counts = [0] * len(legacy.ids)
    failed = 0
    for _ in range(runs):
        for _ in range(attempts):
            chosen = legacy.attempt(rng)
            if chosen is not None:
                break
            failed += 1
        else:
            raise LegacyFailed(f"The legacy method got stuck {attempts} times in a row.")
        for i in chosen:
            counts[i] += 1
    compiled = problem.compiled
    index = {pid: i for i, pid in enumerate(legacy.ids)}
    probabilities = {}
    for group in compiled.groups:
        total = sum(counts[index[m]] for m in group.members)
        for m in group.members:
            probabilities[m] = total / (runs * group.size)
    return LegacyEstimate(probabilities, runs, failed, time.perf_counter() - start)
