import pytest
from django.urls import reverse

from nhs_citizen.moderation.services import (
    check_appeal,
    check_dismiss_reports,
    check_hide,
    check_report,
    check_restore,
)

pytestmark = pytest.mark.django_db


def test_the_log_is_public_and_says_what_when_and_why_without_names(
    client, moderator, citizen, flag, comment, evidence
):
    check_report(reporter=citizen, kind="comment", object_id=comment.pk, reason="not_respectful")
    check_hide(
        moderator=moderator, kind="comment", object_id=comment.pk, reason="It calls people names"
    )
    check_report(reporter=citizen, kind="flag", object_id=flag.pk, reason="off_topic")
    check_dismiss_reports(
        moderator=moderator, kind="flag", object_id=flag.pk, reason="It is about the NHS"
    )
    check_hide(moderator=moderator, kind="evidence", object_id=evidence.pk, reason="An advert")
    check_restore(
        moderator=moderator, kind="evidence", object_id=evidence.pk, reason="Hidden by mistake"
    )
    response = client.get(reverse("moderation:moderation_log"))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert f"Hid a comment on flag {flag.pk}" in content
    assert "It calls people names" in content
    assert f"Left flag {flag.pk} in place after checking 1 report" in content
    assert "It is about the NHS" in content
    assert f"Put back a piece of evidence on flag {flag.pk}" in content
    assert "Hidden by mistake" in content
    # Links go to the item on its flag's page.
    assert f'href="{flag.get_absolute_url()}#comment-{comment.pk}"' in content
    assert f'href="{flag.get_absolute_url()}#evidence-{evidence.pk}"' in content
    # No names: not the author, not the reporter, not the moderator. Nor what was written.
    for name in ("Ann Author", "Chris Citizen", "Mo Moderator", "idiots", "cheap pills"):
        assert name not in content
    # Reports themselves are private: only the decisions are listed.
    assert [row.outcome for row in response.context["rows"]] == [
        "Put back",
        "Hidden",
        "Left in place",
        "Hidden",
    ]


def test_appeals_stay_out_of_the_public_log(client, moderator, author, comment):
    check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="Rude")
    check_appeal(appellant=author, kind="comment", object_id=comment.pk, reason="It was a joke")
    content = client.get(reverse("moderation:moderation_log")).content.decode()
    assert "It was a joke" not in content
    assert "Appealed" not in content


def test_the_log_is_split_into_pages(client, moderator, flag, author):
    from nhs_citizen.gather.services.flags import check_add_comment

    for n in range(26):
        comment = check_add_comment(user=author, flag=flag, body=f"Comment {n}")
        check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason=f"Reason {n}")
    first = client.get(reverse("moderation:moderation_log"))
    assert len(first.context["rows"]) == 25
    assert first.context["pagination"] is not None
    second = client.get(reverse("moderation:moderation_log"), {"page": "2"})
    assert len(second.context["rows"]) == 1
    assert "Reason 0" in second.content.decode()


def test_an_empty_log_says_so(client):
    assert (
        "There are no moderation decisions yet"
        in client.get(reverse("moderation:moderation_log")).content.decode()
    )
