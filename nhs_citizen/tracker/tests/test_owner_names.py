"""Owners are teams or roles: a person's name gets a clear error, in the service and on the
page, and team and role words stay allowed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.tracker.models import Commitment
from nhs_citizen.tracker.owner_names import MESSAGE, looks_like_a_person
from nhs_citizen.tracker.services import commitments as services
from nhs_citizen.tracker.tests.factories import answered_referral, draft


@pytest.mark.parametrize(
    "owner",
    [
        "Sarah Jones",
        "sarah jones",
        "Dr Patel",
        "Mrs. Jones",
        "Prof. Chris Whitty",
        "J Smith",
        "J. Smith",
        "Sarah",
        "Sarah Jones, Director of Nursing",
        "Director of Nursing: Sarah Jones",
        "Mark Smith Lead",
        "sarah.jones@nhs.net",
    ],
)
def test_a_persons_name_is_refused(owner):
    assert looks_like_a_person(owner)


@pytest.mark.parametrize(
    "owner",
    [
        "Patient Experience Team",
        "Director of Nursing",
        "Chief Executive's office",
        "Director of Primary Care",
        "Head of Patient Safety",
        "Medical Director",
        "Chief Nursing Officer",
        "Mental Health Commissioning Team",
        "Quality and Safety Committee",
        "Florence Nightingale Ward team",
        "Grace Ward team",
        "NHS England Board",
        "Children and Young People's team",
        "ICB Chief Executive",
        "Transport lead",
        "",
    ],
)
def test_teams_and_roles_are_allowed(owner):
    assert not looks_like_a_person(owner)


@pytest.mark.django_db
def test_the_service_refuses_a_persons_name_and_saves_nothing():
    answer, responder = answered_referral()
    with pytest.raises(ValidationError) as caught:
        services.check_add_commitment(by=responder, to=answer, draft=draft(owner="Sarah Jones"))
    assert caught.value.message_dict == {"owner": [MESSAGE]}
    assert not Commitment.objects.exists()
    made = services.check_add_commitment(
        by=responder, to=answer, draft=draft(owner="Patient Experience Team")
    )
    assert made.owner == "Patient Experience Team"


@pytest.mark.django_db
def test_the_page_says_what_to_give_instead(client, signed_in):
    answer, responder = answered_referral()
    signed_in(responder)
    due = timezone.localdate() + datetime.timedelta(days=60)
    page = client.post(
        reverse("tracker:add_answer_commitment", args=[answer.pk]),
        {"what": "Run a bus", "owner": "Dr Patel", "due_date": f"{due.day} {due.month} {due.year}"},
    )
    assert page.status_code == 200
    assert page.context["form"].errors == {"owner": [MESSAGE]}
    assert (
        "like &#39;Patient Experience Team&#39;, not a person&#39;s name" in page.content.decode()
    )
    assert not Commitment.objects.exists()
