"""The secretariat's paper ballot pages (ADR 0034): issue numbered papers, print them, type in
the ones that come back, cancel lost ones, and keep the list of paper voters. Only the
secretariat sees these pages: they hold people's names and addresses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from nhs_citizen.accounts.needs import LetterAdjustments, summarise_letters
from nhs_citizen.accounts.needs_services import needs_for_letters
from nhs_citizen.assembly.forms import (
    CancelPaperForm,
    EnterPaperForm,
    IssueToAccountForm,
    IssueToOfflineForm,
    OfflineVoterForm,
)
from nhs_citizen.assembly.models import Cycle, OfflineVoter, PaperBallot, PaperStatus, Stage
from nhs_citizen.assembly.services import paper as services
from nhs_citizen.assembly.views import render_page

PAPER = "assembly.paper_ballots"


def _entries(cycle: Cycle) -> list:
    return list(cycle.entries.select_related("flag").order_by("shortlisted_at", "pk"))


def _letter_needs(request: HttpRequest, cycle: Cycle, papers: list) -> dict[int, LetterAdjustments]:
    """Paper id -> what printing it must change for its person's recorded needs (people with
    an account; the list of paper voters records none). Audited (ADR 0036)."""
    by_person = needs_for_letters(
        viewer=request.user,
        user_ids=[p.voter_id for p in papers if p.voter_id],
        target=cycle,
        where=f"paper ballots for {cycle.name}",
    )
    return {p.pk: by_person[p.voter_id] for p in papers if p.voter_id in by_person}


@permission_required(PAPER, raise_exception=True)
def paper_ballots(request: HttpRequest, slug: str) -> HttpResponse:
    cycle = get_object_or_404(Cycle, slug=slug)
    # People whose details were removed cannot be sent a paper.
    people = OfflineVoter.objects.exclude(full_name="").order_by("full_name", "pk")
    posted = request.method == "POST"
    account_form = IssueToAccountForm(
        request.POST if posted and "issue_account" in request.POST else None
    )
    offline_form = IssueToOfflineForm(
        request.POST if posted and "issue_offline" in request.POST else None, people=people
    )
    for form, key in ((account_form, "issue_account"), (offline_form, "issue_offline")):
        if not (posted and key in request.POST and form.is_valid()):
            continue
        person = {}
        if key == "issue_account":
            found = (
                get_user_model()
                .objects.filter(email__iexact=form.cleaned_data["email"].strip())
                .first()
            )
            if found is None:
                form.add_error(
                    "email",
                    "There is no NHS Citizen account with this email address. If the person has "
                    "no account, add them to the list of paper voters",
                )
                continue
            person["voter"] = found
        else:
            person["offline_voter"] = form.cleaned_data["offline_voter"]
        try:
            paper = services.check_issue_paper(cycle=cycle, by=request.user, **person)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                f"Ballot paper {paper.number} has been issued to {paper.person_name}. Print it "
                "and post it today.",
            )
            return redirect("assembly:paper_ballots", slug=cycle.slug)
    papers = list(cycle.papers.select_related("voter", "offline_voter").order_by("-serial"))
    counts = {status: sum(1 for p in papers if p.status == status) for status in PaperStatus}
    letters = _letter_needs(request, cycle, papers)
    to_print = [letters[p.pk] for p in papers if p.pk in letters and p.status == PaperStatus.ISSUED]
    return render_page(
        request,
        "assembly/paper_ballots.jinja",
        {
            "page_title": f"Paper ballots: {cycle.name}",
            "cycle": cycle,
            "papers": papers,
            "counts": counts,
            "letters": letters,
            "letters_summary": summarise_letters(to_print, "paper"),
            "account_form": account_form,
            "offline_form": offline_form,
            "error_form": offline_form if offline_form.errors else account_form,
            "issue_blocked": services.can_issue_message(cycle),
            "has_people": people.exists(),
            "PaperStatus": PaperStatus,
            "Stage": Stage,
        },
    )


@permission_required(PAPER, raise_exception=True)
def enter_paper(request: HttpRequest, slug: str) -> HttpResponse:
    cycle = get_object_or_404(Cycle, slug=slug)
    entries = _entries(cycle)
    form = EnterPaperForm(request.POST or None, cycle=cycle, entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            paper = services.check_enter_paper(
                cycle=cycle,
                number=form.cleaned_data["number"],
                entries=form.cleaned_data["entries"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                f"Ballot paper {paper.number} has been entered and counted. Enter the next one.",
            )
            return redirect("assembly:enter_paper", slug=cycle.slug)
    return render_page(
        request,
        "assembly/enter_paper.jinja",
        {
            "page_title": f"Enter a returned ballot paper: {cycle.name}",
            "cycle": cycle,
            "form": form,
        },
    )


@permission_required(PAPER, raise_exception=True)
def print_paper(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    paper = get_object_or_404(
        PaperBallot.objects.select_related("cycle", "voter", "offline_voter"),
        cycle__slug=slug,
        pk=pk,
    )
    return render_page(
        request,
        "assembly/paper_ballot.jinja",
        {
            "page_title": f"Ballot paper {paper.number}",
            "cycle": paper.cycle,
            "paper": paper,
            "entries": _entries(paper.cycle),
            "letter": _letter_needs(request, paper.cycle, [paper]).get(paper.pk)
            or LetterAdjustments(),
            "PaperStatus": PaperStatus,
        },
    )


@permission_required(PAPER, raise_exception=True)
def cancel_paper(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    paper = get_object_or_404(
        PaperBallot.objects.select_related("cycle", "voter", "offline_voter"),
        cycle__slug=slug,
        pk=pk,
    )
    form = CancelPaperForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.check_cancel_paper(
                paper=paper,
                by=request.user,
                reason=form.cleaned_data["reason"],
                reissue=form.cleaned_data["reissue"] == "yes",
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if new is not None:
                messages.success(
                    request,
                    f"Ballot paper {paper.number} has been cancelled. New paper {new.number} "
                    "has been issued: print it and post it.",
                )
                return redirect("assembly:print_paper", slug=paper.cycle.slug, pk=new.pk)
            messages.success(
                request,
                f"Ballot paper {paper.number} has been cancelled. {paper.person_name} can vote "
                "online instead, if they can.",
            )
            return redirect("assembly:paper_ballots", slug=paper.cycle.slug)
    return render_page(
        request,
        "assembly/cancel_paper.jinja",
        {
            "page_title": f"Cancel ballot paper {paper.number}",
            "cycle": paper.cycle,
            "paper": paper,
            "form": form,
            "PaperStatus": PaperStatus,
        },
    )


@permission_required(PAPER, raise_exception=True)
def paper_voters(request: HttpRequest) -> HttpResponse:
    form = OfflineVoterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.check_add_offline_voter(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                f"{person.full_name} has been added to the list of paper voters. Their "
                f"reference is {person.reference}.",
            )
            return redirect("assembly:paper_voters")
    return render_page(
        request,
        "assembly/paper_voters.jinja",
        {
            "page_title": "Paper voters",
            "people": list(OfflineVoter.objects.order_by("full_name", "pk")),
            "form": form,
            "cycles": list(
                Cycle.objects.filter(stage__in=[Stage.CUT_OFF, Stage.VOTING]).order_by(
                    "flag_cutoff"
                )
            ),
        },
    )


@require_POST
@permission_required(PAPER, raise_exception=True)
def remove_paper_voter(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(OfflineVoter, pk=pk)
    try:
        services.check_remove_offline_voter(by=request.user, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"We removed the name and address of {person.reference}. Their papers stay, and "
            "any paper that came back still counts once.",
        )
    return redirect("assembly:paper_voters")
