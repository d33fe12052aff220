"""Discover's pages: public pages show only redacted text; telling us, uploading notes, and the
curator tools, each with clear errors that change nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Membership, Organisation
from nhs_citizen.core.models import Topic as GatherTopic
from nhs_citizen.discover.models import FlaggedItem, Item, Source, SourceKind, Topic
from nhs_citizen.discover.services import pipeline
from nhs_citizen.discover.tests.helpers import THEMES, all_theme_texts, ingest_texts, make_source
from nhs_citizen.gather.models import Evidence, Flag

pytestmark = pytest.mark.django_db

PERSONAL = [
    ("My number is 07700 900456, call me", "07700 900456"),
    ("Email me at sam.patel@example.org about the parking", "sam.patel@example.org"),
    ("NHS number 401 023 2137 was lost by the ward", "401 023 2137"),
    ("I live at 44 Station Road, Otley LS21 3HX and the bus is awful", "44 Station Road"),
    ("Nurse Bernadette Okonkwo was kind to my dad", "Okonkwo"),
]


@pytest.fixture(autouse=True)
def _fresh_pipeline():
    pipeline.reset_caches()
    yield
    pipeline.reset_caches()


@pytest.fixture
def curator(db):
    return make_user("curator@example.com", display_name="Cora Curator", roles=("curator",))


@pytest.fixture
def processed(db):
    source = make_source("Healthwatch Leeds news", kind=SourceKind.RSS)
    ingest_texts(source, all_theme_texts() + [text for text, _ in PERSONAL], place="LS6")
    pipeline.do_process_waiting()
    return source


def _body(response) -> str:
    """A page's or a streamed file's text (a CSV starts with a byte order mark)."""
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def _public_pages(client, source):
    item = Item.objects.public().first()
    topic = Topic.objects.public().first()
    return [
        client.get(reverse("discover:dashboard")),
        client.get(reverse("discover:item_list")),
        client.get(reverse("discover:item_list"), {"q": "number"}),
        client.get(reverse("discover:item_detail", args=[item.pk])),
        client.get(reverse("discover:topic_detail", args=[topic.pk])),
        client.get(reverse("discover:source_detail", args=[source.pk])),
        client.get(reverse("discover:network")),
        client.get(reverse("discover:items_csv")),
        client.get(reverse("discover:topics_json")),
        client.get(reverse("discover:items_jsonl")),
    ]


def test_no_personal_data_on_any_public_page_or_export(client, processed):
    for response in _public_pages(client, processed):
        assert response.status_code == 200
        body = _body(response)
        for _, secret in PERSONAL:
            assert secret not in body, (response.request["PATH_INFO"], secret)
    for item in Item.objects.public():
        response = client.get(reverse("discover:item_detail", args=[item.pk]))
        for _, secret in PERSONAL:
            assert secret not in response.content.decode()


def test_the_dashboard_shows_topics_with_figures_in_a_table_and_a_chart(client, processed):
    response = client.get(reverse("discover:dashboard"))
    body = response.content.decode()
    assert "Topics by size, trend, feeling and place" in body
    assert "<svg" in body and "The same figures are in the table below" in body
    for topic in Topic.objects.public():
        assert topic.name in body
    assert "North East and Yorkshire" in body  # place from the postcode area


def test_the_dashboard_filters_by_region_and_explains_bad_filters(client, processed):
    response = client.get(reverse("discover:dashboard"), {"region": "Y56"})  # London: nothing
    assert "Nobody has said anything here yet" in response.content.decode()
    response = client.get(reverse("discover:dashboard"), {"period": "forever"})
    assert response.status_code == 200
    assert "Error:" in response.content.decode()


def test_the_item_browser_filters_by_topic_feeling_and_words(client, processed):
    topic = Item.objects.get(raw_text=THEMES["kindness"][0]).topic
    response = client.get(
        reverse("discover:item_list"), {"topic": topic.pk, "sentiment": "positive"}
    )
    body = response.content.decode()
    assert THEMES["kindness"][0] in body
    assert THEMES["waiting"][0] not in body
    response = client.get(reverse("discover:item_list"), {"q": "car park"})
    assert "The car park is always full" in response.content.decode()


def test_the_open_data_lists_topics_and_statements(client, processed):
    data = json.loads(_body(client.get(reverse("discover:topics_json"))))
    assert data["topics"] and {"id", "name", "times_said", "rising"} <= set(data["topics"][0])
    csv_text = _body(client.get(reverse("discover:items_csv")))
    assert csv_text.splitlines()[0].startswith("id,said_on,text")
    assert len(csv_text.splitlines()) == Item.objects.public().count() + 1


def test_the_statements_also_come_as_json_lines_with_the_csvs_columns(client, processed):
    response = client.get(reverse("discover:items_jsonl"))
    assert response.streaming
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in _body(response).splitlines()]
    assert [line["id"] for line in lines] == sorted(
        Item.objects.public().values_list("pk", flat=True)
    )
    csv_header = _body(client.get(reverse("discover:items_csv"))).splitlines()[0].split(",")
    assert list(lines[0]) == csv_header


def test_the_network_page_shows_organisations_and_shared_topics(client, processed):
    org = Organisation.objects.get(code="QWO")
    other = make_source("Leeds carers forum", kind=SourceKind.UPLOAD, organisation=org)
    ingest_texts(
        other,
        [
            "Carers who visit every day pay a fortune for the hospital car park, so parking should be free"
        ],
    )
    pipeline.do_process_waiting()
    body = client.get(reverse("discover:network")).content.decode()
    assert org.name in body
    assert "Healthwatch Leeds news" in body
    assert "Organisations and groups that share topics" in body


# Tell us -------------------------------------------------------------------------------------------
def test_anyone_can_tell_us_and_it_is_processed_before_it_is_public(client):
    response = client.post(
        reverse("discover:tell_us"),
        {
            "text": "The GP surgery never answers the phone in the morning",
            "place_text": "LS6",
            "agree": "on",
        },
    )
    assert response.status_code == 302
    item = Item.objects.get()
    assert item.source.kind == SourceKind.TELL_US
    assert item.sent_by is None
    assert item.processed_at is None
    pipeline.do_process_waiting()
    item.refresh_from_db()
    assert item.text and item.region.name == "North East and Yorkshire"


def test_telling_us_explains_what_is_wrong_and_adds_nothing(client):
    response = client.post(reverse("discover:tell_us"), {"text": "Bad", "agree": ""})
    body = response.content.decode()
    assert "Tell us a little more" in body or "Enter what you want the NHS to know" in body
    assert "Tick the box" in body
    assert Item.objects.count() == 0


def test_visitors_are_limited_to_a_few_messages_an_hour(client):
    for _ in range(5):
        client.post(
            reverse("discover:tell_us"), {"text": "The food on the ward was cold", "agree": "on"}
        )
    response = client.post(
        reverse("discover:tell_us"), {"text": "The food on the ward was cold", "agree": "on"}
    )
    assert "sent a lot of messages" in response.content.decode()
    assert Item.objects.count() == 5


# Uploads -------------------------------------------------------------------------------------------
def _host(org):
    host = make_user("host@example.com", display_name="Hana Host")
    Membership.objects.create(user=host, organisation=org, verified_at="2026-01-01T00:00:00Z")
    return host


def _csv(rows):
    out = io.StringIO()
    out.write("Comment,Date,Postcode\n")
    for row in rows:
        out.write(",".join(row) + "\n")
    return SimpleUploadedFile("notes.csv", out.getvalue().encode(), content_type="text/csv")


def test_a_host_uploads_notes_matches_columns_and_uploading_again_adds_nothing(client, signed_in):
    org = Organisation.objects.get(code="QWO")
    signed_in(_host(org))
    details = {
        "event_name": "Carers café",
        "event_date": "14/11/2026",
        "organisation": org.slug,
    }
    rows = [("Parking is too dear", "14/11/2026", "LS6 1AA"), ("Staff were kind", "", "")]
    response = client.post(reverse("discover:upload"), {**details, "file": _csv(rows)})
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.get(response["Location"])
    assert "Match your columns" in response.content.decode()
    mapping = {"text": "Comment", "said_at": "Date", "place": "Postcode"}
    response = client.post(response.wsgi_request.path, mapping)
    assert response.status_code == 302
    source = Source.objects.get(kind=SourceKind.UPLOAD)
    assert source.organisation == org
    assert Item.objects.filter(source=source).count() == 2
    # The same file again: nothing new.
    response = client.post(reverse("discover:upload"), {**details, "file": _csv(rows)})
    response = client.post(response["Location"], mapping, follow=True)
    assert "0 comments" in response.content.decode()
    assert Item.objects.filter(source=source).count() == 2


def test_an_upload_with_a_bad_row_says_which_row_and_adds_nothing(client, signed_in):
    org = Organisation.objects.get(code="QWO")
    signed_in(_host(org))
    response = client.post(
        reverse("discover:upload"),
        {
            "event_name": "Drop-in",
            "event_date": "14/11/2026",
            "organisation": org.slug,
            "file": _csv([("Fine", "", ""), ("", "14/11/2026", "LS6 1AA")]),
        },
    )
    response = client.post(response["Location"], {"text": "Comment"})
    body = response.content.decode()
    assert "Row 3" in body
    assert Item.objects.count() == 0


def _fft_upload(client, org, csv_text: str, **details):
    """Upload a file and come to the page that matches its columns."""
    response = client.post(
        reverse("discover:upload"),
        {
            "event_name": "Friends and Family Test, November",
            "event_date": "14/11/2026",
            "organisation": org.slug,
            "file": SimpleUploadedFile("fft.csv", csv_text.encode(), content_type="text/csv"),
            **details,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def _theirs(words: str) -> str:
    """Words that are not ours (people's, or an organisation's question), as a page marks them
    (their reading level is not counted in ours)."""
    return f'<span class="app-user-text">{words}</span>'


FFT_FILE = "\n".join(
    [
        "FFT question,FFT answer",
        "What was good?,Nothing",
        "What could we do better?,Nothing",
        ",Nothing",  # no question of its own: the event's question
    ]
)


def test_an_fft_upload_reads_each_answer_by_its_own_question(client, signed_in):
    org = Organisation.objects.get(code="QWO")
    signed_in(_host(org))
    page = _fft_upload(client, org, FFT_FILE, question="What was good?")
    body = page.content.decode()
    # The question column is guessed, explained, and the event's question is shown.
    assert page.context["form"].initial["question"] == "FFT question"
    assert "This helps us tell good news from bad." in body
    assert "the question you gave for the whole event: “" + _theirs("What was good?") in body
    response = client.post(
        page.wsgi_request.path, {"text": "FFT answer", "question": "FFT question"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    source = Source.objects.get(kind=SourceKind.UPLOAD)
    assert source.config == {"question": "What was good?"}
    pipeline.do_process_waiting()
    # Three "Nothing"s: two under "What was good?" (the last has the event's question).
    feelings = sorted(
        (pipeline.question_asked(i), i.sentiment) for i in Item.objects.filter(source=source)
    )
    assert feelings == [
        ("What could we do better?", "positive"),
        ("What was good?", "negative"),
        ("What was good?", "negative"),
    ]
    better = Item.objects.get(question="What could we do better?")
    assert better.sentiment == "positive" and better.text == "Nothing"
    # The same words merge only under the same question.
    assert sorted(
        (i.question_answered, i.weight) for i in Item.objects.public().filter(source=source)
    ) == [("What could we do better?", 1), ("What was good?", 2)]
    # The public pages say which question each statement answers.
    client.logout()
    detail = client.get(reverse("discover:item_detail", args=[better.pk])).content.decode()
    assert "Answer to: " + _theirs("What could we do better?") in detail
    listing = client.get(reverse("discover:source_detail", args=[source.pk])).content.decode()
    assert "Answer to: " + _theirs("What could we do better?") in listing
    assert "Answer to: " + _theirs("What was good?") in listing


def test_an_upload_with_a_question_too_long_says_which_row_and_adds_nothing(client, signed_in):
    org = Organisation.objects.get(code="QWO")
    signed_in(_host(org))
    too_long = "What " + "really " * 50 + "went well?"
    page = _fft_upload(
        client, org, f"Question,Comment\nWhat was good?,Kind staff\n{too_long},Nothing\n"
    )
    response = client.post(page.wsgi_request.path, {"text": "Comment", "question": "Question"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Row 3: the question must be 300 characters or fewer." in body
    assert "Row 3: Row 3" not in body
    assert Item.objects.count() == 0 and not Source.objects.filter(kind=SourceKind.UPLOAD).exists()


def test_the_question_column_must_be_another_column_than_the_comments(client, signed_in):
    org = Organisation.objects.get(code="QWO")
    signed_in(_host(org))
    page = _fft_upload(client, org, FFT_FILE)
    response = client.post(page.wsgi_request.path, {"text": "FFT answer", "question": "FFT answer"})
    assert "Each column can only be used once" in response.content.decode()
    assert Item.objects.count() == 0


def test_a_question_for_the_whole_event_over_300_characters_is_refused(client, signed_in):
    org = Organisation.objects.get(code="QWO")
    signed_in(_host(org))
    response = client.post(
        reverse("discover:upload"),
        {
            "event_name": "Drop-in",
            "event_date": "14/11/2026",
            "organisation": org.slug,
            "file": _csv([("Fine", "", "")]),
            "question": "Why? " * 70,
        },
    )
    assert response.status_code == 200
    assert "Enter the question people were asked in 300 characters or fewer" in (
        response.content.decode()
    )


def test_an_upload_of_the_wrong_kind_of_file_is_refused(client, signed_in):
    org = Organisation.objects.get(code="QWO")
    signed_in(_host(org))
    response = client.post(
        reverse("discover:upload"),
        {
            "event_name": "Drop-in",
            "event_date": "14/11/2026",
            "organisation": org.slug,
            "file": SimpleUploadedFile("notes.docx", b"PK\x03\x04 nonsense"),
        },
    )
    assert response.status_code == 200
    assert "Error:" in response.content.decode()


def test_people_who_are_not_hosts_cannot_upload(client, signed_in, citizen):
    signed_in(citizen)
    assert client.get(reverse("discover:upload")).status_code == 403


# Curators ------------------------------------------------------------------------------------------
def test_curator_pages_are_for_curators_only(client, signed_in, citizen, processed):
    topic = Topic.objects.public().first()
    signed_in(citizen)
    for name, args in [
        ("discover:pipeline", []),
        ("discover:source_new", []),
        ("discover:rename_topic", [topic.pk]),
        ("discover:merge_topic", [topic.pk]),
        ("discover:flag_topic", [topic.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403


def test_a_curator_merges_topics_with_a_reason_and_the_old_address_redirects(
    client, signed_in, curator, processed
):
    signed_in(curator)
    parking = Item.objects.get(raw_text=THEMES["parking"][0]).topic
    waiting = Item.objects.get(raw_text=THEMES["waiting"][0]).topic
    url = reverse("discover:merge_topic", args=[parking.pk])
    response = client.post(url, {"target": waiting.pk, "reason": ""})
    assert "Enter a reason" in response.content.decode()
    response = client.post(url, {"target": waiting.pk, "reason": "Both are about getting care"})
    assert response.status_code == 302
    assert Item.objects.get(raw_text=THEMES["parking"][0]).topic_id == waiting.pk
    response = client.get(reverse("discover:topic_detail", args=[parking.pk]))
    assert response.status_code == 301


def test_a_curator_splits_renames_and_hides_a_topic(client, signed_in, curator, processed):
    signed_in(curator)
    topic = Item.objects.get(raw_text=THEMES["waiting"][0]).topic
    before = topic.item_count
    response = client.post(
        reverse("discover:split_topic", args=[topic.pk]), {"reason": "Two things"}
    )
    assert response.status_code == 302
    new = Topic.objects.get(split_from=topic)
    topic.refresh_from_db()
    assert topic.item_count + new.item_count == before
    client.post(reverse("discover:rename_topic", args=[new.pk]), {"name": "Ambulance waits"})
    new.refresh_from_db()
    assert new.name == "Ambulance waits"
    client.post(reverse("discover:hide_topic", args=[new.pk]), {"reason": "Testing hiding"})
    client.logout()
    response = client.get(reverse("discover:topic_detail", args=[new.pk]))
    assert response.status_code == 410
    assert "Testing hiding" in response.content.decode()
    assert "Ambulance waits" not in client.get(reverse("discover:dashboard")).content.decode()


def test_a_curator_takes_a_topic_to_gather_and_the_flag_links_back(
    client, signed_in, curator, processed
):
    signed_in(curator)
    topic = Item.objects.get(raw_text=THEMES["parking"][0]).topic
    url = reverse("discover:flag_topic", args=[topic.pk])
    assert client.get(url).status_code == 200
    gather_topic = GatherTopic.objects.first()
    response = client.post(
        url,
        {
            "title": "Make hospital parking fair",
            "what_should_change": "Free or cheap parking for patients and carers",
            "why": "People miss appointments and pay too much",
            "topic": gather_topic.slug,
            "scope": "national",
        },
    )
    assert response.status_code == 302
    flag = Flag.objects.get(title="Make hospital parking fair")
    topic.refresh_from_db()
    assert topic.flag_id == flag.pk
    assert FlaggedItem.objects.filter(flag=flag).count() == topic.item_count
    evidence = Evidence.objects.get(flag=flag)
    assert reverse("discover:flag_sources", args=[flag.pk]) in evidence.url
    body = client.get(reverse("discover:flag_sources", args=[flag.pk])).content.decode()
    assert THEMES["parking"][0] in body
    # Only once.
    response = client.post(url, {"title": "Again"})
    assert Flag.objects.filter(title="Again").count() == 0


def test_a_curator_hides_a_statement_with_a_public_reason(client, signed_in, curator, processed):
    signed_in(curator)
    item = Item.objects.get(raw_text=THEMES["kindness"][1])
    client.post(
        reverse("discover:hide_item", args=[item.pk]), {"reason": "Names a member of staff"}
    )
    client.logout()
    body = client.get(reverse("discover:item_list")).content.decode()
    assert THEMES["kindness"][1] not in body
    body = client.get(reverse("discover:item_detail", args=[item.pk])).content.decode()
    assert "Names a member of staff" in body and THEMES["kindness"][1] not in body


def test_the_pipeline_page_shows_waiting_items_and_batches(client, signed_in, curator, processed):
    signed_in(curator)
    ingest_texts(processed, ["One more thing about the car park"])
    body = client.get(reverse("discover:pipeline")).content.decode()
    assert "1 item is waiting" in body
    assert "Find topics again" in body


def test_your_data_shows_what_you_told_us_and_deleting_your_account_unlinks_it(
    client, signed_in, citizen
):
    from nhs_citizen.discover.services import people

    signed_in(citizen)
    client.post(
        reverse("discover:tell_us"),
        {"text": "The walk-in centre closes far too early", "agree": "on"},
    )
    exported = people.export_for_user(citizen)["messages_and_notes"]
    assert exported[0]["what_you_sent"] == "The walk-in centre closes far too early"
    assert exported[0]["answer_to"] == ""
    event = Source.objects.create(
        name="Listening event", kind=SourceKind.UPLOAD, config={"question": "What was good?"}
    )
    Item.objects.create(source=event, original_id="e-1", raw_text="The nurses", sent_by=citizen)
    Item.objects.create(
        source=event,
        original_id="e-2",
        raw_text="Parking",
        question="What could we do better?",
        sent_by=citizen,
    )
    answers = {
        row["what_you_sent"]: row["answer_to"]
        for row in people.export_for_user(citizen)["messages_and_notes"]
    }
    assert answers["The nurses"] == "What was good?"
    assert answers["Parking"] == "What could we do better?"
    Item.objects.filter(source=event).delete()
    people.forget_user(citizen)
    assert Item.objects.get().sent_by is None
    assert people.export_for_user(citizen)["messages_and_notes"] == []
