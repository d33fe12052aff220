import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.moderation.models import Appeal, AppealStatus
from nhs_citizen.moderation.services import (
    check_appeal,
    check_hide,
    check_refuse_appeal,
    check_restore,
)

pytestmark = pytest.mark.django_db


def _appeal_url(kind, pk):
    return reverse("moderation:appeal", args=[kind, pk])


def test_the_author_can_appeal_once(client, signed_in, moderator, author, comment):
    check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="Rude")
    signed_in(author)
    page = client.get(_appeal_url("comment", comment.pk)).content.decode()
    assert "A moderator hid your comment because: Rude" in page
    assert page.count("<h1") == 1
    response = client.post(_appeal_url("comment", comment.pk), {"reason": "I was not rude."})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.appellant, appeal.status) == (author, AppealStatus.OPEN)
    assert not AuditEntry.objects.get(action="moderation.appealed").is_public
    page = client.get(_appeal_url("comment", comment.pk)).content.decode()
    assert "You have already appealed" in page
    with pytest.raises(ValidationError, match="already appealed"):
        check_appeal(appellant=author, kind="comment", object_id=comment.pk, reason="Again")
    assert Appeal.objects.count() == 1


def test_an_appeal_needs_a_reason(client, signed_in, moderator, author, comment):
    check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="Rude")
    signed_in(author)
    response = client.post(_appeal_url("comment", comment.pk), {"reason": ""})
    content = response.content.decode()
    assert "Enter why you think it should be put back" in content
    assert "<title>Error: " in content
    assert not Appeal.objects.exists()


def test_only_the_author_can_appeal(client, signed_in, moderator, citizen, comment):
    check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="Rude")
    signed_in(citizen)
    assert client.get(_appeal_url("comment", comment.pk)).status_code == 403
    assert client.post(_appeal_url("comment", comment.pk), {"reason": "x"}).status_code == 403
    with pytest.raises(ValidationError):
        check_appeal(appellant=citizen, kind="comment", object_id=comment.pk, reason="x")
    assert not Appeal.objects.exists()


def test_visitors_are_asked_to_sign_in_to_appeal(client, comment):
    response = client.get(_appeal_url("comment", comment.pk))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_there_is_nothing_to_appeal_if_it_is_not_hidden(client, signed_in, author, comment):
    signed_in(author)
    page = client.get(_appeal_url("comment", comment.pk)).content.decode()
    assert "is not hidden" in page
    client.post(_appeal_url("comment", comment.pk), {"reason": "x"})
    assert not Appeal.objects.exists()


def test_a_different_moderator_decides_to_keep_it_hidden(
    client,
    signed_in,
    moderator,
    second_moderator,
    author,
    comment,
    django_capture_on_commit_callbacks,
):
    check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="Rude")
    appeal = check_appeal(appellant=author, kind="comment", object_id=comment.pk, reason="Not rude")
    decide = reverse("moderation:decide", args=["comment", comment.pk])
    # The moderator who hid it decides neither way: the page offers nothing, the service refuses.
    signed_in(moderator)
    page = client.get(decide).content.decode()
    assert "so someone else must decide the appeal" in page
    assert "Keep it hidden" not in page and "Put it back" not in page
    with pytest.raises(ValidationError, match="someone else must decide"):
        check_refuse_appeal(moderator=moderator, appeal=appeal, reason="Still rude")
    with pytest.raises(ValidationError, match="someone else must decide"):
        check_restore(moderator=moderator, kind="comment", object_id=comment.pk, reason="Oops")
    response = client.post(decide, {"decision": "keep_hidden", "reason": "Still rude"})
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OPEN
    signed_in(second_moderator)
    page = client.get(decide).content.decode()
    assert "Not rude" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide, {"decision": "keep_hidden", "reason": "It insults people"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REFUSED
    comment.refresh_from_db()
    assert comment.hidden_at is not None
    assert "It insults people" in author.notifications.order_by("-pk").first().body
    entry = AuditEntry.objects.get(action="moderation.appeal_refused")
    assert entry.is_public
    assert "Ann" not in entry.summary


def test_restoring_upholds_the_appeal(moderator, second_moderator, author, comment):
    check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="Rude")
    appeal = check_appeal(appellant=author, kind="comment", object_id=comment.pk, reason="Not rude")
    check_restore(
        moderator=second_moderator, kind="comment", object_id=comment.pk, reason="Fair point"
    )
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD
    assert AuditEntry.objects.get(action="moderation.restored").data["after_appeal"] is True


def test_the_author_can_appeal_again_if_it_is_hidden_again(
    moderator, second_moderator, author, comment
):
    check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="Rude")
    check_appeal(appellant=author, kind="comment", object_id=comment.pk, reason="Not rude")
    check_restore(
        moderator=second_moderator, kind="comment", object_id=comment.pk, reason="Fair point"
    )
    check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="Rude after all")
    check_appeal(appellant=author, kind="comment", object_id=comment.pk, reason="Please look again")
    assert Appeal.objects.count() == 2


def test_the_queue_shows_waiting_appeals(client, signed_in, moderator, author, comment):
    check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="Rude")
    check_appeal(appellant=author, kind="comment", object_id=comment.pk, reason="Not rude")
    signed_in(make_user("m3@example.com", roles=("moderator",)))
    content = client.get(reverse("moderation:queue")).content.decode()
    assert "The author has appealed against hiding it" in content
