"""Working days now live in nhs_citizen.core.working_days, so that accounts (which imports no
domain app) can use them for requests for other formats (ADR 0036). Kept so that existing
imports from here still work."""

from nhs_citizen.core.working_days import (  # noqa: F401
    add_working_days,
    england_bank_holidays,
    is_working_day,
    working_days_between,
)
