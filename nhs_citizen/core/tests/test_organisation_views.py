import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry, Membership, Organisation, OrganisationType
from nhs_citizen.core.services.organisations import check_request_membership, do_verify_membership

pytestmark = pytest.mark.django_db


def test_the_list_can_be_searched_and_filtered(client):
    response = client.get(reverse("core:organisation_list"), {"q": "north central", "type": "icb"})
    content = response.content.decode()
    assert "NHS North Central London Integrated Care Board" in content
    assert "NHS West Yorkshire" not in content
    response = client.get(reverse("core:organisation_list"), {"region": "london", "type": "icb"})
    assert response.context["page"].paginator.count == 5


def test_a_filter_value_that_is_not_in_the_list_gets_a_clear_error(client):
    response = client.get(reverse("core:organisation_list"), {"type": "spaceship"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Select one of the options" in content
    assert "<title>Error: " in content


def test_the_list_does_not_make_more_queries_for_more_organisations(
    client, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("core:organisation_list"), {"type": "nhs_england_region"})
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("core:organisation_list"))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_page_number_past_the_end_shows_the_last_page(client):
    response = client.get(reverse("core:organisation_list"), {"page": "999"})
    assert response.status_code == 200
    assert response.context["page"].number == response.context["page"].paginator.num_pages


def test_the_detail_page_shows_confirmed_people_only(client):
    organisation = Organisation.objects.get(slug="nhs-england")
    confirmed = make_user("c@example.com", display_name="Confirmed Person")
    waiting = make_user("w@example.com", display_name="Waiting Person")
    admin = make_user("a@example.com", display_name="Admin", roles=("administrator",))
    do_verify_membership(
        membership=check_request_membership(
            user=confirmed, organisation=organisation, role="responder", job_title="Lead"
        ),
        verified_by=admin,
    )
    check_request_membership(
        user=waiting, organisation=organisation, role="member", job_title="Volunteer"
    )
    content = client.get(reverse("core:organisation_detail", args=["nhs-england"])).content.decode()
    assert "Confirmed Person" in content
    assert "Waiting Person" not in content


def test_a_person_can_ask_to_act_for_an_organisation(client, signed_in, citizen):
    signed_in(citizen)
    url = reverse("core:request_membership", args=["healthwatch-x"])
    assert client.get(url).status_code == 404
    Organisation.objects.create(
        name="Healthwatch X", slug="healthwatch-x", type=OrganisationType.HEALTHWATCH
    )
    response = client.post(url, {"role": "member", "job_title": "Volunteer"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=citizen)
    assert membership.verified_at is None
    assert AuditEntry.objects.filter(action="organisations.membership_requested").count() == 1


def test_asking_with_missing_answers_gets_errors_and_saves_nothing(client, signed_in, citizen):
    signed_in(citizen)
    response = client.post(
        reverse("core:request_membership", args=["nhs-england"]), {"role": "boss"}
    )
    content = response.content.decode()
    assert "Select one of the options" in content
    assert "Enter your job title or role" in content
    assert not Membership.objects.exists()


def test_a_charity_cannot_have_responders(client, signed_in, citizen):
    Organisation.objects.create(name="A Charity", slug="a-charity", type=OrganisationType.CHARITY)
    signed_in(citizen)
    response = client.post(
        reverse("core:request_membership", args=["a-charity"]),
        {"role": "responder", "job_title": "Boss"},
    )
    assert "Only NHS and public bodies have responders" in response.content.decode()
    assert not Membership.objects.exists()


def test_an_administrator_confirms_a_request_and_the_person_is_told(
    client, signed_in, citizen, administrator, django_capture_on_commit_callbacks
):
    membership = check_request_membership(
        user=citizen,
        organisation=Organisation.objects.get(slug="nhs-england"),
        role="responder",
        job_title="Lead",
    )
    signed_in(administrator)
    assert "Chris Citizen" in client.get(reverse("core:membership_requests")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("core:decide_membership", args=[membership.pk]),
            {"decision": "confirm", "reason": ""},
        )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.verified_by == administrator
    assert citizen.notifications.count() == 1
    assert mail.outbox[-1].to == ["citizen@example.com"]
    assert AuditEntry.objects.filter(
        action="organisations.membership_verified", is_public=True
    ).exists()


def test_declining_needs_a_reason(client, signed_in, citizen, administrator):
    membership = check_request_membership(
        user=citizen,
        organisation=Organisation.objects.get(slug="nhs-england"),
        role="member",
        job_title="x",
    )
    signed_in(administrator)
    url = reverse("core:decide_membership", args=[membership.pk])
    response = client.post(url, {"decision": "decline", "reason": ""})
    assert "Enter the reason you are declining this request" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    client.post(url, {"decision": "decline", "reason": "We could not confirm you work there"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert "We could not confirm you work there" in citizen.notifications.get().body


@pytest.mark.parametrize(
    "roles", [(), ("curator",), ("moderator",), ("secretariat",), ("board_member",)]
)
def test_only_administrators_check_requests(client, signed_in, roles):
    user = make_user("someone@example.com", roles=roles)
    signed_in(user)
    assert client.get(reverse("core:membership_requests")).status_code == 403


def test_a_member_can_leave(client, signed_in, citizen):
    check_request_membership(
        user=citizen,
        organisation=Organisation.objects.get(slug="nhs-england"),
        role="member",
        job_title="x",
    )
    signed_in(citizen)
    response = client.post(reverse("core:leave_organisation", args=["nhs-england"]))
    assert response.status_code == 302
    assert not Membership.objects.exists()
