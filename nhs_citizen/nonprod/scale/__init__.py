"""Scale data for measuring NHS Citizen at national size (never in production).

    from nhs_citizen.nonprod.scale import generate
    generate(scale=0.0001, seed=1)   # a tiny but complete data set

See ``generate.py`` for what is made, and ``manage.py seed_scale`` for the command.
"""

from nhs_citizen.nonprod.scale.generate import (
    BASE,
    SCALE_DOMAIN,
    SCALE_PASSWORD,
    Result,
    ScaleError,
    counts_for,
    generate,
    scale_data_exists,
)

__all__ = [
    "BASE",
    "SCALE_DOMAIN",
    "SCALE_PASSWORD",
    "Result",
    "ScaleError",
    "counts_for",
    "generate",
    "scale_data_exists",
]
