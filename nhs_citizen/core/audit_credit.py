"""Who the public audit log says acted, for each kind of action (ADR 0026).

Staff act for an organisation, not for themselves. So the public audit page and the open data
credit a staff action to the organisation and the role ("NHS England, curator", "NHS West
Yorkshire ICB, responder"), the way flag and tracker pages credit the organisation. Only the
full log, for administrators, names the person. A citizen's own public action (raising a flag)
keeps the name they chose to show.

Each app says in its ``staff.py`` which of its audited actions are staff actions and which are
a citizen's own. An action nobody registered is credited to ``UNREGISTERED`` - never a name.
Nothing here changes an entry or what is hashed: the credit is worked out when the log is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

NHS_ENGLAND = "NHS England"
AUTOMATIC = "NHS Citizen (automatic)"
UNREGISTERED = "NHS Citizen staff"


@dataclass(frozen=True)
class CreditedEntry:
    """What a credit rule may read of an entry: the same for a page row and an export row."""

    sequence: int
    action: str
    actor_id: int | None
    target_type: str
    target_id: str
    data: dict[str, Any]


# Given the entries a rule covers, the organisation each acted for, by entry number: a name, or
# an (organisation, role) pair where the role depends on the entry too. One query for the whole
# batch at most, so a page or an export chunk costs the same at any size.
OrganisationResolver = Callable[[Sequence[CreditedEntry]], dict[int, "str | tuple[str, str]"]]


@dataclass(frozen=True)
class ActionCredit:
    citizen: bool = False
    role: str = ""
    organisation: str = ""
    organisation_of: OrganisationResolver | None = None

    def label(self, found: str | tuple[str, str] = "") -> str:
        organisation, role = found if isinstance(found, tuple) else (found, self.role)
        organisation = organisation or self.organisation
        if organisation:
            return f"{organisation}, {role}"
        article = "An" if role[:1].lower() in "aeiou" else "A"
        return f"{article} {role}"


_exact: dict[str, ActionCredit] = {}
_prefixes: dict[str, ActionCredit] = {}


def _register(actions: Iterable[str], credit: ActionCredit) -> None:
    for action in actions:
        if action.endswith("*"):
            _prefixes[action[:-1]] = credit
        else:
            _exact[action] = credit


def register_citizen_actions(*actions: str) -> None:
    """Actions a person takes for themselves in public: the log shows their display name."""
    _register(actions, ActionCredit(citizen=True))


def register_staff_actions(
    *actions: str,
    role: str,
    organisation: str = "",
    organisation_of: OrganisationResolver | None = None,
) -> None:
    """Actions staff take in a role. The public log shows ``organisation, role``; with
    ``organisation_of`` the organisation is looked up for each entry (falling back to
    ``organisation``, or to "A role" when there is none). An action ending in ``*`` covers
    every action that starts with what comes before it."""
    _register(
        actions,
        ActionCredit(role=role, organisation=organisation, organisation_of=organisation_of),
    )


def credit_rule(action: str) -> ActionCredit | None:
    if action in _exact:
        return _exact[action]
    matches = [prefix for prefix in _prefixes if action.startswith(prefix)]
    return _prefixes[max(matches, key=len)] if matches else None


def is_registered(action: str) -> bool:
    return credit_rule(action) is not None


def public_credits(entries: Sequence[CreditedEntry]) -> dict[int, str | None]:
    """For each entry, by number: who the public sees, or None where it is a citizen's own
    action and the person's display name is shown. Each organisation lookup runs once for the
    whole batch."""
    credits: dict[int, str | None] = {}
    to_resolve: dict[OrganisationResolver, list[tuple[CreditedEntry, ActionCredit]]] = {}
    for entry in entries:
        if entry.actor_id is None:
            credits[entry.sequence] = AUTOMATIC
            continue
        rule = credit_rule(entry.action)
        if rule is None:
            credits[entry.sequence] = UNREGISTERED
        elif rule.citizen:
            credits[entry.sequence] = None
        elif rule.organisation_of is not None:
            to_resolve.setdefault(rule.organisation_of, []).append((entry, rule))
        else:
            credits[entry.sequence] = rule.label()
    for resolver, pairs in to_resolve.items():
        organisations = resolver([entry for entry, _ in pairs])
        for entry, rule in pairs:
            credits[entry.sequence] = rule.label(organisations.get(entry.sequence, ""))
    return credits


def organisation_in_data(entries: Sequence[CreditedEntry]) -> dict[int, str]:
    """The organisation named by ``data["organisation_id"]``, as most body actions record it."""
    from nhs_citizen.core.models import Organisation

    wanted = {
        entry.sequence: entry.data.get("organisation_id")
        for entry in entries
        if isinstance(entry.data, dict) and isinstance(entry.data.get("organisation_id"), int)
    }
    names = dict(Organisation.objects.filter(pk__in=set(wanted.values())).values_list("pk", "name"))
    return {sequence: names[pk] for sequence, pk in wanted.items() if pk in names}
