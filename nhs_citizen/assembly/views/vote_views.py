"""The priority vote: who can vote and why not, the ballot, and changing it."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from nhs_citizen.assembly.forms import VoteForm
from nhs_citizen.assembly.models import Ballot, Cycle
from nhs_citizen.assembly.services import vote as services
from nhs_citizen.assembly.services.cycles import when
from nhs_citizen.assembly.views import render_page


def vote(request: HttpRequest, slug: str) -> HttpResponse:
    cycle = get_object_or_404(Cycle, slug=slug)
    if request.method == "POST" and not request.user.has_perm("assembly.vote"):
        return redirect_to_login(request.get_full_path())
    eligibility = services.voter_eligibility(request.user, cycle)
    closed_message = services.vote_closed_message(cycle)
    entries = list(cycle.entries.select_related("flag").order_by("shortlisted_at", "pk"))
    form = None
    if eligibility.can_vote and closed_message is None and request.method == "POST":
        # Casting: no reading of the earlier ballot here; the service says which version this is.
        form = VoteForm(request.POST, cycle=cycle, entries=entries)
        if form.is_valid():
            try:
                by_pk = {entry.pk: entry for entry in entries}
                ballot = services.check_cast_ballot(
                    cycle=cycle,
                    voter=request.user,
                    entries=[by_pk[pk] for pk in form.cleaned_data["entries"]],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(
                    request,
                    f"Your vote has been {'changed' if ballot.version > 1 else 'saved'}. You can "
                    f"change it until the vote closes on {when(cycle.vote_closes)}.",
                )
                return redirect("assembly:vote", slug=cycle.slug)
    ballot = (
        Ballot.objects.filter(cycle=cycle, voter=request.user).prefetch_related("entries").first()
        if request.user.is_authenticated
        else None
    )
    chosen_ids = {e.pk for e in ballot.entries.all()} if ballot else set()
    if form is None and eligibility.can_vote and closed_message is None:
        form = VoteForm(
            None,
            cycle=cycle,
            entries=entries,
            initial={"entries": [str(pk) for pk in chosen_ids]},
        )
    return render_page(
        request,
        "assembly/vote.jinja",
        {
            "page_title": f"You cannot vote in {cycle.name}"
            if request.user.is_authenticated and not eligibility.can_vote
            else f"Priority vote: {cycle.name}",
            "cycle": cycle,
            "form": form,
            "eligibility": eligibility,
            "closed_message": closed_message,
            "ballot": ballot,
            "your_choice": [e for e in entries if e.pk in chosen_ids],
            "entries_html": _ballot_choices_html(form, cycle, entries, chosen_ids),
        },
    )


# The ballot's checkboxes are the same for every voter who has made the same choice (most have
# made none yet), so the rendered list is kept for a few minutes instead of being rendered for
# each of thousands of voters. The key covers everything the list shows.
_CHOICES_SECONDS = 300


def _ballot_choices_html(form, cycle: Cycle, entries, chosen_ids: set[int]) -> str | None:
    if form is None or form.is_bound:
        return None  # a ballot sent back with its errors is rendered afresh
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
        html = str(form["entries"])
        cache.set(key, html, _CHOICES_SECONDS)
    return html
