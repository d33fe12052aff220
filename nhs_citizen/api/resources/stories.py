"""Stories of change (culture change): what changed in how an NHS body listens and acts, told by
someone who saw it, once a curator has published it. As the stories pages show them: the name
its teller chose to show, never who decided it; a story hidden by a moderator answers 410 with
the reason, like its page."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from nhs_citizen.api.conventions import mark_last_modified
from nhs_citizen.api.listing import ListParams, listing
from nhs_citizen.api.schemas import LIST_ERRORS, Envelope, Error
from nhs_citizen.culture import queries
from nhs_citizen.culture.models import Story, StoryStatus

router = Router()

GONE_ERRORS = {400: Error, 404: Error, 410: Error, 429: Error}


class StoryOut(Schema):
    id: int
    url: str
    title: str
    text: str
    told_by: str = Field(description="The name the teller chose to show.")
    teller: str = Field(description="staff, or patient (a patient, carer or member of the public).")
    body: str | None = Field(description="The NHS body it is about, if any.")
    body_slug: str | None
    published_at: dt.datetime


class StoryList(Envelope):
    results: list[StoryOut]


def _story(story: Story) -> dict:
    return queries.story_record(story, lambda path: settings.SITE_URL + path)


@router.get("", response={200: StoryList, **LIST_ERRORS}, summary="Stories of change")
def story_list(request: HttpRequest, params: Query[ListParams]):
    """Every published story, oldest first. `changed_since`: stories published since then."""
    return listing(
        request,
        queries.public_stories(),
        "stories",
        params,
        lambda rows: [_story(s) for s in rows],
        changed=lambda qs, since: qs.filter(published_at__gte=since),
        changed_at=lambda s: s.published_at,
    )


@router.get("/{int:id}", response={200: StoryOut, **GONE_ERRORS}, summary="One story")
def story_detail(request: HttpRequest, id: int):
    story = (
        Story.objects.select_related("author", "organisation")
        .filter(pk=id, status=StoryStatus.PUBLISHED)
        .first()
    )
    if story is None:
        raise Http404
    if story.hidden_at:
        raise HttpError(410, f"A moderator hid this story because: {story.hidden_reason}")
    mark_last_modified(request, story.published_at)
    return _story(story)
