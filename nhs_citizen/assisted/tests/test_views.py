"""The helpers' pages: who may see them, the forms, and nothing private on public pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nhs_citizen.assisted import services
from nhs_citizen.assisted.models import OfflinePerson, OnBehalfRecord
from nhs_citizen.assisted.tests.factories import consent, healthwatch, helper_for, offline_person
from nhs_citizen.conftest import make_user
from nhs_citizen.gather.tests.factories import next_email, raise_flag

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return healthwatch()


@pytest.fixture
def helper(organisation):
    return helper_for(organisation)


def _pages(organisation, person):
    return [
        f"/helpers/{organisation.slug}/",
        f"/helpers/{organisation.slug}/activity/",
        f"/helpers/{organisation.slug}/people/new/",
        f"/helpers/{organisation.slug}/people/{person.reference}/",
        f"/helpers/{organisation.slug}/people/{person.reference}/flag/",
        f"/helpers/{organisation.slug}/people/{person.reference}/support/",
    ]


@pytest.mark.parametrize("who", ["citizen", "unconfirmed", "other_organisation"])
def test_non_members_and_unconfirmed_members_get_403(client, signed_in, organisation, helper, who):
    person = offline_person(helper, organisation)
    if who == "citizen":
        user = make_user(next_email("citizen"))
    elif who == "unconfirmed":
        user = helper_for(organisation, verified=False)
    else:
        user = helper_for(healthwatch("Healthwatch Bradford", "healthwatch-bradford"))
    signed_in(user)
    for page in _pages(organisation, person):
        assert client.get(page).status_code == 403, page
        assert client.post(page, {"name": "X", "contact_by": "helper"}).status_code == 403, page
    assert client.get("/helpers/activity/").status_code == 403
    assert OfflinePerson.objects.count() == 1


def test_visitors_are_asked_to_sign_in(client, organisation, helper):
    person = offline_person(helper, organisation)
    for page in _pages(organisation, person):
        response = client.get(page)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_helper_adds_a_person_and_records_their_support(client, signed_in, organisation, helper):
    signed_in(helper)
    response = client.post(
        f"/helpers/{organisation.slug}/people/new/",
        {
            "name": "Edna Offline",
            "contact_by": "letter",
            "address": "12 Harehills Lane\nLeeds LS8 4HS",
        },
    )
    person = OfflinePerson.objects.get()
    assert response["Location"] == f"/helpers/{organisation.slug}/people/{person.reference}/"
    flag = raise_flag()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    form = {
        "flag": f"http://testserver/gather/flags/{flag.pk}/",
        "consent_given_by": "The person themselves",
        "consent_how": "letter",
        "consent_on": yesterday.strftime("%d %m %Y"),
        "paper_reference": "PF-0001",
    }
    response = client.post(f"/helpers/{organisation.slug}/people/{person.reference}/support/", form)
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.support_count == 2
    # Twice: the page says why, and nothing changes.
    form["paper_reference"] = ""
    response = client.post(f"/helpers/{organisation.slug}/people/{person.reference}/support/", form)
    assert response.status_code == 200
    assert f"{person.reference} already supports this flag" in response.content.decode()
    flag.refresh_from_db()
    assert flag.support_count == 2
    # Looking the reference up, however it is typed.
    response = client.get(f"/helpers/{organisation.slug}/", {"reference": person.reference.lower()})
    assert response["Location"].endswith(f"/people/{person.reference}/")
    response = client.get(f"/helpers/{organisation.slug}/", {"reference": "HWL-XXXX"})
    assert "We cannot find HWL-XXXX" in response.content.decode()


def test_a_helper_records_a_flag_and_bad_input_changes_nothing(
    client, signed_in, organisation, helper
):
    person = offline_person(helper, organisation)
    signed_in(helper)
    page = f"/helpers/{organisation.slug}/people/{person.reference}/flag/"
    form = {
        "title": "Bring back the bus to St James's",
        "what_should_change": "Run the hospital bus from Seacroft again.",
        "why": "Older people without a car miss appointments.",
        "topic": "gp-and-primary-care",
        "scope": "national",
        "consent_given_by": "The person themselves",
        "consent_how": "phone",
        "consent_on": "31 2 2026",
    }
    response = client.post(page, form)
    assert response.status_code == 200
    assert "The date they agreed must be a real date" in response.content.decode()
    assert not OnBehalfRecord.objects.exists()
    form["consent_on"] = timezone.localdate().strftime("%d/%m/%Y")
    response = client.post(page, form)
    assert response.status_code == 302
    assert OnBehalfRecord.objects.filter(kind="flag").count() == 1


def test_no_private_detail_on_public_pages(client, signed_in, organisation, helper):
    person = offline_person(helper, organisation, name="Edna Quigglesworth", phone="0113 496 0999")
    flag = services.check_record_flag(
        helper=helper,
        person=person,
        consent=consent(given_by="Her daughter Maureen"),
        title="Bring back the bus to St James's",
        what_should_change="Run the hospital bus from Seacroft again.",
        why="Older people without a car miss appointments.",
        topic=raise_flag().topic,
        place=services.Place("national"),
        paper_reference="PF-7781",
    )
    other = offline_person(helper, organisation, name="Fred Zebedee", phone="0113 496 0777")
    services.check_record_support(helper=helper, person=other, flag=flag, consent=consent())
    private = [
        "Quigglesworth",
        "0113 496 0999",
        "Zebedee",
        "0113 496 0777",
        person.reference,
        other.reference,
        "Maureen",
    ]
    public_pages = [
        flag.get_absolute_url(),
        "/gather/",
        f"/gather/flags/{flag.pk}/people/",
        f"/api/v1/flags/{flag.pk}",
        "/api/v1/flags",
        "/audit-log/",
        "/open-data/audit-log.json",
        "/gather/open-data/flags.json",
        "/helpers/about/",
    ]
    for page in public_pages:
        response = client.get(page)
        assert response.status_code in (200, 301, 302), page
        text = b"".join(
            response.streaming_content if response.streaming else [response.content]
        ).decode()
        for detail in private:
            assert detail not in text, (page, detail)
    text = client.get(flag.get_absolute_url()).content.decode()
    assert "Recorded by Healthwatch Leeds for a local resident" in text
    assert "All 2 supporters were recorded by community helpers." in text
    # Moderators see the activity and the consent, but not who the people are.
    moderator = make_user(next_email("moderator"), roles=("moderator",))
    signed_in(moderator)
    text = client.get(f"/helpers/{organisation.slug}/activity/").content.decode()
    assert "Her daughter Maureen, by phone" not in text  # consent given in person
    assert "Her daughter Maureen, in person" in text
    for detail in ["Quigglesworth", "Zebedee", person.reference, "0113 496 0999"]:
        assert detail not in text
    assert f"/staff/moderation/flag/{flag.pk}/" in text
    assert client.get("/helpers/activity/").status_code == 200
    # The organisation's helpers see who they recorded for.
    signed_in(helper)
    text = client.get(f"/helpers/{organisation.slug}/activity/").content.decode()
    assert "Edna Quigglesworth" in text and person.reference in text and "PF7781" in text


def test_a_helper_removes_a_persons_details_and_keeps_what_was_recorded(
    client, signed_in, organisation, helper
):
    person = offline_person(helper, organisation, name="Edna Quigglesworth")
    flag = raise_flag()
    services.check_record_support(helper=helper, person=person, flag=flag, consent=consent())
    signed_in(helper)
    page = f"/helpers/{organisation.slug}/people/{person.reference}/"
    assert client.get(page + "forget/").status_code == 405
    response = client.post(page + "forget/")
    assert response["Location"] == page
    person.refresh_from_db()
    assert (person.name, person.phone, person.address) == ("", "", "")
    assert OnBehalfRecord.objects.filter(person=person).count() == 1
    text = client.get(page).content.decode()
    assert "Quigglesworth" not in text and "Removed" in text


def test_moderation_applies_to_what_helpers_record(client, signed_in, organisation, helper):
    from nhs_citizen.moderation.services import check_hide

    person = offline_person(helper, organisation)
    flag = services.check_record_flag(
        helper=helper,
        person=person,
        consent=consent(),
        title="Buy cheap pills at my shop",
        what_should_change="Everyone should visit my shop.",
        why="It is cheap.",
        topic=raise_flag().topic,
        place=services.Place("national"),
    )
    moderator = make_user(next_email("moderator"), roles=("moderator",))
    check_hide(moderator=moderator, kind="flag", object_id=flag.pk, reason="Advertising")
    text = client.get(flag.get_absolute_url()).content.decode()
    assert "This flag has been hidden" in text and "my shop" not in text
    # Nobody can add support to a hidden flag, on behalf or not.
    with pytest.raises(ValidationError):
        services.check_record_support(
            helper=helper,
            person=offline_person(helper, organisation, name="Fred"),
            flag=flag,
            consent=consent(),
        )
    signed_in(moderator)
    assert 'href="/helpers/activity/"' in client.get("/staff/").content.decode()
    assert f"/staff/moderation/flag/{flag.pk}/" in client.get("/helpers/activity/").content.decode()


def test_from_a_flag_page_a_helper_finds_the_person_and_records_their_support(
    client, signed_in, organisation, helper
):
    flag = raise_flag()
    person = offline_person(helper, organisation)
    signed_in(helper)
    text = client.get(flag.get_absolute_url()).content.decode()
    assert f'href="/helpers/?flag={flag.pk}"' in text
    response = client.get("/helpers/", {"flag": flag.pk})
    assert response["Location"] == f"/helpers/{organisation.slug}/?flag={flag.pk}"
    response = client.get(response["Location"])
    assert response.status_code == 200 and "Enter the reference" not in response.content.decode()
    response = client.get(
        f"/helpers/{organisation.slug}/", {"flag": flag.pk, "reference": person.reference}
    )
    assert response["Location"].endswith(f"/people/{person.reference}/?flag={flag.pk}")
    text = client.get(response["Location"]).content.decode()
    assert f"/people/{person.reference}/support/?flag={flag.pk}" in text
    text = client.get(
        f"/helpers/{organisation.slug}/people/{person.reference}/support/?flag={flag.pk}"
    ).content.decode()
    assert f'value="{flag.pk}"' in text
    # Someone who is not a helper does not see the link.
    signed_in(make_user(next_email("citizen")))
    assert "/helpers/?flag=" not in client.get(flag.get_absolute_url()).content.decode()
