"""The one place the Django side calls the pure selection algorithms.

Inputs are the published, anonymised JSON (`services.draws.published_inputs`): anyone holding
that JSON and the revealed seed can run `run()` and get the same result."""

from __future__ import annotations

import hashlib
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from nhs_citizen.panels.algorithms.model import Person, Problem, Quota

ALGORITHM_VERSION = "nhs-citizen-leximin-1"

# Told where a draw or a check has got to: a stage name (see models.JobStage) and what is known
# so far (minimum_proved, panels_found, minimum_after_rounding). It must be quick.
Progress = Callable[[str, dict], None]


def _quiet(stage: str, data: dict | None = None) -> None:
    return None


def build_problem(inputs: dict) -> Problem:
    people = [Person(p["id"], p["features"], p.get("household")) for p in inputs["people"]]
    quotas = [Quota(c, v, lo, hi) for c, v, lo, hi in inputs["quotas"]]
    return Problem(people, quotas, inputs["panel_size"])


@dataclass
class FeasibilityReport:
    feasible: bool
    explanations: list[str] = field(default_factory=list)


def check_feasibility(inputs: dict) -> FeasibilityReport:
    # The solver loads only where a check runs, never in every web process.
    from nhs_citizen.panels.algorithms.feasibility import check_feasibility as solve

    problem = build_problem(inputs)
    result = solve(problem)
    if result.feasible:
        return FeasibilityReport(True)
    return FeasibilityReport(
        False, [line for line in result.explanation.split("\n") if line.strip()]
    )


def is_valid_panel(inputs: dict, panel_ids: list[str]) -> bool:
    return build_problem(inputs).is_valid_panel(panel_ids)


@dataclass
class Outcome:
    probabilities: dict[str, float]
    lottery: list[list[str]]
    lottery_index: int
    selected: list[str]
    reserves: list[str]
    minimum_probability: float
    minimum_after_rounding: float

    def as_json(self) -> dict:
        return {
            "algorithm": ALGORITHM_VERSION,
            "probabilities": {k: round(v, 12) for k, v in sorted(self.probabilities.items())},
            "lottery": self.lottery,
            "lottery_index": self.lottery_index,
            "selected": self.selected,
            "reserves": self.reserves,
            "minimum_probability": self.minimum_probability,
            "minimum_after_rounding": self.minimum_after_rounding,
        }


def run(inputs: dict, seed: str, progress: Progress | None = None) -> Outcome:
    from nhs_citizen.panels.algorithms import draw as drawing
    from nhs_citizen.panels.algorithms import leximin, lottery

    report = progress or _quiet
    report("inputs", {})
    problem = build_problem(inputs)
    report("distribution", {})
    distribution = leximin.find_distribution(
        problem, progress=lambda known: report("distribution", known)
    )
    report(
        "rounding",
        {
            "minimum_proved": distribution.min_probability,
            "panels_found": len(distribution.compositions),
        },
    )
    rounded = lottery.round_to_lottery(distribution, m=inputs["lottery_size"])
    report("drawing", {"minimum_after_rounding": rounded.min_probability})
    result = drawing.draw(rounded, seed, reserve_size=inputs["reserves"])
    return Outcome(
        probabilities=dict(distribution.probabilities),
        lottery=[list(panel) for panel in rounded.panels],
        lottery_index=result.panel_number,
        selected=sorted(result.selected),
        reserves=list(result.reserves),
        minimum_probability=distribution.min_probability,
        minimum_after_rounding=rounded.min_probability,
    )


def summarise(published: dict | None) -> dict | None:
    """The few figures a panel's page shows about everyone's chances, from a published result."""
    values = list(((published or {}).get("probabilities") or {}).values())
    if not values:
        return None
    return {
        "people": len(values),
        "minimum": min(values),
        "maximum": max(values),
        "median": statistics.median(values),
        "after_rounding": published.get("minimum_after_rounding"),
        "lottery_size": len(published.get("lottery") or []),
    }


SEED_NOT_REVEALED = "The seed has not been revealed yet, so the draw cannot be checked."


def check_published_file(data: dict, progress: Progress | None = None) -> list[str]:
    """Check a draw from its published file (the JSON on the panel's page, as a dict): the
    seed matches the code published before the draw, and `verify`. An empty list means it
    checks out. `manage.py verify_draw` and the background check both use this."""
    seed = data.get("seed")
    if not seed:
        return [SEED_NOT_REVEALED]
    problems = []
    if hashlib.sha256(seed.encode()).hexdigest() != data.get("seed_sha256"):
        problems.append("The revealed seed does not match the code published before the draw.")
    problems.extend(verify(data["inputs"], seed, data["result"], progress))
    return problems


def verify(inputs: dict, seed: str, published: dict, progress: Progress | None = None) -> list[str]:
    """Check a published draw and list each problem (an empty list means it checks out):
    every panel in the published lottery meets the quotas and the household rule; the seed
    picks the published panel and reserves from that lottery; and the chances worked out again
    from the inputs are the published ones. (How closely the lottery keeps those chances is a
    measure of quality, reported on the panel's page, not a test of honesty.)"""
    from nhs_citizen.panels.algorithms import draw as drawing
    from nhs_citizen.panels.algorithms import leximin, lottery

    report = progress or _quiet
    report("checking_lottery", {})
    problems: list[str] = []
    problem = build_problem(inputs)
    panels = published.get("lottery") or []
    if len(panels) != inputs["lottery_size"]:
        problems.append(
            f"The lottery should have {inputs['lottery_size']} panels but has {len(panels)}."
        )
    if any(not problem.is_valid_panel(panel) for panel in panels):
        problems.append("At least one panel in the lottery breaks a quota or the household rule.")
    if problems:
        return problems
    published_lottery = lottery.lottery_from_panels(problem, panels)
    result = drawing.draw(published_lottery, seed, reserve_size=inputs["reserves"])
    if result.panel_number != published.get("lottery_index"):
        problems.append("The seed picks a different panel from the lottery than the one published.")
    if sorted(result.selected) != sorted(published.get("selected", [])):
        problems.append("The people chosen are not the ones the seed and the lottery give.")
    if list(result.reserves) != list(published.get("reserves", [])):
        problems.append(
            "The reserves, or their order, are not the ones the seed and the lottery give."
        )
    report("checking_chances", {})
    expected = leximin.find_distribution(
        problem, progress=lambda known: report("checking_chances", known)
    ).probabilities
    given = published.get("probabilities", {})
    if set(expected) != set(given) or any(abs(expected[k] - given[k]) > 1e-6 for k in expected):
        problems.append(
            "Everyone's chances, worked out again from the inputs, are not the ones published."
        )
    return problems
