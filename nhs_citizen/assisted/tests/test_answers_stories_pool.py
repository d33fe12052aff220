"""Answers to a call for views, stories and places in the pool, recorded for people who are
offline: once per person, paper forms once, and nothing private in public."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from nhs_citizen.assisted import services
from nhs_citizen.assisted.models import OnBehalfRecord, RecordKind
from nhs_citizen.assisted.tests.factories import consent, healthwatch, helper_for, offline_person
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Organisation
from nhs_citizen.culture.models import StoryStatus
from nhs_citizen.culture.services.stories import check_publish_story
from nhs_citizen.gather.models import CallSubmission
from nhs_citizen.gather.services import calls
from nhs_citizen.gather.tests.factories import next_email, responder_for
from nhs_citizen.gather.tests.test_calls import answer, open_a_call
from nhs_citizen.panels.models import PoolMember

pytestmark = pytest.mark.django_db

POOL_ANSWERS = {
    "age_band": "65-74",
    "sex": "female",
    "ethnic_group": "white",
    "disability": "disabled",
    "region": "Y63",
    "deprivation": "1",
}


@pytest.fixture
def organisation():
    return healthwatch()


@pytest.fixture
def helper(organisation):
    return helper_for(organisation)


@pytest.fixture
def call():
    england = Organisation.objects.get(slug="nhs-england")
    return open_a_call(responder_for(england), england)


def _answers(call, free_text="A bus from Seacroft", choice="Yes"):
    first, second = call.questions.order_by("position")
    return {first.pk: free_text, second.pk: choice}


def test_answers_typed_in_count_with_everyone_elses_once_per_person(helper, organisation, call):
    answer(call, make_user(next_email("online")))
    edna = offline_person(helper, organisation)
    services.check_record_call_answers(
        helper=helper,
        person=edna,
        call=call,
        answers=_answers(call),
        consent=consent(),
        paper_reference="CV-001",
    )
    assert call.submissions.count() == 2
    assert "A bus from Seacroft" in calls.answers_csv(call)
    with pytest.raises(ValidationError) as error:
        services.check_record_call_answers(
            helper=helper, person=edna, call=call, answers=_answers(call), consent=consent()
        )
    assert f"{edna.reference} has already answered" in error.value.messages[0]
    # The same paper form for someone else: refused, nothing stored.
    with pytest.raises(ValidationError) as error:
        services.check_record_call_answers(
            helper=helper,
            person=offline_person(helper, organisation, name="Fred"),
            call=call,
            answers=_answers(call),
            consent=consent(),
            paper_reference="cv 001",
        )
    assert "Paper form CV001 was typed in on" in error.value.messages[0]
    assert CallSubmission.objects.filter(call=call).count() == 2


def test_bad_answers_change_nothing(helper, organisation, call):
    with pytest.raises(ValidationError) as error:
        services.check_record_call_answers(
            helper=helper,
            person=offline_person(helper, organisation),
            call=call,
            answers=_answers(call, choice="Maybe"),
            consent=consent(),
        )
    assert error.value.error_dict
    assert not CallSubmission.objects.exists() and not OnBehalfRecord.objects.exists()


def test_a_story_is_checked_by_a_curator_and_shows_the_organisation_not_the_person(
    client, helper, organisation
):
    person = offline_person(helper, organisation, name="Edna Quigglesworth")
    record = services.check_record_story(
        helper=helper,
        person=person,
        consent=consent(),
        title="The ward listened about visiting times",
        body="After we asked, the ward let families visit in the evening.",
    )
    story = record.story
    assert story.status == StoryStatus.WAITING
    check_publish_story(curator=make_user(next_email("curator"), roles=("curator",)), story=story)
    for page in (story.get_absolute_url(), "/culture-change/stories/"):
        text = client.get(page).content.decode()
        assert "Recorded by Healthwatch Leeds for a local resident" in text, page
        assert (
            "Quigglesworth" not in text
            and person.reference not in text
            and helper.display_name not in text
        )


def test_a_person_joins_the_pool_once_known_only_by_their_reference(helper, organisation):
    person = offline_person(helper, organisation)
    record = services.check_record_pool_entry(
        helper=helper,
        person=person,
        consent=consent(),
        answers=POOL_ANSWERS,
        address="3 Seacroft Crescent",
        postcode="LS14 6NQ",
    )
    member = record.pool_member
    assert member.user is None and member.external_id == f"helper:{person.reference}"
    assert member.features == POOL_ANSWERS and member.household_hash
    assert "Seacroft" not in str(PoolMember.objects.values().get(pk=member.pk))
    with pytest.raises(ValidationError):
        services.check_record_pool_entry(
            helper=helper,
            person=person,
            consent=consent(),
            answers=POOL_ANSWERS,
            address="3 Seacroft Crescent",
            postcode="LS14 6NQ",
        )
    assert PoolMember.objects.count() == 1
    assert OnBehalfRecord.objects.filter(kind=RecordKind.POOL_ENTRY).count() == 1


def test_pool_answers_are_checked(helper, organisation):
    with pytest.raises(ValidationError) as error:
        services.check_record_pool_entry(
            helper=helper,
            person=offline_person(helper, organisation),
            consent=consent(),
            answers={**POOL_ANSWERS, "age_band": "ancient"},
            address="",
            postcode="nowhere",
        )
    assert {"age_band", "address", "postcode"} <= set(error.value.error_dict)
    assert not PoolMember.objects.exists()


def test_only_confirmed_members_record_answers_stories_and_pool_entries(helper, organisation, call):
    person = offline_person(helper, organisation)
    stranger = helper_for(organisation, verified=False)
    with pytest.raises(PermissionDenied):
        services.check_record_call_answers(
            helper=stranger, person=person, call=call, answers=_answers(call), consent=consent()
        )
    with pytest.raises(PermissionDenied):
        services.check_record_story(
            helper=stranger, person=person, consent=consent(), title="T", body="B"
        )
    with pytest.raises(PermissionDenied):
        services.check_record_pool_entry(
            helper=stranger,
            person=person,
            consent=consent(),
            answers=POOL_ANSWERS,
            address="1 A",
            postcode="LS1 4AP",
        )
    assert not OnBehalfRecord.objects.exists()


def test_the_pages_work(client, signed_in, helper, organisation, call):
    person = offline_person(helper, organisation)
    signed_in(helper)
    today = timezone.localdate().strftime("%d %m %Y")
    base = f"/helpers/{organisation.slug}/people/{person.reference}"
    response = client.get(f"{base}/answers/", {"call": "x"})
    assert response.status_code == 200 and call.title in response.content.decode()
    response = client.get(f"{base}/answers/", {"call": str(call.pk)})
    assert response.status_code == 200
    data = {f"question_{pk}": text for pk, text in _answers(call).items()}
    data.update(consent_given_by="Edna herself", consent_how="phone", consent_on=today)
    response = client.post(f"{base}/answers/?call={call.pk}", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(
        f"{base}/story/",
        {
            "title": "Listened",
            "body": "They listened.",
            "consent_given_by": "Edna",
            "consent_how": "in_person",
            "consent_on": today,
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"{base}/pool/",
        {
            **POOL_ANSWERS,
            "address": "1 Street",
            "postcode": "LS1 4AP",
            "consent": "on",
            "consent_given_by": "Edna herself",
            "consent_how": "in_person",
            "consent_on": today,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    text = client.get(f"{base}/").content.decode()
    assert (
        "Answered a call for views" in text and "Told a story" in text and "Joined a pool" in text
    )
