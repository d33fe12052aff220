"""One item of each kind that other apps register, made through their own services where that
is quick, for tests that apply to every kind."""

from __future__ import annotations

from django.utils import timezone

from nhs_citizen.conftest import make_user


def make_story(author, curator=None):
    from nhs_citizen.culture.services import stories

    curator = curator or make_user("story-curator@example.com", roles=("curator",))
    story = stories.check_tell_story(
        author=author,
        title="The ward started listening",
        body="Before, nobody asked us. Now there is a meeting every month.",
        teller="patient",
        organisation=None,
    )
    return stories.check_publish_story(curator=curator, story=story)


def make_remote_post(author, body="The car park costs too much."):
    from nhs_citizen.meetings.services import meetings as meeting_services
    from nhs_citizen.meetings.services import workshops
    from nhs_citizen.meetings.tests.factories import meeting_with_agenda

    meeting, items, secretariat = meeting_with_agenda(("One",))
    meeting_services.do_set_remote_posting(secretariat=secretariat, meeting=meeting, open=True)
    return workshops.check_post_remotely(user=author, item=items[0], body=body)


def make_statement(sent_by=None, **extra):
    from nhs_citizen.discover.models import Item, Source, SourceKind

    source, _ = Source.objects.get_or_create(name="Tell us", defaults={"kind": SourceKind.TELL_US})
    number = Item.objects.count() + 1
    return Item.objects.create(
        source=source,
        original_id=f"moderation-test-{number}",
        said_at=timezone.now(),
        raw_text="The waiting room was far too cold",
        text="The waiting room was far too cold",
        processed_at=timezone.now(),
        sent_by=sent_by,
        **extra,
    )
