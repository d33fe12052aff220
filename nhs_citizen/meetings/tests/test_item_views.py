"""An agenda item's page: the information pack, workshop notes, the thread; and the pages to
edit it, add documents, record notes, post and hide posts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.gather.models import Evidence, Roundup
from nhs_citizen.meetings.models import PackDocument, RemotePost, WorkshopNote
from nhs_citizen.meetings.services import meetings as meeting_services
from nhs_citizen.meetings.services import workshops
from nhs_citizen.meetings.tests.factories import (
    citizen_user,
    make_flag,
    meeting_with_agenda,
    moderator_user,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _open(meeting, secretariat):
    meeting_services.do_set_remote_posting(secretariat=secretariat, meeting=meeting, open=True)


def test_the_item_page_is_the_information_pack_with_the_flag_roundup_evidence_and_topic(client):
    meeting, items, secretariat = meeting_with_agenda(("Shorter waits for GP appointments",))
    item = items[0]
    flag = item.entry.flag
    Roundup.objects.create(
        flag=flag,
        change_needed="Same-week appointments",
        action="Fund more GPs",
        who_should_act="NHS England",
        written_by=secretariat,
    )
    Evidence.objects.create(flag=flag, added_by=secretariat, title="Survey", url="https://e.org")
    Evidence.objects.create(
        flag=flag,
        added_by=secretariat,
        title="Hidden evidence",
        url="https://e.org/h",
        hidden_at=timezone.now(),
    )
    make_flag("Online booking for GP surgeries", status="open", support_count=40)
    make_flag("A hidden GP flag", status="open", hidden_at=timezone.now())
    make_flag("A dentist flag", topic="dentistry", status="open")
    meeting_services.check_edit_agenda_item(
        secretariat=secretariat, item=item, title=item.title, briefing="What members need."
    )
    meeting_services.check_add_pack_document(
        secretariat=secretariat, item=item, title="GP survey 2026", url="https://example.org/gp"
    )
    content = client.get(item.get_absolute_url()).content.decode()
    assert "What members need." in content
    assert "Reasons for Shorter waits for GP appointments" in content  # the jury's reasons
    assert "Same-week appointments" in content
    assert "Survey" in content and "Hidden evidence" not in content
    assert "GP survey 2026" in content
    assert "Nothing in Discover, where we bring together what people say" in content
    assert "Online booking for GP surgeries" in content
    assert "A hidden GP flag" not in content and "A dentist flag" not in content
    assert "Nobody has posted yet." in content
    assert "Posting is closed." in content


def test_an_item_of_another_cycle_is_not_found(client):
    meeting, items, secretariat = meeting_with_agenda(("One",))
    url = reverse("meetings:item_detail", args=["another-cycle", items[0].pk])
    assert client.get(url).status_code == 404


def test_the_board_response_is_linked_once_there_is_one(client):
    from nhs_citizen.tracker.models import BoardResponse

    meeting, items, secretariat = meeting_with_agenda(("One",))
    item = items[0]
    assert "Read the Board" not in client.get(item.get_absolute_url()).content.decode()
    response = BoardResponse.objects.create(
        agenda_item=item,
        outcome=_an_outcome(),
        summary="We will act",
        reasons="Because",
        recorded_by=secretariat,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
        on_time=True,
    )
    content = client.get(item.get_absolute_url()).content.decode()
    from django.urls import NoReverseMatch

    try:
        expected = response.get_absolute_url()
    except NoReverseMatch:  # the tracker's page is being built beside this app
        assert "Read the Board" not in content
    else:
        assert f'href="{expected}"' in content


def _an_outcome():
    from nhs_citizen.tracker.models import BoardOutcome

    return BoardOutcome.values[0]


def test_the_secretariat_edits_an_item_and_adds_a_file_to_its_pack(
    client, signed_in, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    meeting, items, secretariat = meeting_with_agenda(("One",))
    item = items[0]
    signed_in(secretariat)
    response = client.post(
        reverse("meetings:edit_item", args=[meeting.cycle.slug, item.pk]),
        {"title": "", "briefing": ""},
    )
    assert "Enter the item" in response.content.decode()
    response = client.post(
        reverse("meetings:edit_item", args=[meeting.cycle.slug, item.pk]),
        {"title": "GP waits", "briefing": "Read this first."},
    )
    assert response["Location"] == reverse(
        "meetings:item_detail", args=[meeting.cycle.slug, item.pk]
    )
    url = reverse("meetings:add_document", args=[meeting.cycle.slug, item.pk])
    response = client.post(
        url, {"title": "Notes", "file": SimpleUploadedFile("notes.html", b"<html>hi</html>")}
    )
    assert "must be a PDF, PNG, JPG, GIF or WEBP" in response.content.decode()
    response = client.post(
        url, {"title": "Briefing", "file": SimpleUploadedFile("briefing.pdf", PDF)}
    )
    document = PackDocument.objects.get()
    assert response["Location"].endswith(f"#document-{document.pk}")
    file_url = reverse("meetings:document_file", args=[meeting.cycle.slug, document.pk])
    assert file_url in client.get(item.get_absolute_url()).content.decode()
    client.logout()
    served = client.get(file_url)
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == PDF
    signed_in(secretariat)
    client.post(reverse("meetings:remove_document", args=[meeting.cycle.slug, document.pk]))
    assert not PackDocument.objects.exists()
    assert client.get(file_url).status_code == 404


def test_a_facilitator_records_notes_shown_under_their_question(client, signed_in):
    meeting, items, secretariat = meeting_with_agenda(("One",))
    item = items[0]
    signed_in(secretariat)
    url = reverse("meetings:record_note", args=[meeting.cycle.slug, item.pk])
    response = client.post(url, {"table": "", "text": ""})
    content = response.content.decode()
    assert "Select which question the note answers" in content
    assert "Enter the table or group" in content
    response = client.post(
        url, {"question": "must_happen", "table": "Table 7", "text": "Fund it this year."}
    )
    note = WorkshopNote.objects.get()
    assert response["Location"].endswith(f"#note-{note.pk}")
    content = client.get(item.get_absolute_url()).content.decode()
    must_happen = content.index('id="question-must_happen"')
    assert content.index("Fund it this year.") > must_happen
    assert content.index("Fund it this year.") > content.index('id="question-better"')


@pytest.mark.parametrize(
    "name", ["meetings:record_note", "meetings:edit_item", "meetings:add_document"]
)
def test_staff_item_pages_are_for_the_secretariat_only(client, signed_in, name):
    meeting, items, secretariat = meeting_with_agenda(("One",))
    url = reverse(name, args=[meeting.cycle.slug, items[0].pk])
    signed_in(moderator_user())
    assert client.get(url).status_code == 403
    signed_in(secretariat)
    assert client.get(url).status_code == 200


def test_a_remote_participant_posts_to_the_thread_while_it_is_open(client, signed_in):
    meeting, items, secretariat = meeting_with_agenda(("One",))
    item = items[0]
    url = reverse("meetings:post_to_thread", args=[meeting.cycle.slug, item.pk])
    assert client.post(url, {"body": "Hi"})["Location"].startswith(reverse("account_login"))
    citizen = citizen_user("Pat Participant")
    signed_in(citizen)
    response = client.post(url, {"body": "Hello from home"})
    assert response.status_code == 403
    assert "Posting to this thread is closed" in response.content.decode()
    assert not RemotePost.objects.exists()
    _open(meeting, secretariat)
    content = client.get(item.get_absolute_url()).content.decode()
    assert "Your post" in content
    response = client.post(url, {"question": "general", "body": ""})
    assert "Enter what you want to say" in response.content.decode()
    response = client.post(url, {"question": "now", "body": "Waits are long <b>here</b>"})
    post = RemotePost.objects.get()
    assert response["Location"].endswith(f"#post-{post.pk}")
    assert post.question == "now"
    content = client.get(item.get_absolute_url()).content.decode()
    assert "Pat Participant" in content
    assert "Waits are long &lt;b&gt;here&lt;/b&gt;" in content
    assert "The situation now" in content


def test_a_moderator_hides_a_post_and_everyone_sees_the_reason_in_its_place(client, signed_in):
    meeting, items, secretariat = meeting_with_agenda(("One",))
    item = items[0]
    _open(meeting, secretariat)
    post = workshops.check_post_remotely(user=citizen_user(), item=item, body="Rude words")
    hide_url = reverse("meetings:hide_post", args=[meeting.cycle.slug, post.pk])
    decide = reverse("moderation:decide", args=["remote_post", post.pk])
    signed_in(citizen_user())
    assert client.get(hide_url).status_code == 403
    assert client.get(decide).status_code == 403
    # Other people can report it.
    assert (
        reverse("moderation:report", args=["remote_post", post.pk])
        in client.get(item.get_absolute_url()).content.decode()
    )
    moderator = moderator_user()
    signed_in(moderator)
    assert decide in client.get(item.get_absolute_url()).content.decode()
    assert client.get(hide_url)["Location"] == decide
    response = client.post(decide, {"decision": "hide", "reason": ""})
    assert "Enter the reason for your decision" in response.content.decode()
    response = client.post(decide, {"decision": "hide", "reason": "It is rude"})
    assert response.status_code == 302
    content = client.get(item.get_absolute_url()).content.decode()
    assert "Rude words" in content and "Hidden from the public" in content  # moderators see it
    client.logout()
    content = client.get(item.get_absolute_url()).content.decode()
    assert "Rude words" not in content
    assert "This post was hidden by a moderator because: It is rude" in content
    log = client.get(reverse("moderation:moderation_log")).content.decode()
    assert "Hid a post on the Assembly Meeting item" in log


def test_every_item_page_template_renders_for_the_secretariat(client, signed_in):
    meeting, items, secretariat = meeting_with_agenda(("One",))
    _open(meeting, secretariat)
    post = workshops.check_post_remotely(user=citizen_user(), item=items[0], body="Hi")
    signed_in(secretariat)
    slug, pk = meeting.cycle.slug, items[0].pk
    for url in [
        reverse("meetings:item_detail", args=[slug, pk]),
        reverse("meetings:edit_item", args=[slug, pk]),
        reverse("meetings:add_document", args=[slug, pk]),
        reverse("meetings:record_note", args=[slug, pk]),
        reverse("meetings:post_to_thread", args=[slug, pk]),
    ]:
        assert client.get(url).status_code == 200, url
    signed_in(moderator_user())
    response = client.get(reverse("meetings:hide_post", args=[slug, post.pk]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "moderation:decide", args=["remote_post", post.pk]
    )
