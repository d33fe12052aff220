import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.moderation.models import Report, ReportReason, ReportStatus
from nhs_citizen.moderation.services import VISITOR_REPORTS_PER_HOUR, check_hide, check_report

pytestmark = pytest.mark.django_db


def _url(kind, pk):
    return reverse("moderation:report", args=[kind, pk])


@pytest.mark.parametrize("kind", ["flag", "comment", "evidence"])
def test_a_visitor_can_report_without_signing_in(client, content, kind):
    item = content[kind]
    page = client.get(_url(kind, item.pk))
    assert page.status_code == 200
    assert "You do not need an account" in page.content.decode()
    response = client.post(_url(kind, item.pk), {"reason": "not_respectful", "details": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:report_sent", args=[kind, item.pk])
    report = Report.objects.get()
    assert (report.kind, report.object_id, report.reporter) == (kind, item.pk, None)
    assert report.status == ReportStatus.OPEN
    confirmation = client.get(response["Location"]).content.decode()
    assert "Thank you for your report" in confirmation
    assert confirmation.count("<h1") == 1


def test_a_citizen_can_report_and_is_told_they_will_hear_back(client, signed_in, citizen, comment):
    signed_in(citizen)
    response = client.post(
        _url("comment", comment.pk),
        {"reason": "other", "details": "It gives out a nurse's home address."},
        follow=True,
    )
    assert "We will send you a message when the moderator has decided" in response.content.decode()
    report = Report.objects.get()
    assert report.reporter == citizen
    assert report.details == "It gives out a nurse's home address."
    entry = AuditEntry.objects.get(action="moderation.reported")
    assert not entry.is_public
    assert "nurse" not in entry.summary + str(entry.data)


def test_a_reason_that_is_not_in_the_list_gets_a_clear_error(client, comment):
    response = client.post(_url("comment", comment.pk), {"reason": "i-dont-like-it"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Select one of the options" in content
    assert "<title>Error: " in content
    assert not Report.objects.exists()


def test_no_reason_gets_a_clear_error(client, comment):
    response = client.post(_url("comment", comment.pk), {"details": "Bad"})
    assert "Select why you are reporting this" in response.content.decode()
    assert not Report.objects.exists()


def test_something_else_needs_details(client, comment):
    response = client.post(_url("comment", comment.pk), {"reason": "other", "details": "  "})
    content = response.content.decode()
    assert "Enter what is wrong with it" in content
    assert "<title>Error: " in content
    assert not Report.objects.exists()


def test_details_longer_than_1000_characters_are_refused(client, comment):
    response = client.post(_url("comment", comment.pk), {"reason": "hate", "details": "x" * 1001})
    assert "What is wrong with it must be 1,000 characters or fewer" in response.content.decode()
    assert not Report.objects.exists()


def test_the_service_checks_its_input_too(comment):
    with pytest.raises(ValidationError) as error:
        check_report(reporter=None, kind="comment", object_id=comment.pk, reason="x", ip="1.2.3.4")
    assert error.value.message_dict == {"reason": ["Select why you are reporting this"]}
    with pytest.raises(ValidationError) as error:
        check_report(
            reporter=None, kind="comment", object_id=comment.pk, reason="other", ip="1.2.3.4"
        )
    assert error.value.message_dict == {"details": ["Enter what is wrong with it"]}
    with pytest.raises(ValidationError):
        check_report(reporter=None, kind="poll", object_id=comment.pk, reason="hate", ip="1.2.3.4")
    assert not Report.objects.exists()


def test_a_person_cannot_report_the_same_thing_twice_while_it_waits(
    client, signed_in, citizen, comment
):
    check_report(reporter=citizen, kind="comment", object_id=comment.pk, reason="hate")
    with pytest.raises(ValidationError, match="You have already reported this"):
        check_report(reporter=citizen, kind="comment", object_id=comment.pk, reason="advert")
    signed_in(citizen)
    page = client.get(_url("comment", comment.pk)).content.decode()
    assert "You have already reported this comment" in page
    client.post(_url("comment", comment.pk), {"reason": "advert"})
    assert Report.objects.count() == 1
    # Someone else can still report it.
    other = make_user("other@example.com")
    check_report(reporter=other, kind="comment", object_id=comment.pk, reason="hate")
    assert Report.objects.count() == 2


def test_something_already_hidden_cannot_be_reported(client, moderator, comment):
    check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="Rude")
    page = client.get(_url("comment", comment.pk)).content.decode()
    assert "A moderator has already hidden this comment, because: Rude" in page
    assert "Send report" not in page
    client.post(_url("comment", comment.pk), {"reason": "hate"})
    with pytest.raises(ValidationError, match="already hidden this comment"):
        check_report(
            reporter=None, kind="comment", object_id=comment.pk, reason="hate", ip="1.1.1.1"
        )
    assert not Report.objects.exists()


def test_a_comment_on_a_hidden_flag_cannot_be_reported(moderator, flag, comment):
    check_hide(moderator=moderator, kind="flag", object_id=flag.pk, reason="Off topic")
    with pytest.raises(ValidationError, match="already hidden the flag"):
        check_report(
            reporter=None, kind="comment", object_id=comment.pk, reason="hate", ip="1.1.1.1"
        )


def test_visitors_can_send_10_reports_an_hour_from_one_connection(client, flag, author):
    from nhs_citizen.gather.services.flags import check_add_comment

    comments = [check_add_comment(user=author, flag=flag, body=f"Comment {n}") for n in range(11)]
    for comment in comments[:VISITOR_REPORTS_PER_HOUR]:
        assert client.post(_url("comment", comment.pk), {"reason": "advert"}).status_code == 302
    response = client.post(_url("comment", comments[-1].pk), {"reason": "advert"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Only 10 reports an hour can be sent from one internet connection" in content
    assert Report.objects.count() == VISITOR_REPORTS_PER_HOUR
    # Another connection is not affected.
    other = client.post(
        _url("comment", comments[-1].pk), {"reason": "advert"}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302


def test_signed_in_people_are_not_limited_by_their_connection(client, signed_in, citizen, flag):
    for _ in range(VISITOR_REPORTS_PER_HOUR):
        check_report(reporter=None, kind="flag", object_id=flag.pk, reason="advert", ip="127.0.0.1")
    signed_in(citizen)
    assert client.post(_url("flag", flag.pk), {"reason": "advert"}).status_code == 302


@pytest.mark.parametrize("kind", ["poll", "flag"])
def test_an_unknown_kind_or_number_is_not_found(client, kind):
    assert client.get(_url(kind, 999)).status_code == 404
    assert client.post(_url(kind, 999), {"reason": "hate"}).status_code == 404
    assert client.get(reverse("moderation:report_sent", args=[kind, 999])).status_code == 404


def test_the_report_page_has_one_heading_and_lists_every_house_rule(client, comment):
    content = client.get(_url("comment", comment.pk)).content.decode()
    assert content.count("<h1") == 1
    for label in ReportReason.labels:
        assert label in content
