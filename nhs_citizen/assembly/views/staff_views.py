"""The secretariat's pages: set up and change a cycle, move it on, name its jury and record the
jury's choices."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from nhs_citizen.assembly import presenters, timetable
from nhs_citizen.assembly.forms import CycleForm, JuryChoicesForm, JuryPanelForm, MoveOnForm
from nhs_citizen.assembly.models import Cycle, Stage
from nhs_citizen.assembly.services import cycles as cycle_services
from nhs_citizen.assembly.services import jury as jury_services
from nhs_citizen.assembly.services import stages as stage_services
from nhs_citizen.assembly.views import render_page
from nhs_citizen.core.dates import when_words
from nhs_citizen.nhsuk_forms.errors import flash_errors

RUN = "assembly.run_cycles"


@permission_required(RUN, raise_exception=True)
def create_cycle(request: HttpRequest) -> HttpResponse:
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = cycle_services.check_create_cycle(created_by=request.user, **form.cycle_data())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{cycle.name} has been set up. Its dates are published.")
            return redirect("assembly:manage_cycle", slug=cycle.slug)
    return render_page(
        request,
        "assembly/edit_cycle.jinja",
        {"page_title": "Set up an Assembly cycle", "form": form, "cycle": None},
    )


@permission_required(RUN, raise_exception=True)
def edit_cycle(request: HttpRequest, slug: str) -> HttpResponse:
    cycle = get_object_or_404(Cycle, slug=slug)
    form = CycleForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = cycle_services.check_update_cycle(
                cycle=cycle,
                changed_by=request.user,
                reasons=form.cleaned_data["reasons"],
                **form.cycle_data(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "The change has been saved and published.")
            return redirect("assembly:manage_cycle", slug=cycle.slug)
    return render_page(
        request,
        "assembly/edit_cycle.jinja",
        {"page_title": f"Change {cycle.name}", "form": form, "cycle": cycle},
    )


# What the "move on" button does at each stage, and whether its time has come (the timetable
# decides, as it does for the service behind the button).
STEP_LABELS = {
    Stage.PLANNED: ("Cut off the flags", timetable.CUT_OFF, True),
    Stage.CUT_OFF: ("Open the vote", timetable.OPEN_VOTE, True),
    Stage.VOTING: ("Close the vote and publish the scores", timetable.CLOSE_VOTE, True),
    Stage.JURY: ("Record that the Assembly Meeting was held", timetable.MEETING_HELD, False),
    Stage.MEETING: (
        "Record that the Board's responses are published",
        timetable.RESPONSES_PUBLISHED,
        False,
    ),
    Stage.RESPONDING: ("Record that the stock-take is done", timetable.STOCK_TAKE, False),
}


AUTOMATIC = {
    Stage.PLANNED: "This happens by itself at the cut-off, {}.",
    Stage.CUT_OFF: "The vote opens by itself on {}.",
    Stage.VOTING: "The vote closes by itself on {}.",
}


def _next_step(cycle: Cycle) -> dict | None:
    if cycle.stage not in STEP_LABELS:
        return None
    label, action, automatic = STEP_LABELS[cycle.stage]
    meeting = stage_services.meeting_of(cycle) if not automatic else None
    found = timetable.opening(action, cycle, timezone.now(), meeting)
    wait = found.message
    if automatic:
        wait = AUTOMATIC[cycle.stage].format(when_words(found.at, show="moment")) + " " + wait
    return {"label": label, "ready": found.is_open, "wait": "" if found.is_open else wait}


@permission_required(RUN, raise_exception=True)
def manage_cycle(request: HttpRequest, slug: str) -> HttpResponse:
    cycle = get_object_or_404(Cycle.objects.select_related("jury_panel"), slug=slug)
    return render_page(
        request,
        "assembly/manage_cycle.jinja",
        {
            "page_title": f"Manage {cycle.name}",
            "cycle": cycle,
            "standing": presenters.standing(cycle),
            "timeline": presenters.timeline(cycle),
            "next_step": _next_step(cycle),
            "jury_opening": timetable.opening(timetable.JURY_CHOICES, cycle, timezone.now()),
            "form": MoveOnForm(),
            "entry_count": cycle.entries.count(),
            "Stage": Stage,
        },
    )


@permission_required(RUN, raise_exception=True)
@require_POST
def move_on(request: HttpRequest, slug: str) -> HttpResponse:
    cycle = get_object_or_404(Cycle, slug=slug)
    form = MoveOnForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("assembly:manage_cycle", slug=cycle.slug)
    try:
        cycle = stage_services.check_move_on(
            cycle=cycle,
            by=request.user,
            expected_stage=request.POST.get("stage", ""),
            reasons=form.cleaned_data["reasons"],
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, f"Done. {presenters.standing(cycle).now}")
    return redirect("assembly:manage_cycle", slug=cycle.slug)


@permission_required(RUN, raise_exception=True)
def jury(request: HttpRequest, slug: str) -> HttpResponse:
    cycle = get_object_or_404(Cycle.objects.select_related("jury_panel"), slug=slug)
    panels = jury_services.jury_panels_for(cycle)
    posted = request.method == "POST"
    panel_form = JuryPanelForm(
        request.POST if posted and "save_panel" in request.POST else None,
        panels=panels,
        initial={"panel": cycle.jury_panel_id},
    )
    entries = list(cycle.entries.filter(to_jury=True).select_related("flag").order_by("place"))
    jury_opening = timetable.opening(timetable.JURY_CHOICES, cycle, timezone.now())
    choices_form = JuryChoicesForm(
        request.POST if posted and "save_choices" in request.POST else None, entries=entries
    )
    if posted and "save_panel" in request.POST and panel_form.is_valid():
        try:
            jury_services.do_link_jury_panel(
                cycle=cycle, panel=panel_form.cleaned_data["panel"], by=request.user
            )
        except ValidationError as error:
            panel_form.add_error("panel", error.message_dict.get("panel", error.messages))
        else:
            messages.success(request, "The jury panel has been saved and published.")
            return redirect("assembly:jury", slug=cycle.slug)
    if posted and "save_choices" in request.POST and choices_form.is_valid():
        try:
            jury_services.check_record_jury_choices(
                cycle=cycle, choices=choices_form.choices(), by=request.user
            )
        except ValidationError as error:
            choices_form.add_service_errors(error)
        else:
            messages.success(request, "The jury's choices and reasons have been published.")
            return redirect("assembly:cycle_detail", slug=cycle.slug)
    return render_page(
        request,
        "assembly/jury.jinja",
        {
            "page_title": f"Citizens' jury: {cycle.name}",
            "cycle": cycle,
            "panel_form": panel_form,
            "choices_form": choices_form,
            "error_form": choices_form if choices_form.errors else panel_form,
            "needed": jury_services.required_choices(cycle, len(entries)),
            "can_record": cycle.stage == Stage.VOTE_CLOSED
            and cycle.jury_panel is not None
            and cycle.jury_panel.drawn_at is not None
            and jury_opening.is_open,
            "jury_opening": jury_opening,
            "Stage": Stage,
        },
    )
