"""The secretariat types in paper "raise a flag" forms posted to NHS England (Wellington House):
through the helpers' own services, for the organisation NHS England, always with the form's
reference (refused the second time), and shown in public as "sent in on paper"."""

import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from nhs_citizen.assisted import services
from nhs_citizen.assisted.models import OfflinePerson, OnBehalfRecord, RecordKind
from nhs_citizen.assisted.tests.factories import consent, healthwatch, helper_for
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry, Organisation, Topic
from nhs_citizen.gather.models import Flag, Scope
from nhs_citizen.gather.services.flags import Place
from nhs_citizen.gather.tests.factories import next_email

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Hearing aid batteries by post",
    "what_should_change": "Post hearing aid batteries to people who cannot get to the clinic.",
    "why": "The clinic is two buses away and open only on weekday mornings.",
    "topic": "gp-and-primary-care",
    "scope": "national",
    "consent_given_by": "The person themselves, signed on the form",
    "consent_how": "letter",
}


@pytest.fixture
def nhs_england():
    return Organisation.objects.get(slug="nhs-england")


@pytest.fixture
def sec():
    return make_user(next_email("sec"), display_name="Sam Secretariat", roles=("secretariat",))


def _person(sec, nhs_england, name="Doreen Ashworth"):
    return services.check_add_person(
        helper=sec,
        organisation=nhs_england,
        name=name,
        contact_by="letter",
        address="14 Mill Lane\nHebden Bridge\nHX7 8AA",
    )


def _record(sec, person, **changes):
    values = {
        "helper": sec,
        "person": person,
        "consent": consent(how="letter"),
        "title": FORM["title"],
        "what_should_change": FORM["what_should_change"],
        "why": FORM["why"],
        "topic": Topic.objects.get(slug="gp-and-primary-care"),
        "place": Place(Scope.NATIONAL),
        "paper_reference": "PF-0042",
    }
    values.update(changes)
    return services.check_record_flag(**values)


def test_the_secretariat_records_a_paper_flag_for_nhs_england(sec, nhs_england):
    person = _person(sec, nhs_england)
    flag = _record(sec, person)
    record = OnBehalfRecord.objects.get(kind=RecordKind.FLAG)
    assert record.organisation == nhs_england and record.paper_reference == "PF0042"
    assert record.consent_how == "letter" and record.recorded_by == sec
    assert flag.support_count == 1
    entry = AuditEntry.objects.get(action=services.PAPER_FLAG_ACTION)
    assert entry.is_public
    assert entry.summary == f"Typed in the flag “{FORM['title']}”, sent in on paper"
    assert "Doreen" not in str(entry.data) and person.reference not in entry.summary
    on_behalf = services.flag_on_behalf(flag)
    assert on_behalf.line == "Sent in on paper by a member of the public"
    # Not "recorded by a community helper": the share counts the helpers' supports only.
    assert (on_behalf.supports, on_behalf.share) == (0, "")
    organisation = healthwatch()
    helper = helper_for(organisation)
    edna = services.check_add_person(
        helper=helper, organisation=organisation, name="Edna", contact_by="helper"
    )
    services.check_record_support(helper=helper, person=edna, flag=flag, consent=consent())
    flag.refresh_from_db()
    assert services.flag_on_behalf(flag).share == (
        "1 of 2 supporters was recorded by community helpers."
    )


def test_the_secretariat_must_give_the_papers_reference_and_it_is_refused_twice(sec, nhs_england):
    person = _person(sec, nhs_england)
    with pytest.raises(ValidationError) as error:
        _record(sec, person, paper_reference="")
    assert "Enter the reference written on the paper form" in " ".join(error.value.messages)
    assert not Flag.objects.exists() and not OnBehalfRecord.objects.exists()
    _record(sec, person, paper_reference="pf 0042")
    other = _person(sec, nhs_england, name="Harold Pike")
    with pytest.raises(ValidationError) as error:
        _record(sec, other, paper_reference="PF-0042", title="Another flag")
    assert "Paper form PF0042 was typed in on" in " ".join(error.value.messages)
    assert Flag.objects.count() == 1 and OnBehalfRecord.objects.filter(kind="flag").count() == 1


def test_only_the_secretariat_types_in_for_nhs_england_and_not_for_others(sec, nhs_england):
    organisation = healthwatch()
    citizen = make_user(next_email("citizen"))
    nhse_member = make_user(next_email("nhse"))
    from nhs_citizen.core.models import Membership

    Membership.objects.create(
        user=nhse_member, organisation=nhs_england, verified_at=timezone.now()
    )
    for who in (citizen, nhse_member):
        with pytest.raises(PermissionDenied):
            _person(who, nhs_england)
    # The secretariat are not helpers for Healthwatch: their role is for NHS England's post.
    with pytest.raises(PermissionDenied):
        services.check_add_person(
            helper=sec, organisation=organisation, name="Edna", contact_by="helper"
        )
    helper = helper_for(organisation)
    assert not helper.has_perm("assisted.record_for", nhs_england)
    assert sec.has_perm("assisted.record_for", nhs_england)
    assert OfflinePerson.objects.count() == 0


def test_the_secretariat_types_in_a_paper_form_through_the_pages(client, signed_in, sec):
    signed_in(sec)
    staff = client.get("/staff/").content.decode()
    assert "Paper forms sent to NHS England" in staff
    for address in ("/helpers/paper-forms/", "/helpers/nhs-england/"):
        assert "<h1>Type in paper forms</h1>" in client.get(address).content.decode()
    signed_in(make_user(next_email("citizen")))
    assert client.get("/helpers/paper-forms/").status_code == 403
    signed_in(sec)
    response = client.post(
        "/helpers/nhs-england/people/new/",
        {"name": "Doreen Ashworth", "contact_by": "letter", "address": "14 Mill Lane, HX7 8AA"},
    )
    person = OfflinePerson.objects.get()
    assert response.status_code == 302
    flag_page = f"/helpers/nhs-england/people/{person.reference}/flag/"
    assert 'It will show as "sent in on paper"' in html.unescape(
        client.get(flag_page).content.decode()
    )
    form = {**FORM, "consent_on": timezone.localdate().strftime("%d/%m/%Y")}
    response = client.post(flag_page, form)
    assert response.status_code == 200
    assert "Enter the reference written on the paper form" in response.content.decode()
    assert not Flag.objects.exists()
    response = client.post(flag_page, {**form, "paper_reference": "PF-0042"}, follow=True)
    page = html.unescape(response.content.decode())
    assert "It shows as sent in on paper." in page
    flag = Flag.objects.get()
    client.logout()
    public = html.unescape(client.get(f"/gather/flags/{flag.pk}/").content.decode())
    assert "Sent in on paper by a member of the public" in public
    assert "Doreen" not in public and "Sam Secretariat" not in public
    assert person.reference not in public and "PF0042" not in public
    signed_in(sec)
    response = client.post(flag_page, {**form, "paper_reference": "pf 0042"})
    assert "Paper form PF0042 was typed in on" in html.unescape(response.content.decode())
    assert Flag.objects.count() == 1


def test_the_public_audit_log_credits_nhs_englands_secretariat(client, sec, nhs_england):
    _record(sec, _person(sec, nhs_england))
    page = html.unescape(client.get("/audit-log/").content.decode())
    assert "sent in on paper" in page
    assert "Sam Secretariat" not in page
