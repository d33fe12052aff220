import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.moderation.models import Report, ReportStatus
from nhs_citizen.moderation.services import (
    check_dismiss,
    check_dismiss_reports,
    check_hide,
    check_report,
    check_restore,
)

pytestmark = pytest.mark.django_db


def _decide(kind, pk):
    return reverse("moderation:decide", args=[kind, pk])


def test_a_moderator_sees_the_queue_with_the_text_oldest_first(
    client, signed_in, moderator, flag, comment, evidence
):
    check_report(
        reporter=None, kind="evidence", object_id=evidence.pk, reason="advert", ip="1.1.1.1"
    )
    check_report(
        reporter=None, kind="comment", object_id=comment.pk, reason="not_respectful", ip="1.1.1.1"
    )
    check_report(
        reporter=None, kind="evidence", object_id=evidence.pk, reason="advert", ip="1.1.1.2"
    )
    signed_in(moderator)
    response = client.get(reverse("moderation:queue"))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "Buy cheap pills here" in content
    assert "You are all idiots for disagreeing." in content
    assert content.index("Buy cheap pills here") < content.index("You are all idiots")
    assert "2 reports" in content
    entries = response.context["page"].object_list
    assert [(e.kind, e.object_id) for e in entries] == [
        ("evidence", evidence.pk),
        ("comment", comment.pk),
    ]


def test_the_queue_does_not_make_more_queries_for_more_items(
    client, signed_in, moderator, flag, author
):
    from nhs_citizen.gather.services.flags import check_add_comment

    signed_in(moderator)
    comment = check_add_comment(user=author, flag=flag, body="One")
    check_report(reporter=None, kind="comment", object_id=comment.pk, reason="hate", ip="1.1.1.1")
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("moderation:queue"))
    for n in range(5):
        comment = check_add_comment(user=author, flag=flag, body=f"More {n}")
        check_report(
            reporter=None, kind="comment", object_id=comment.pk, reason="hate", ip="1.1.1.1"
        )
    check_report(reporter=None, kind="flag", object_id=flag.pk, reason="off_topic", ip="1.1.1.1")
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("moderation:queue"))
    # One more query for the second kind of content, however many items there are.
    assert len(large.captured_queries) <= len(small.captured_queries) + 1


@pytest.mark.parametrize("roles", [(), ("curator",), ("review_panel",)])
def test_only_moderators_can_see_the_queue_or_decide(client, signed_in, comment, roles):
    signed_in(make_user("someone@example.com", roles=roles))
    assert client.get(reverse("moderation:queue")).status_code == 403
    assert client.get(_decide("comment", comment.pk)).status_code == 403


