"""The one place the Django side calls the pure selection algorithms.

Inputs are the published, anonymised JSON (`services.draws.published_inputs`). The lottery is
made from them alone (`make_lottery`) and published before the seed exists; the draw then picks
from that published lottery with the final seed (`draw_from_lottery`). Anyone holding the
published file can check every step (`check_published_file`)."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from nhs_citizen.panels.algorithms import draw as drawing
from nhs_citizen.panels.algorithms.model import Problem

ALGORITHM_VERSION = "nhs-citizen-leximin-2"
FORMAT = drawing.FORMAT

# Told where a job has got to: a stage name (see models.JobStage) and what is known so far
# (minimum_proved, panels_found, minimum_after_rounding). It must be quick.
Progress = Callable[[str, dict], None]


def _quiet(stage: str, data: dict | None = None) -> None:
    return None


def build_problem(inputs: dict) -> Problem:
    return drawing.problem_from_inputs(inputs)


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


class LotteryError(ValueError):
    """No lottery could be made that keeps every promise; nothing is published. Plain English."""


def make_lottery(
    inputs: dict,
    *,
    time_limit: float,
    rounding_time_limit: float,
    progress: Progress | None = None,
) -> dict:
    """Work out the fairest chances (LEXIMIN), prove the lowest one is the best possible, and
    round them to a lottery of ``inputs["lottery_size"]`` panels. Returns the lottery part of
    the published record: panels, probabilities, certificate, minimum_probability,
    minimum_after_rounding, finished, seconds. Checks the lottery keeps its promise and the
    proof holds before returning; raises LotteryError (plain English) otherwise."""
    from nhs_citizen.panels.algorithms import bound, leximin, lottery

    report = progress or _quiet
    report("inputs", {})
    problem = build_problem(inputs)
    report("distribution", {})
    distribution = leximin.find_distribution(
        problem, time_limit=time_limit, progress=lambda known: report("distribution", known)
    )
    try:
        certificate = bound.optimality_certificate(distribution)
    except ValueError:
        certificate = None
    if certificate is None and distribution.min_probability >= 1 - 1e-9:
        # Everyone is on every panel (the pool is the panel): no chance can be higher than 1,
        # and equal weights prove it (every panel weighs k/n = 1). Checked below all the same.
        certificate = {p.id: 1 / len(problem.people) for p in problem.people}
    if certificate is None:
        raise LotteryError(
            f"We could not prove, within {time_limit:g} seconds, that the lowest chance of being "
            "chosen is as high as it can be, so no lottery was published. Try again: give the "
            "draw more time, or make the pool smaller or the quotas simpler."
        ) from None
    report(
        "rounding",
        {
            "minimum_proved": distribution.min_probability,
            "panels_found": len(distribution.compositions),
        },
    )
    m = int(inputs["lottery_size"])
    try:
        rounded = lottery.round_to_lottery(distribution, m, time_limit=rounding_time_limit)
    except lottery.RoundingError as error:
        raise LotteryError(str(error)) from None
    ordered = lottery.lottery_from_panels(problem, rounded.panels)
    panels = [list(p) for p in ordered.panels]
    probabilities = {k: round(v, 12) for k, v in sorted(distribution.probabilities.items())}
    certificate = {k: round(v, 15) for k, v in sorted(certificate.items())}
    minimum = min(probabilities.values())
    report("proving", {"minimum_after_rounding": ordered.min_probability})
    problems = [
        *(p for panel in panels for p in problem.panel_problems(panel)),
        *lottery.guarantee_problems(panels, probabilities, m),
        *bound.check_optimality(problem, minimum, certificate, time_limit=time_limit),
    ]
    if problems:
        raise LotteryError(
            "The lottery did not pass its own checks, so it was not published. "
            + " ".join(problems[:5])
        )
    return {
        "algorithm": ALGORITHM_VERSION,
        "panels": panels,
        "probabilities": probabilities,
        "certificate": certificate,
        "minimum_probability": minimum,
        "minimum_after_rounding": ordered.min_probability,
        # Both LEXIMIN stages finished: everyone else levelled up as far as possible too.
        "finished": bool(distribution.finished),
        "seconds": round(distribution.seconds, 3),
    }


def draw_from_lottery(inputs: dict, published_lottery: dict, final_seed: str) -> dict:
    """Pick the panel and the ordered reserves from the published lottery with the final seed.
    Cheap: hashing only."""
    from nhs_citizen.panels.algorithms import lottery

    problem = build_problem(inputs)
    ordered = lottery.lottery_from_panels(problem, published_lottery["panels"])
    return drawing.draw_result(ordered, final_seed, int(inputs["reserves"]))


def summarise(published_lottery: dict | None) -> dict | None:
    """The few figures a panel's page shows about everyone's chances, from the published
    lottery."""
    values = list(((published_lottery or {}).get("probabilities") or {}).values())
    if not values:
        return None
    return {
        "people": len(values),
        "minimum": min(values),
        "maximum": max(values),
        "median": statistics.median(values),
        "after_rounding": published_lottery.get("minimum_after_rounding"),
        "lottery_size": len(
            published_lottery.get("panels") or published_lottery.get("lottery") or []
        ),
        "finished": published_lottery.get("finished"),
    }


SEED_NOT_REVEALED = "The seed has not been revealed yet, so the draw cannot be checked."


def check_published_file(
    data: dict,
    *,
    public_value: str | None = None,
    progress: Progress | None = None,
    optimality_time_limit: float | None = None,
) -> list[str]:
    """Check a draw from its published file (the JSON on the panel's page, as a dict). An empty
    list means it checks out. `manage.py verify_draw` and the background check both use this
    (see `algorithms.draw.verify_record` for what is checked)."""
    return drawing.verify_record(
        data,
        public_value=public_value,
        progress=progress,
        optimality_time_limit=optimality_time_limit,
    )
