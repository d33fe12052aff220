"""Gather's staff tools, and how the public audit log credits its actions (ADR 0026)."""

from nhs_citizen.accounts.staff_tools import StaffTool, register_staff_tool
from nhs_citizen.core.audit_credit import (
    NHS_ENGLAND,
    organisation_in_data,
    register_citizen_actions,
    register_staff_actions,
)


def _flags_in_review(user):
    from nhs_citizen.gather.models import Flag, FlagStatus

    return Flag.objects.visible().filter(status=FlagStatus.IN_REVIEW)


def _referrals_to_answer(user):
    from nhs_citizen.gather.models import ReferralStatus
    from nhs_citizen.gather.services.responses import referrals_for_responder

    return referrals_for_responder(user).filter(status=ReferralStatus.AWAITING)


def _referral_organisations(entries):
    """The body that answered each referral (the entry records the referral's number)."""
    from nhs_citizen.gather.models import Referral

    wanted = {
        entry.sequence: entry.data.get("referral_id")
        for entry in entries
        if isinstance(entry.data, dict) and isinstance(entry.data.get("referral_id"), int)
    }
    names = dict(
        Referral.objects.filter(pk__in=set(wanted.values())).values_list("pk", "organisation__name")
    )
    return {sequence: names[pk] for sequence, pk in wanted.items() if pk in names}


for tool in (
    StaffTool(
        key="gather.review_queue",
        title="Flags waiting for review",
        description="Decide what happens to flags that reached the support threshold, against the published criteria.",
        url_name="gather:review_queue",
        permission="gather.review",
        order=10,
        waiting=_flags_in_review,
        waiting_noun=("flag", "flags"),
    ),
    StaffTool(
        key="gather.curate",
        title="Curate flags",
        description="Find duplicate flags to merge, and flags that need a roundup. Open any flag to use the curator tools.",
        url_name="gather:flag_list",
        query_string="sort=active",
        permission="gather.curate",
        order=20,
    ),
    StaffTool(
        key="gather.referral_queue",
        title="Flags for you to answer",
        description="Flags sent to your organisation. Every answer is published.",
        url_name="gather:referral_queue",
        permission="gather.respond",
        order=50,
        waiting=_referrals_to_answer,
        waiting_noun=("flag", "flags"),
    ),
    StaffTool(
        key="gather.open_call",
        title="Open a call for views",
        description="Ask the public questions for your organisation.",
        url_name="gather:open_call",
        permission="gather.respond",
        order=60,
    ),
):
    register_staff_tool(tool)

register_citizen_actions("gather.flag_raised")
register_staff_actions(
    "gather.flag_put_forward",
    "gather.flags_merged",
    "gather.roundup_*",
    role="curator",
    organisation=NHS_ENGLAND,
)
register_staff_actions("gather.review_*", role="review panel member", organisation=NHS_ENGLAND)
register_staff_actions(
    "gather.referral_answered", role="responder", organisation_of=_referral_organisations
)
register_staff_actions(
    "gather.call_opened",
    "gather.call_outcome_published",
    role="responder",
    organisation_of=organisation_in_data,
)