def test_an_administrator_sees_only_appeals_sent_to_them(client, signed_in, comment):
    """Administrators are the last resort for appeals; they do not moderate otherwise."""
    signed_in(make_user("admin@example.com", roles=("administrator",)))
    check_report(reporter=None, kind="comment", object_id=comment.pk, reason="hate", ip="1.1.1.1")
    page = client.get(reverse("moderation:queue"))
    assert page.status_code == 200
    assert "There is nothing waiting to be checked" in page.content.decode()
    assert client.get(_decide("comment", comment.pk)).status_code == 403
    response = client.post(_decide("comment", comment.pk), {"decision": "hide", "reason": "x"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_visitors_cannot_moderate(client, comment):
    assert client.get(reverse("moderation:queue")).status_code == 403
    assert (
        client.post(_decide("comment", comment.pk), {"decision": "hide", "reason": "x"}).status_code
        == 403
    )


@pytest.mark.parametrize("kind", ["poll", "comment"])
def test_deciding_about_an_unknown_item_is_not_found(client, signed_in, moderator, kind):
    signed_in(moderator)
    assert client.get(_decide(kind, 999)).status_code == 404


def test_hiding_leaves_the_reason_tells_the_author_and_upholds_the_reports(
    client, signed_in, moderator, citizen, comment, django_capture_on_commit_callbacks
):
    check_report(reporter=citizen, kind="comment", object_id=comment.pk, reason="not_respectful")
    check_report(reporter=None, kind="comment", object_id=comment.pk, reason="hate", ip="1.1.1.1")
    signed_in(moderator)
    page = client.get(_decide("comment", comment.pk)).content.decode()
    assert "You are all idiots for disagreeing." in page
    assert page.count("<h1") == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _decide("comment", comment.pk),
            {
                "decision": "hide",
                "reason": "It calls people names, which breaks the rule on respect.",
            },
        )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden_at is not None
    assert comment.hidden_reason == "It calls people names, which breaks the rule on respect."
    assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.UPHELD}
    assert set(Report.objects.values_list("handled_by", flat=True)) == {moderator.pk}
    # The author is told why, and how to appeal.
    notice = comment.author.notifications.get()
    assert "breaks the rule on respect" in notice.body
    assert reverse("moderation:appeal", args=["comment", comment.pk]) in notice.body
    assert notice.link.endswith(f"#comment-{comment.pk}")
    assert "author@example.com" in {m.to[0] for m in mail.outbox}
    # The person who reported it is told too.
    assert citizen.notifications.get().subject == "We hid the comment you reported"
    entry = AuditEntry.objects.get(action="moderation.hidden")
    assert entry.is_public
    assert entry.actor == moderator
    assert entry.reason == "It calls people names, which breaks the rule on respect."
    assert entry.summary == f"Hid a comment on flag {comment.flag_id}"
    assert entry.data["reports_upheld"] == 2


def test_hiding_needs_a_reason_and_changes_nothing_without_one(
    client, signed_in, moderator, comment
):
    signed_in(moderator)
    response = client.post(_decide("comment", comment.pk), {"decision": "hide", "reason": " "})
    content = response.content.decode()
    assert "Enter the reason for your decision" in content
    assert "<title>Error: " in content
    comment.refresh_from_db()
    assert comment.hidden_at is None
    with pytest.raises(ValidationError) as error:
        check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="x" * 301)
    assert error.value.message_dict == {"reason": ["The reason must be 300 characters or fewer"]}
    assert not AuditEntry.objects.filter(action="moderation.hidden").exists()


def test_a_decision_that_is_not_in_the_list_gets_a_clear_error(
    client, signed_in, moderator, comment
):
    signed_in(moderator)
    response = client.post(_decide("comment", comment.pk), {"decision": "delete", "reason": "x"})
    assert "Select one of the options" in response.content.decode()
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_something_cannot_be_hidden_twice(moderator, flag):
    check_hide(moderator=moderator, kind="flag", object_id=flag.pk, reason="Advert")
    with pytest.raises(ValidationError, match="already been hidden"):
        check_hide(moderator=moderator, kind="flag", object_id=flag.pk, reason="Again")
    assert AuditEntry.objects.filter(action="moderation.hidden").count() == 1


def test_hiding_takes_it_out_of_pages_cached_for_visitors(
    moderator, flag, settings, django_capture_on_commit_callbacks
):
    from django.test import Client

    settings.PAGE_CACHE_SECONDS = 30
    visitor = Client()
    assert flag.title in visitor.get(flag.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        check_hide(moderator=moderator, kind="flag", object_id=flag.pk, reason="Advert")
    page = visitor.get(flag.get_absolute_url()).content.decode()
    assert flag.title not in page and "Advert" in page


@pytest.mark.parametrize("kind", ["flag", "comment", "evidence"])
def test_every_kind_can_be_hidden_and_restored(moderator, content, kind):
    item = content[kind]
    check_hide(moderator=moderator, kind=kind, object_id=item.pk, reason="Breaks a rule")
    item.refresh_from_db()
    assert item.hidden_reason == "Breaks a rule"
    check_restore(moderator=moderator, kind=kind, object_id=item.pk, reason="It did not")
    item.refresh_from_db()
    assert (item.hidden_at, item.hidden_reason) == (None, "")


def test_a_moderator_can_restore_and_the_author_is_told(
    client, signed_in, moderator, comment, django_capture_on_commit_callbacks
):
    check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="Rude")
    signed_in(moderator)
    page = client.get(_decide("comment", comment.pk)).content.decode()
    assert "Put it back" in page
    assert "Hide it" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _decide("comment", comment.pk),
            {"decision": "restore", "reason": "On a second look it is fair criticism."},
        )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden_at is None
    assert comment.hidden_reason == ""
    notice = comment.author.notifications.order_by("-pk").first()
    assert notice.subject == "A moderator put your comment back"
    assert "fair criticism" in notice.body
    entry = AuditEntry.objects.get(action="moderation.restored")
    assert entry.is_public
    assert entry.reason == "On a second look it is fair criticism."


