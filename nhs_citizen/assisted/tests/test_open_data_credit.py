"""The API and the nightly flag file say who recorded a flag the same way the flag page does:
the organisation, or "sent in on paper"; never the helper's or the staff member's name."""

import pytest

from nhs_citizen.assisted import services
from nhs_citizen.assisted.tests.factories import consent, healthwatch, helper_for, offline_person
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Organisation, Topic
from nhs_citizen.gather.models import Scope
from nhs_citizen.gather.queries import flag_records
from nhs_citizen.gather.services.flags import Place
from nhs_citizen.gather.tests.factories import next_email, raise_flag

pytestmark = pytest.mark.django_db


def _flag(helper, person, title, reference):
    return services.check_record_flag(
        helper=helper,
        person=person,
        consent=consent(how="letter"),
        title=title,
        what_should_change="Post hearing aid batteries to people who cannot get to the clinic.",
        why="The clinic is two buses away and open only on weekday mornings.",
        topic=Topic.objects.get(slug="gp-and-primary-care"),
        place=Place(Scope.NATIONAL),
        paper_reference=reference,
    )


def test_api_and_bulk_file_credit_the_organisation_not_the_person(client):
    helper = helper_for(healthwatch(), display_name="Hana Helper")
    by_helper = _flag(
        helper, offline_person(helper, healthwatch()), "Hearing aid batteries", "PF-1"
    )
    sec = make_user(next_email("sec"), display_name="Sam Secretariat", roles=("secretariat",))
    nhs_england = Organisation.objects.get(slug="nhs-england")
    person = services.check_add_person(
        helper=sec,
        organisation=nhs_england,
        name="Doreen Ashworth",
        contact_by="letter",
        address="14 Mill Lane",
    )
    on_paper = _flag(sec, person, "Buses to the hospital", "PF-2")
    own = raise_flag(title="Longer opening hours")
    expected = {
        by_helper.pk: "Recorded by Healthwatch Leeds for a local resident",
        on_paper.pk: "Sent in on paper by a member of the public",
        own.pk: own.raised_by.public_name,
    }
    listed = client.get("/api/v1/flags").json()["results"]
    assert {row["id"]: row["raised_by"] for row in listed} == expected
    for pk, words in expected.items():
        assert client.get(f"/api/v1/flags/{pk}").json()["raised_by"] == words
    assert {row["id"]: row["raised_by"] for row in flag_records()} == expected
    everything = str(listed) + str(list(flag_records()))
    for name in ("Hana", "Sam Secretariat", "Doreen", "Edna"):
        assert name not in everything
