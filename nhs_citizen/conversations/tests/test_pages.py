"""Opening conversations from a flag, an agenda item and a call for views, and the links to
them (the flag page, the agenda item's information pack, the call page)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.accounts.models import Role
from nhs_citizen.conftest import make_user
from nhs_citizen.conversations.models import Conversation
from nhs_citizen.conversations.tests.factories import SEEDS, curator, open_conversation, person
from nhs_citizen.core.models import Organisation
from nhs_citizen.gather.tests.factories import next_email, raise_flag, responder_for
from nhs_citizen.tracker.tests.factories import make_agenda_item, make_cycle, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queue_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _form(**extra):
    day = timezone.localdate() + datetime.timedelta(days=14)
    return {
        "question": "What would make the hospital easier to reach?",
        "about": "",
        "seeds": "\n".join(SEEDS[:4]),
        "closes_on": f"{day.day} {day.month} {day.year}",
        **extra,
    }


def test_a_curator_opens_one_on_a_flag_and_the_flag_links_to_it(client, signed_in):
    flag = raise_flag()
    url = reverse("conversations:open_on_flag", args=[flag.pk])
    signed_in(person())
    assert client.get(url).status_code == 404
    assert client.post(url, _form()).status_code == 404
    signed_in(curator())
    assert "Open a conversation" in client.get(flag.get_absolute_url()).content.decode()
    bad = client.post(url, _form(closes_on="31 2 2020", seeds="Only one"))
    assert bad.status_code == 200 and Conversation.objects.count() == 0
    response = client.post(url, _form())
    conversation = Conversation.objects.get()
    assert response["Location"] == conversation.get_absolute_url()
    assert conversation.flag == flag and conversation.statements.count() == 4
    client.logout()
    page = client.get(flag.get_absolute_url()).content.decode()
    assert conversation.get_absolute_url() in page
    assert reverse("conversations:report", args=[conversation.slug]) in page


def test_the_secretariat_opens_one_on_an_agenda_item_before_the_meeting(client, signed_in):
    cycle = make_cycle()
    meeting = make_meeting(cycle, starts_at=timezone.now() + datetime.timedelta(days=10))
    item = make_agenda_item(meeting=meeting)
    url = reverse("conversations:open_on_agenda_item", args=[cycle.slug, item.pk])
    signed_in(curator())
    assert client.get(url).status_code == 404
    signed_in(make_user(next_email("sec"), roles=(Role.SECRETARIAT,)))
    item_url = reverse("meetings:item_detail", args=[cycle.slug, item.pk])
    assert url in client.get(item_url).content.decode()
    assert client.post(url, _form()).status_code == 302
    conversation = Conversation.objects.get(agenda_item=item)
    client.logout()
    pack = client.get(item_url).content.decode()
    # In the information pack, before the documents.
    assert pack.index(conversation.get_absolute_url()) < pack.index('id="documents"')
    assert pack.index('id="pack"') < pack.index(conversation.get_absolute_url())


def test_not_after_the_meeting_has_started(client, signed_in):
    item = make_agenda_item()  # its meeting was a month ago
    signed_in(make_user(next_email("sec"), roles=(Role.SECRETARIAT,)))
    url = reverse("conversations:open_on_agenda_item", args=[item.meeting.cycle.slug, item.pk])
    assert client.get(url).status_code == 404


def test_a_bodys_responder_opens_one_on_its_call_for_views(client, signed_in):
    from nhs_citizen.gather.models import CallForViews, Scope

    organisation = (
        Organisation.objects.filter(type__in=["icb", "trust"]).first()
        or Organisation.objects.first()
    )
    responder = responder_for(organisation)
    call = CallForViews.objects.create(
        organisation=organisation,
        opened_by=responder,
        title="Changes to outpatient letters",
        background="We want to hear from you.",
        closes_on=timezone.localdate() + datetime.timedelta(days=20),
        scope=Scope.NATIONAL,
    )
    url = reverse("conversations:open_on_call", args=[call.pk])
    signed_in(responder_for(Organisation.objects.exclude(pk=organisation.pk).first()))
    assert client.get(url).status_code == 404
    signed_in(responder)
    assert client.post(url, _form()).status_code == 302
    conversation = Conversation.objects.get(call=call)
    client.logout()
    assert (
        conversation.get_absolute_url()
        in client.get(reverse("gather:call_detail", args=[call.pk])).content.decode()
    )


@pytest.mark.parametrize("who", ["visitor", "citizen", "curator"])
def test_every_conversation_page_opens_for_everyone(client, signed_in, who):
    conversation = open_conversation()
    if who == "citizen":
        signed_in(person())
    elif who == "curator":
        signed_in(curator())
    for name, args in [
        ("conversations:list", []),
        ("conversations:detail", [conversation.slug]),
        ("conversations:report", [conversation.slug]),
        ("conversations:statement", [conversation.slug, 1]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    hide = client.get(reverse("conversations:hide_statement", args=[conversation.slug, 1]))
    assert hide.status_code == (200 if who == "curator" else 404)
    assert client.get(reverse("conversations:detail", args=["no-such-thing"])).status_code == 404