def test_restoring_something_not_hidden_is_refused(moderator, comment):
    with pytest.raises(ValidationError, match="not hidden"):
        check_restore(moderator=moderator, kind="comment", object_id=comment.pk, reason="x")
    with pytest.raises(ValidationError) as error:
        check_restore(moderator=moderator, kind="comment", object_id=comment.pk, reason="")
    assert "reason" in error.value.message_dict
    assert not AuditEntry.objects.filter(action="moderation.restored").exists()


def test_a_moderator_can_leave_it_in_place_and_close_the_reports(
    client, signed_in, moderator, citizen, comment, django_capture_on_commit_callbacks
):
    check_report(reporter=citizen, kind="comment", object_id=comment.pk, reason="off_topic")
    check_report(reporter=None, kind="comment", object_id=comment.pk, reason="hate", ip="1.1.1.1")
    signed_in(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _decide("comment", comment.pk),
            {"decision": "dismiss", "reason": "It is about the flag, so it is on topic."},
        )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden_at is None
    assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.DISMISSED}
    entry = AuditEntry.objects.get(action="moderation.dismissed")
    assert entry.is_public
    assert (
        entry.summary
        == f"Left a comment on flag {comment.flag_id} in place after checking 2 reports"
    )
    assert "Chris" not in entry.summary + entry.reason + str(entry.data)
    # Who reported it is not recorded in public, only how many reports there were.
    assert set(entry.data) == {"kind", "object_id", "flag_id", "url", "reports_dismissed"}
    assert citizen.notifications.get().subject == "We checked the comment you reported"
    assert not comment.author.notifications.exists()
    # The queue is empty again.
    assert "There is nothing waiting" in client.get(reverse("moderation:queue")).content.decode()


def test_one_report_can_be_dismissed(moderator, comment):
    report = check_report(
        reporter=None, kind="comment", object_id=comment.pk, reason="hate", ip="1.1.1.1"
    )
    with pytest.raises(ValidationError) as error:
        check_dismiss(moderator=moderator, report=report, reason="")
    assert "reason" in error.value.message_dict
    report = check_dismiss(moderator=moderator, report=report, reason="Not hateful")
    assert report.status == ReportStatus.DISMISSED
    assert report.decision_reason == "Not hateful"
    with pytest.raises(ValidationError, match="already been dealt with"):
        check_dismiss(moderator=moderator, report=report, reason="Not hateful")
    assert AuditEntry.objects.filter(action="moderation.dismissed", is_public=True).count() == 1


def test_there_must_be_reports_to_dismiss(moderator, comment):
    with pytest.raises(ValidationError, match="no reports"):
        check_dismiss_reports(moderator=moderator, kind="comment", object_id=comment.pk, reason="x")


def test_leave_it_in_place_is_offered_only_when_there_are_reports(
    client, signed_in, moderator, comment
):
    signed_in(moderator)
    assert "Leave it in place" not in client.get(_decide("comment", comment.pk)).content.decode()
    check_report(reporter=None, kind="comment", object_id=comment.pk, reason="hate", ip="1.1.1.1")
    assert "Leave it in place" in client.get(_decide("comment", comment.pk)).content.decode()
