"""The meeting's public page, and the secretariat's pages to set it up, set its agenda, open
and close remote posting, and write the minutes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from nhs_citizen.core.markdown import render_markdown
from nhs_citizen.meetings import presenters
from nhs_citizen.meetings.forms import MeetingForm, MinutesForm
from nhs_citizen.meetings.models import Meeting
from nhs_citizen.meetings.services import meetings as services
from nhs_citizen.meetings.views.common import get_cycle, get_meeting
from nhs_citizen.nhsuk_forms.errors import add_service_errors as add_errors
from nhs_citizen.nhsuk_forms.errors import flash_errors
from nhs_citizen.panels.member_needs import member_needs
from nhs_citizen.panels.models import PanelPurpose


def meeting_detail(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    cycle = get_cycle(cycle_slug)
    meeting = Meeting.objects.select_related("cycle", "members_panel").filter(cycle=cycle).first()
    context = {
        "page_title": f"Assembly Meeting, {cycle.name}",
        "cycle": cycle,
        "cycle_url": presenters.url_of(cycle),
        "meeting": meeting,
        "can_manage": request.user.has_perm("meetings.manage_meeting"),
    }
    if meeting is not None:
        context.update(
            {
                "when": presenters.when(meeting),
                "status": presenters.meeting_status(meeting),
                "members": presenters.members(meeting),
                "items": list(presenters.agenda(meeting)),
                "minutes_html": render_markdown(meeting.minutes)
                if meeting.minutes_published_at
                else "",
                "commissions": presenters.commission_rows(
                    meeting.commissions.select_related("panel")
                ),
            }
        )
    return render(request, "meetings/meeting_detail.jinja", context)


@permission_required("meetings.manage_meeting", raise_exception=True)
def set_up_meeting(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    cycle = get_cycle(cycle_slug)
    meeting = Meeting.objects.filter(cycle=cycle).first()
    form = MeetingForm(request.POST or None, meeting=meeting, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_set_up_meeting(
                secretariat=request.user,
                cycle=cycle,
                details=services.MeetingDetails(
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    place=data["place"],
                    webcast_url=data.get("webcast_url") or "",
                    members_panel=data.get("members_panel"),
                ),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                "The meeting has been set up."
                if meeting is None
                else "The meeting has been changed.",
            )
            return redirect("meetings:meeting_detail", cycle.slug)
    return render(
        request,
        "meetings/set_up_meeting.jinja",
        {
            "page_title": "Change the meeting" if meeting else "Set up the meeting",
            "cycle": cycle,
            "meeting": meeting,
            "form": form,
            "purpose": PanelPurpose.ASSEMBLY.label,
            # The members' communication needs, for planning (ADR 0036; each look audited).
            "member_needs": member_needs(
                meeting.members_panel if meeting else None,
                request.user,
                where=f"planning the Assembly Meeting of {cycle.name}",
            ),
        },
    )


@permission_required("meetings.manage_meeting", raise_exception=True)
def manage_agenda(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    meeting = get_meeting(cycle_slug)
    if request.method == "POST":
        try:
            created = services.check_set_agenda(secretariat=request.user, meeting=meeting)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request,
                f"{len(created)} {'item has' if len(created) == 1 else 'items have'} been added to the agenda.",
            )
        return redirect("meetings:manage_agenda", meeting.cycle.slug)
    chosen = list(services.chosen_entries(meeting.cycle))
    return render(
        request,
        "meetings/manage_agenda.jinja",
        {
            "page_title": "The agenda",
            "meeting": meeting,
            "cycle": meeting.cycle,
            "items": list(meeting.items.select_related("entry__flag")),
            "chosen": chosen,
            "waiting": [entry for entry in chosen if not hasattr(entry, "agenda_item")],
        },
    )


@permission_required("meetings.manage_meeting", raise_exception=True)
@require_POST
def remote_posting(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    meeting = get_meeting(cycle_slug)
    open_it = request.POST.get("open") == "yes"
    try:
        changed = services.do_set_remote_posting(
            secretariat=request.user, meeting=meeting, open=open_it
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        if open_it:
            messages.success(
                request,
                "Remote posting is open. Anyone signed in can post to each item's thread."
                if changed
                else "Remote posting was already open.",
            )
        else:
            messages.success(
                request,
                "Remote posting is closed." if changed else "Remote posting was already closed.",
            )
    return redirect("meetings:meeting_detail", meeting.cycle.slug)


@permission_required("meetings.manage_meeting", raise_exception=True)
def write_minutes(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    meeting = get_meeting(cycle_slug)
    published = meeting.minutes_published_at is not None
    form = MinutesForm(
        request.POST or None, initial={"minutes": meeting.minutes}, published=published
    )
    if request.method == "POST" and form.is_valid():
        publish = request.POST.get("action") == "publish"
        try:
            services.check_save_minutes(
                secretariat=request.user,
                meeting=meeting,
                minutes=form.cleaned_data["minutes"],
                publish=publish,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if published:
                messages.success(request, "The published minutes have been corrected.")
            elif publish:
                messages.success(
                    request, "The minutes are published. Remote posting is now closed."
                )
            else:
                messages.success(
                    request,
                    "The draft minutes have been saved. Nobody else can see them until you publish them.",
                )
                return redirect("meetings:write_minutes", meeting.cycle.slug)
            return redirect(f"{meeting.get_absolute_url()}#minutes")
    return render(
        request,
        "meetings/write_minutes.jinja",
        {
            "page_title": "Minutes",
            "meeting": meeting,
            "cycle": meeting.cycle,
            "form": form,
            "published": published,
            "publish_opening": services.minutes_opening(meeting),
        },
    )
