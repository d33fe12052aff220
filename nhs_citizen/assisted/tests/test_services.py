"""Recording on behalf: each person counts once, paper forms are typed in once, every record is
audited, and a refusal changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from nhs_citizen.assisted import services
from nhs_citizen.assisted.models import OnBehalfRecord, RecordKind
from nhs_citizen.assisted.tests.factories import consent, healthwatch, helper_for, offline_person
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry, Topic
from nhs_citizen.gather.models import Flag, Scope, Support
from nhs_citizen.gather.services.flags import Place, check_merge_flags, do_support_flag
from nhs_citizen.gather.tests.factories import next_email, raise_flag

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return healthwatch()


@pytest.fixture
def helper(organisation):
    return helper_for(organisation)


def _record_flag(helper, person, **changes):
    values = {
        "helper": helper,
        "person": person,
        "consent": consent(),
        "title": "Bring back the bus to St James's",
        "what_should_change": "Run the hospital bus from Seacroft again.",
        "why": "Older people without a car cannot get to their appointments.",
        "topic": Topic.objects.get(slug="gp-and-primary-care"),
        "place": Place(Scope.NATIONAL),
    }
    values.update(changes)
    return services.check_record_flag(**values)


def test_adding_a_person_gives_them_a_reference_and_keeps_one_way_to_reach_them(
    helper, organisation
):
    person = services.check_add_person(
        helper=helper,
        organisation=organisation,
        name="  Edna   Offline ",
        contact_by="phone",
        phone="0113 496 0123",
        address="1 Street",
    )
    assert person.reference.startswith("HWL-") and len(person.reference) == 8
    assert person.name == "Edna Offline"
    assert person.address == ""
    assert services.find_person(organisation, person.reference.lower().replace("-", " ")) == person
    assert (
        services.find_person(
            healthwatch("Healthwatch Bradford", "healthwatch-bradford"), person.reference
        )
        is None
    )


def test_a_person_needs_a_way_to_be_reached(helper, organisation):
    with pytest.raises(ValidationError) as error:
        services.check_add_person(
            helper=helper, organisation=organisation, name="Edna", contact_by="phone", phone="12"
        )
    assert "phone" in error.value.error_dict


@pytest.mark.parametrize("verified,role", [(False, "member"), (True, "responder")])
def test_only_confirmed_members_can_record(organisation, verified, role):
    if role == "responder":
        organisation.type = "nhs_trust"
        organisation.save()
    someone = helper_for(organisation, verified=verified, role=role)
    with pytest.raises(PermissionDenied):
        services.check_add_person(
            helper=someone, organisation=organisation, name="Edna", contact_by="helper"
        )


def test_a_flag_recorded_for_a_person_counts_them_as_its_first_supporter(helper, organisation):
    person = offline_person(helper, organisation)
    flag = _record_flag(helper, person)
    assert flag.support_count == 1
    assert not Support.objects.filter(flag=flag).exists()  # the helper is not a supporter
    summary = services.flag_on_behalf(flag)
    assert summary.recorded_by == "Healthwatch Leeds"
    assert summary.supports == 1
    entry = AuditEntry.objects.get(action="assisted.flag_recorded")
    assert (
        entry.is_public
        and person.name not in entry.summary
        and person.reference not in entry.summary
    )


def test_supports_recorded_on_behalf_are_counted_once_per_person(helper, organisation):
    flag = raise_flag()
    edna = offline_person(helper, organisation)
    services.check_record_support(helper=helper, person=edna, flag=flag, consent=consent())
    flag.refresh_from_db()
    assert flag.support_count == 2

    # The same person and flag again: a clear error, and nothing changes.
    audited = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.check_record_support(helper=helper, person=edna, flag=flag, consent=consent())
    assert f"{edna.reference} already supports this flag" in error.value.messages[0]
    flag.refresh_from_db()
    assert flag.support_count == 2
    assert OnBehalfRecord.objects.filter(flag=flag, kind=RecordKind.SUPPORT).count() == 1
    assert AuditEntry.objects.count() == audited

    # Another helper of the same organisation cannot do it either.
    other_helper = helper_for(organisation, display_name="Omar Other")
    with pytest.raises(ValidationError):
        services.check_record_support(
            helper=other_helper, person=edna, flag=flag, consent=consent()
        )
    flag.refresh_from_db()
    assert flag.support_count == 2


def test_the_database_refuses_a_second_support_for_the_same_person_and_flag(helper, organisation):
    flag = raise_flag()
    edna = offline_person(helper, organisation)
    record = services.check_record_support(helper=helper, person=edna, flag=flag, consent=consent())
    with pytest.raises(IntegrityError), transaction.atomic():
        OnBehalfRecord.objects.create(
            organisation=organisation,
            person=edna,
            kind=RecordKind.SUPPORT,
            flag=flag,
            consent_given_by="x",
            consent_how="phone",
            consent_on=record.consent_on,
        )


def test_an_online_supporter_and_on_behalf_supports_from_different_people_all_count(
    helper, organisation
):
    flag = raise_flag()  # its raiser supports it
    online = make_user(next_email("online"), display_name="Olu Online")
    assert do_support_flag(user=online, flag=flag)
    for name in ("Edna Offline", "Fred Phone", "Gwen Letter"):
        services.check_record_support(
            helper=helper,
            person=offline_person(helper, organisation, name=name),
            flag=flag,
            consent=consent(),
        )
    flag.refresh_from_db()
    assert flag.support_count == 5
    summary = services.flag_on_behalf(flag)
    assert summary.supports == 3
    assert summary.share == "3 of 5 supporters were recorded by community helpers."
    assert summary.recorded_by == ""


def test_the_helper_supporting_online_counts_separately_from_the_people_they_help(
    helper, organisation
):
    flag = raise_flag()
    services.check_record_support(
        helper=helper, person=offline_person(helper, organisation), flag=flag, consent=consent()
    )
    assert do_support_flag(user=helper, flag=flag)
    flag.refresh_from_db()
    assert flag.support_count == 3


def test_the_same_paper_reference_is_refused_the_second_time(helper, organisation):
    flag = raise_flag()
    first = offline_person(helper, organisation)
    second = offline_person(helper, organisation, name="Fred Phone")
    services.check_record_support(
        helper=helper, person=first, flag=flag, consent=consent(), paper_reference="pf-0012"
    )
    with pytest.raises(ValidationError) as error:
        services.check_record_support(
            helper=helper, person=second, flag=flag, consent=consent(), paper_reference="PF 0012"
        )
    assert "Paper form PF0012 was typed in on" in error.value.messages[0]
    flag.refresh_from_db()
    assert flag.support_count == 2
    # A flag typed in from the same paper form is refused too, and no flag is made.
    flags = Flag.objects.count()
    with pytest.raises(ValidationError):
        _record_flag(helper, second, paper_reference="PF0012")
    assert Flag.objects.count() == flags
    # Another organisation's form numbered the same is a different paper.
    bradford = healthwatch("Healthwatch Bradford", "healthwatch-bradford")
    bradford_helper = helper_for(bradford)
    services.check_record_support(
        helper=bradford_helper,
        person=offline_person(bradford_helper, bradford),
        flag=flag,
        consent=consent(),
        paper_reference="PF0012",
    )


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"given_by": " "}, "consent_given_by"),
        ({"how": "by_pigeon"}, "consent_how"),
        ({"on": None}, "consent_on"),
        ({"on": timezone.localdate() + datetime.timedelta(days=1)}, "consent_on"),
        ({"on": timezone.localdate() - datetime.timedelta(days=400)}, "consent_on"),
    ],
)
def test_consent_is_recorded_properly_or_nothing_is(helper, organisation, changes, field):
    flag = raise_flag()
    with pytest.raises(ValidationError) as error:
        services.check_record_support(
            helper=helper,
            person=offline_person(helper, organisation),
            flag=flag,
            consent=consent(**changes),
        )
    assert field in error.value.error_dict
    assert not OnBehalfRecord.objects.exists()


def test_a_helper_cannot_record_for_another_organisations_person(helper, organisation):
    bradford = healthwatch("Healthwatch Bradford", "healthwatch-bradford")
    bradford_helper = helper_for(bradford)
    theirs = offline_person(bradford_helper, bradford)
    with pytest.raises(PermissionDenied):
        services.check_record_support(
            helper=helper, person=theirs, flag=raise_flag(), consent=consent()
        )


def test_merging_flags_keeps_each_person_once(
    helper, organisation, django_capture_on_commit_callbacks
):
    curator = make_user(next_email("curator"), roles=("curator",))
    source, target = raise_flag(title="Bus to St James's"), raise_flag(title="Hospital buses")
    both, only_source = (
        offline_person(helper, organisation),
        offline_person(helper, organisation, name="Fred"),
    )
    for flag in (source, target):
        services.check_record_support(helper=helper, person=both, flag=flag, consent=consent())
    services.check_record_support(helper=helper, person=only_source, flag=source, consent=consent())
    merged = check_merge_flags(curator=curator, source=source, target=target, reason="The same bus")
    # Two raisers (online), plus two different people recorded on behalf.
    assert merged.support_count == 4
    assert services.flag_on_behalf(merged).supports == 2


def test_the_flag_page_reads_what_was_recorded_on_behalf_in_one_query(
    helper, organisation, django_assert_num_queries
):
    person = offline_person(helper, organisation)
    flag = _record_flag(helper, person)
    for name in ("Fred", "Gwen", "Harold"):
        services.check_record_support(
            helper=helper,
            person=offline_person(helper, organisation, name=name),
            flag=flag,
            consent=consent(),
        )
    flag.refresh_from_db()
    with django_assert_num_queries(1):
        summary = services.flag_on_behalf(flag)
    assert (summary.recorded_by, summary.supports) == ("Healthwatch Leeds", 4)
    assert summary.share == "All 4 supporters were recorded by community helpers."
