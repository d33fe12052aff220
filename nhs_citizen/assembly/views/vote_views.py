"""The priority vote: who can vote and why not, the ballot, and changing it."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from nhs_citizen.assembly.forms import VoteForm
from nhs_citizen.assembly.models import Ballot, Cycle, CycleEntry
from nhs_citizen.assembly.services import vote as services
from nhs_citizen.assembly.views import render_page
from nhs_citizen.core.dates import when_words


def vote(request: HttpRequest, slug: str) -> HttpResponse:
    cycle = get_object_or_404(Cycle, slug=slug)
    if request.method == "POST" and not request.user.has_perm("assembly.vote"):
        return redirect_to_login(request.get_full_path())
    eligibility = services.voter_eligibility(request.user, cycle)
    closed_message = services.vote_closed_message(cycle)
    your_ballot = None
    if request.method != "POST":
        # Read before deciding what to show: someone sent a paper ballot (ADR 0034) cannot vote
        # online, and the page says why. (A ballot sent anyway is refused by the service.)
        your_ballot = _your_ballot(cycle, request.user)
        if eligibility.can_vote and closed_message is None and your_ballot[2]:
            closed_message = services.paper_issued_message(cycle)
    form = None
    if eligibility.can_vote and closed_message is None and request.method == "POST":
        # Casting: checked against the ballot's flag numbers only (their titles are needed only
        # to show the ballot again with an error); no reading of the earlier ballot here, the
        # service says which version this is.
        entry_ids = list(cycle.entries.values_list("pk", flat=True))
        known = [CycleEntry(pk=pk, cycle_id=cycle.pk) for pk in entry_ids]
        check = VoteForm(request.POST, cycle=cycle, entries=known, labels=False)
        service_error = None
        if check.is_valid():
            by_pk = {entry.pk: entry for entry in known}
            try:
                ballot = services.check_cast_ballot(
                    cycle=cycle,
                    voter=request.user,
                    entries=[by_pk[pk] for pk in check.cleaned_data["entries"]],
                )
            except ValidationError as error:
                service_error = error
            else:
                messages.success(
                    request,
                    f"Your vote has been {'changed' if ballot.version > 1 else 'saved'}. You can "
                    f"change it until the vote closes on {when_words(cycle.vote_closes)}.",
                )
                return redirect("assembly:vote", slug=cycle.slug)
        form = VoteForm(request.POST, cycle=cycle, entries=_ballot_entries(cycle))
        form.is_valid()
        if service_error is not None:
            if hasattr(service_error, "error_dict"):
                for field, errors in service_error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, service_error)
    entries = _ballot_entries(cycle) if form is None else form.entries
    ballot, chosen_ids, _ = your_ballot or _your_ballot(cycle, request.user)
    entries_html = None
    if form is None and eligibility.can_vote and closed_message is None:
        entries_html = _ballot_choices_html(cycle, entries, chosen_ids)
    return render_page(
        request,
        "assembly/vote.jinja",
        {
            "page_title": f"You cannot vote in {cycle.name}"
            if request.user.is_authenticated and not eligibility.can_vote
            else f"Priority vote: {cycle.name}",
            "cycle": cycle,
            "form": form,
            "show_form": form is not None or entries_html is not None,
            "eligibility": eligibility,
            "closed_message": closed_message,
            "ballot": ballot,
            "your_choice": [e for e in entries if e.pk in chosen_ids],
            "entries_html": entries_html,
        },
    )


def _ballot_entries(cycle: Cycle) -> list:
    """The shortlisted flags on the ballot, with only what the ballot shows."""
    return list(
        cycle.entries.select_related("flag")
        .only(
            "id",
            "cycle_id",
            "flag_id",
            "shortlisted_at",
            "flag__id",
            "flag__title",
            "flag__what_should_change",
            "flag__hidden_at",
        )
        .order_by("shortlisted_at", "pk")
    )


@dataclass(frozen=True)
class _YourBallot:
    version: int
    updated_at: datetime.datetime


def _your_ballot(cycle: Cycle, user) -> tuple[_YourBallot | None, set[int], bool]:
    """The person's ballot (its version and when it changed), what it chose, and whether it is
    a paper ballot, in one query. A paper not yet typed in has a row but no choices."""
    if not user.is_authenticated:
        return None, set(), False
    rows = list(
        Ballot.objects.filter(cycle=cycle, voter=user).values_list(
            "entries", "version", "updated_at", "on_paper"
        )
    )
    chosen = {row[0] for row in rows if row[0] is not None}
    on_paper = bool(rows) and rows[0][3]
    if not chosen:
        return None, set(), on_paper
    return _YourBallot(version=rows[0][1], updated_at=rows[0][2]), chosen, on_paper


# The ballot's checkboxes are the same for every voter who has made the same choice (most have
# made none yet), so the rendered list is kept for a few minutes instead of being rendered for
# each of thousands of voters. The key covers everything the list shows.
_CHOICES_SECONDS = 300


def _ballot_choices_html(cycle: Cycle, entries, chosen_ids: set[int]) -> str:
    """The ballot's checkboxes for a fresh page (a ballot sent back with its errors is rendered
    afresh from its form). The form is only built when the list is not kept already."""
    material = repr(
        (
            cycle.pk,
            cycle.max_choices,
            [(e.pk, e.flag.title, e.flag.what_should_change, e.flag.is_hidden) for e in entries],
            sorted(chosen_ids),
        )
    )
    key = "assembly:ballot-choices:" + hashlib.sha256(material.encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        form = VoteForm(
            None, cycle=cycle, entries=entries, initial={"entries": [str(pk) for pk in chosen_ids]}
        )
        html = str(form["entries"])
        cache.set(key, html, _CHOICES_SECONDS)
    return html
