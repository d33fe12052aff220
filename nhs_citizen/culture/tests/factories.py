"""Hand-made referrals, answers and commitments for the measures, and stories told through the
same services the app uses.

Referrals, answers and commitments are made directly: the measures only read them, and
making them through Gather and the tracker would load the sentence-embedding model and need
responders with two-step verification for every row."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Organisation, OrganisationType, Topic
from nhs_citizen.culture.services import stories
from nhs_citizen.gather.models import (
    CallForViews,
    Flag,
    Outcome,
    Referral,
    ReferralStatus,
    Response,
)
from nhs_citizen.tracker.models import Commitment, CommitmentStatus

_numbers = itertools.count(1)


def next_email(prefix: str = "person") -> str:
    return f"{prefix}{next(_numbers)}@culture.example.com"


def _staff():
    return make_user(next_email("staff"), display_name="Sid Staff")


def at(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A moment on a day, UK time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def body(name: str, kind: str = OrganisationType.NHS_TRUST) -> Organisation:
    slug = name.lower().replace(" ", "-")
    return Organisation.objects.create(name=name, slug=slug, type=kind)


class Maker:
    """Makes referrals and commitments for the bodies in one test, sharing one flag author and
    one member of staff."""

    def __init__(self):
        self.staff = _staff()
        self.topic = Topic.objects.first()
        self.calls: dict[int, CallForViews] = {}

    def referral(
        self,
        organisation: Organisation,
        *,
        sent: dt.datetime,
        due: dt.date,
        answered: dt.datetime | None = None,
        on_time: bool | None = None,
        outcome: str = Outcome.WILL_ACT,
        title: str | None = None,
        hidden: bool = False,
    ) -> Referral:
        flag = Flag.objects.create(
            title=title or f"Flag {next(_numbers)}",
            what_should_change="Something should change.",
            why="Because it matters.",
            topic=self.topic,
            raised_by=self.staff,
            hidden_at=timezone.now() if hidden else None,
            hidden_reason="Broke the house rules" if hidden else "",
        )
        if answered is None:
            status = ReferralStatus.AWAITING
        elif outcome == Outcome.NOT_OURS:
            status = ReferralStatus.PASSED_ON
        else:
            status = ReferralStatus.ANSWERED
        referral = Referral.objects.create(
            flag=flag,
            organisation=organisation,
            referred_by=self.staff,
            referred_at=sent,
            due_date=due,
            status=status,
        )
        if answered is not None:
            Response.objects.create(
                referral=referral,
                responder=self.staff,
                outcome=outcome,
                reasons="Our reasons.",
                created_at=answered,
                on_time=timezone.localtime(answered).date() <= due if on_time is None else on_time,
            )
        return referral

    def commitment(
        self,
        organisation: Organisation,
        *,
        due: dt.date,
        status: str = CommitmentStatus.NOT_STARTED,
        made: dt.datetime | None = None,
        what: str | None = None,
    ) -> Commitment:
        call = self.calls.get(organisation.pk)
        if call is None:
            call = self.calls[organisation.pk] = CallForViews.objects.create(
                organisation=organisation,
                opened_by=self.staff,
                title="Tell us what you think",
                background="Background.",
                closes_on=due,
            )
        return Commitment.objects.create(
            what=what or f"Commitment {next(_numbers)}",
            organisation=organisation,
            owner="Director of Nursing",
            due_date=due,
            status=status,
            call_for_views=call,
            created_by=self.staff,
            created_at=made or timezone.now(),
            completed_at=timezone.now() if status == CommitmentStatus.DONE else None,
        )


def tell_story(author=None, *, title="The ward started listening", organisation=None, **kwargs):
    author = author or make_user(next_email("teller"), display_name="Tess Teller")
    return stories.check_tell_story(
        author=author,
        title=title,
        body=kwargs.pop("body", "Before, nobody asked us. Now there is a meeting every month."),
        teller=kwargs.pop("teller", "patient"),
        organisation=organisation,
    )


def published_story(curator, **kwargs):
    return stories.check_publish_story(curator=curator, story=tell_story(**kwargs))


def hide_story(*, moderator, story, reason):
    """Stories are hidden through the moderation app, like every kind of content."""
    from nhs_citizen.moderation.services import check_hide

    return check_hide(moderator=moderator, kind="story", object_id=story.pk, reason=reason)


def restore_story(*, moderator, story, reason):
    from nhs_citizen.moderation.services import check_restore

    return check_restore(moderator=moderator, kind="story", object_id=story.pk, reason=reason)
