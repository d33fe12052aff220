"""How the public audit log credits the Assembly Meeting's actions (ADR 0026). The meeting's
staff pages are reached from the Assembly cycles tool."""

from nhs_citizen.core.audit_credit import NHS_ENGLAND, register_staff_actions

register_staff_actions("meetings.*", role="secretariat", organisation=NHS_ENGLAND)
