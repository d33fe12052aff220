"""View models for account pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from nhs_citizen.accounts.models import ROLE_DESCRIPTIONS, Role


@dataclass
class StaffTool:
    title: str
    description: str
    href: str


@dataclass
class StaffArea:
    roles: list[tuple[str, str]]
    responder_for: list[str]
    tools: list[StaffTool] = field(default_factory=list)


def staff_area_for(user) -> StaffArea:
    roles = [(Role(role).label, ROLE_DESCRIPTIONS[role]) for role in sorted(user.staff_roles)]
    responder_for = list(
        user.memberships.filter(role="responder", verified_at__isnull=False)
        .select_related("organisation")
        .values_list("organisation__name", flat=True)
    )
    area = StaffArea(roles=roles, responder_for=responder_for)
    if user.has_perm("gather.review"):
        area.tools.append(
            StaffTool(
                "Flags waiting for review",
                "Decide what happens to flags that reached the support threshold, against the published criteria.",
                reverse("gather:review_queue"),
            )
        )
    if user.has_perm("gather.curate"):
        area.tools.append(
            StaffTool(
                "Curate flags",
                "Find duplicate flags to merge, and flags that need a roundup. Open any flag to use the curator tools.",
                reverse("gather:flag_list") + "?sort=active",
            )
        )
    if user.has_perm("discover.curate"):
        area.tools.append(
            StaffTool(
                "Discover pipeline and sources",
                "See what is waiting and what went wrong, add sources to listen to, and find topics again. Open a topic to rename, merge, split, hide or take it to Gather.",
                reverse("discover:pipeline"),
            )
        )
    if user.has_perm("discover.upload_notes"):
        area.tools.append(
            StaffTool(
                "Add notes from an event",
                "Upload a spreadsheet of what people said at a workshop, a café or on paper forms.",
                reverse("discover:upload"),
            )
        )
    if user.has_perm("gather.respond"):
        area.tools.append(
            StaffTool(
                "Flags for you to answer",
                "Flags sent to your organisation. Every answer is published.",
                reverse("gather:referral_queue"),
            )
        )
        area.tools.append(
            StaffTool(
                "Open a call for views",
                "Ask the public questions for your organisation.",
                reverse("gather:open_call"),
            )
        )
    if user.has_perm("panels.run_draws"):
        area.tools.append(
            StaffTool(
                "Panels and draws",
                "Set up juries, Assembly membership and Citizen Panels: quotas, seed, draw, members and reserves.",
                reverse("panels:panel_list"),
            )
        )
    if user.has_perm("assembly.run_cycles"):
        area.tools.append(
            StaffTool(
                "Assembly cycles",
                "Set the dates of a cycle, move it on step by step, record the jury's choices, and run the Assembly Meeting.",
                reverse("assembly:index"),
            )
        )
    if user.has_perm("tracker.record_board_response"):
        area.tools.append(
            StaffTool(
                "Board responses to record",
                "Agenda items and Citizen Panel reports waiting for the Board's written response and commitments.",
                reverse("tracker:board_queue"),
            )
        )
    if user.has_perm("tracker.see_own_commitments"):
        area.tools.append(
            StaffTool(
                "Commitments to keep up to date",
                "Post dated updates, with evidence, on the commitments you answer for.",
                reverse("tracker:your_commitments"),
            )
        )
    if user.has_perm("culture.curate_stories"):
        area.tools.append(
            StaffTool(
                "Stories of change to check",
                "Publish or decline stories of change, with a reason.",
                reverse("culture:story_queue"),
            )
        )
    if user.has_perm("moderation.moderate"):
        area.tools.append(
            StaffTool(
                "Reports to moderate",
                "Check reported flags, comments and evidence against the house rules.",
                reverse("moderation:queue"),
            )
        )
    if user.has_perm("accounts.manage_roles"):
        area.tools.append(
            StaffTool(
                "People and roles",
                "Find a person and give or remove a staff role.",
                reverse("accounts:people"),
            )
        )
    if user.has_perm("core.verify_memberships"):
        area.tools.append(
            StaffTool(
                "Requests to act for organisations",
                "Check that people work for or represent the organisations they say they do.",
                reverse("core:membership_requests"),
            )
        )
    if user.has_perm("core.view_full_audit_log"):
        area.tools.append(
            StaffTool(
                "Full audit log",
                "Every entry, including private ones about accounts.",
                reverse("core:full_audit_log"),
            )
        )
    return area
