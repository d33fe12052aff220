"""Atom feeds for the tracker: every update on a commitment, and one body's answers and
commitments. Only what the tracker's pages show: bodies are credited by name ("Posted by"),
never the person who typed, and a hidden flag keeps the tracker's placeholder title."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from nhs_citizen.core.dates import when_words
from nhs_citizen.core.models import Organisation
from nhs_citizen.tracker import queries
from nhs_citizen.tracker.models import Commitment, CommitmentUpdate
from nhs_citizen.tracker.services.commitments import nhs_england

FEED_LIMIT = 50


class TrackerUpdatesFeed(Feed):
    """The latest updates on every commitment, newest first."""

    feed_type = Atom1Feed
    title = "NHS Citizen tracker: updates on commitments"
    subtitle = "The latest updates from NHS bodies on what they said they would do."

    def link(self):
        return reverse("tracker:index")

    def items(self):
        # Newest first by key (the primary key index): the 50 latest, whatever the total.
        return CommitmentUpdate.objects.select_related("commitment__organisation").order_by("-pk")[
            :FEED_LIMIT
        ]

    def item_title(self, item):
        return f"{item.commitment.what}: {item.get_status_display().lower()}"

    def item_description(self, item):
        parts = [item.note, f"Posted by {item.posted_as or item.commitment.organisation.name}."]
        if item.reasons:
            parts.append(f"Why it was not done: {item.reasons}")
        if item.due_date != item.previous_due_date:
            parts.append(
                f"The due date moved from {when_words(item.previous_due_date, show='date')} "
                f"to {when_words(item.due_date, show='date')}."
            )
        return "\n\n".join(parts)

    def item_link(self, item):
        return f"{item.commitment.get_absolute_url()}#update-{item.pk}"

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.created_at

    def item_categories(self, item):
        return [item.commitment.organisation.name]


@dataclass
class BodyEntry:
    title: str
    description: str
    link: str
    at: datetime.datetime
    guid: str


class BodyFeed(Feed):
    """One body's answers (and, for NHS England, the Board's responses) and the commitments it
    has made, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Organisation, slug=slug)

    def title(self, obj):
        return f"NHS Citizen tracker: answers and commitments from {obj.name}"

    def subtitle(self, obj):
        return f"What {obj.name} has answered and committed to through NHS Citizen."

    def link(self, obj):
        return reverse("tracker:body_detail", args=[obj.slug])

    def items(self, obj):
        # The latest answers, one short query per kind on its date's index (the body page's
        # own query), and the latest commitments on (organisation, created_at, id).
        rows = queries.load_responses(
            queries.response_keys(
                organisation=obj, nhs_england_id=nhs_england().pk, limit=FEED_LIMIT
            )
        )
        entries = [
            BodyEntry(
                f"{row.kind_label}: {row.title}",
                f"{row.organisation}: {row.outcome}." if row.outcome else row.organisation,
                row.href,
                row.at,
                f"nhs-citizen:response:{row.kind}:{row.href}",
            )
            for row in rows
        ]
        commitments = Commitment.objects.filter(organisation=obj).order_by("-created_at", "-pk")[
            :FEED_LIMIT
        ]
        entries += [
            BodyEntry(
                f"Commitment: {c.what}",
                f"{obj.name} will do this by {when_words(c.due_date, show='date')}. "
                f"Owner: {c.owner}. Status: {c.get_status_display().lower()}.",
                c.get_absolute_url(),
                c.created_at,
                f"nhs-citizen:commitment:{c.pk}",
            )
            for c in commitments
        ]
        entries.sort(key=lambda e: e.at, reverse=True)
        return entries[:FEED_LIMIT]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return item.link

    def item_guid(self, item):
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.at

    def item_updateddate(self, item):
        return item.at
