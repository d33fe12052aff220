import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry, Organisation, Region
from nhs_citizen.core.services.organisations import check_request_membership, do_verify_membership
from nhs_citizen.gather.models import CallAnswer, CallForViews, CallSubmission, Scope
from nhs_citizen.gather.services import calls
from nhs_citizen.gather.services.flags import Place
from nhs_citizen.gather.tests.factories import next_email, responder_for

pytestmark = pytest.mark.django_db

QUESTIONS = [
    ("What would make it easier to see a GP?", "free_text", []),
    ("Would you use evening appointments?", "choice", ["Yes", "No", "Not sure"]),
]


@pytest.fixture
def organisation(db):
    return Organisation.objects.get(slug="nhs-england")


@pytest.fixture
def responder(organisation):
    return responder_for(organisation)


def also_responder_for(user, organisation):
    membership = check_request_membership(
        user=user, organisation=organisation, role="responder", job_title="Lead"
    )
    do_verify_membership(
        membership=membership, verified_by=make_user(next_email("admin"), roles=("administrator",))
    )


def in_days(days: int):
    return timezone.localdate() + timedelta(days=days)


def open_a_call(
    responder, organisation, *, closes_on=None, questions=QUESTIONS, title="Evening GP appointments"
):
    return calls.check_open_call(
        responder=responder,
        organisation=organisation,
        title=title,
        background="We are thinking about opening GP surgeries in the evening.",
        place=Place(Scope.NATIONAL),
        closes_on=closes_on or in_days(30),
        questions=questions,
    )


def after_it_closes(call):
    """Travel to the day after the closing date."""
    return time_machine.travel(call.closes_on + timedelta(days=1, hours=12), tick=False)


def answer(call, user, free_text="Later opening hours", choice="Yes"):
    first, second = call.questions.order_by("position")
    return calls.check_answer_call(
        user=user, call=call, answers={first.pk: free_text, second.pk: choice}
    )


def form_data(**overrides):
    closes_on = in_days(30)
    data = {
        "title": "Evening GP appointments",
        "background": "We are thinking about opening GP surgeries in the evening.",
        "scope": "national",
        "region": "",
        "icb": "",
        "place_name": "",
        "closes_on": f"{closes_on.day} {closes_on.month} {closes_on.year}",
        "question_1_text": "What would make it easier to see a GP?",
        "question_1_kind": "free_text",
        "question_1_choices": "",
        "question_2_text": "Would you use evening appointments?",
        "question_2_kind": "choice",
        "question_2_choices": "Yes\nNo\n\nNot sure\n",
    }
    for number in range(3, 6):
        data.update(
            {
                f"question_{number}_text": "",
                f"question_{number}_kind": "free_text",
                f"question_{number}_choices": "",
            }
        )
    data.update(overrides)
    return data


# Opening a call ------------------------------------------------------------------------------


def test_a_responder_opens_a_call_for_their_organisation(
    client, signed_in, responder, organisation
):
    signed_in(responder)
    page = client.get(reverse("gather:open_call"))
    assert page.status_code == 200
    assert "Which organisation is asking?" not in page.content.decode()  # only one: no picker
    response = client.post(reverse("gather:open_call"), form_data())
    call = CallForViews.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("gather:call_detail", args=[call.pk])
    assert call.organisation == organisation
    assert call.opened_by == responder
    assert call.closes_on == in_days(30)
    assert [(q.position, q.kind, q.choices) for q in call.questions.all()] == [
        (1, "free_text", []),
        (2, "choice", ["Yes", "No", "Not sure"]),
    ]
    assert AuditEntry.objects.filter(action="gather.call_opened", is_public=True).count() == 1


def test_a_responder_for_two_bodies_chooses_which_one_is_asking(client, signed_in, responder):
    london = Organisation.objects.get(slug="nhs-england-london")
    also_responder_for(responder, london)
    signed_in(responder)
    assert (
        "Which organisation is asking?" in client.get(reverse("gather:open_call")).content.decode()
    )
    response = client.post(reverse("gather:open_call"), form_data(organisation=str(london.pk)))
    assert response.status_code == 302
    assert CallForViews.objects.get().organisation == london


def test_a_responder_cannot_open_a_call_for_another_body(client, signed_in, responder):
    other = Organisation.objects.get(slug="nhs-england-london")
    with pytest.raises(
        ValidationError, match="only open a call for views for an organisation you answer for"
    ):
        open_a_call(responder, other)
    # Nor by sending another body's id through the form.
    also_responder_for(responder, Organisation.objects.get(slug="nhs-england-north-west"))
    signed_in(responder)
    response = client.post(reverse("gather:open_call"), form_data(organisation=str(other.pk)))
    assert "Select an organisation you answer for" in response.content.decode()
    assert not CallForViews.objects.exists()


def test_a_citizen_cannot_open_a_call(client, signed_in, citizen):
    signed_in(citizen)
    assert client.get(reverse("gather:open_call")).status_code == 403
    assert client.post(reverse("gather:open_call"), form_data()).status_code == 403
    assert not CallForViews.objects.exists()


def test_someone_signed_out_is_asked_to_sign_in_to_open_a_call(client):
    response = client.get(reverse("gather:open_call"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_an_unconfirmed_responder_cannot_open_a_call(client, signed_in, organisation):
    waiting = make_user(next_email("waiting"))
    check_request_membership(
        user=waiting, organisation=organisation, role="responder", job_title="Lead"
    )
    signed_in(waiting)
    assert client.get(reverse("gather:open_call")).status_code == 403
    with pytest.raises(ValidationError):
        open_a_call(waiting, organisation)


@pytest.mark.parametrize(
    ("closes_on", "message"),
    [
        (lambda: in_days(-1), "The closing date must be in the future"),
        (lambda: in_days(0), "The closing date must be in the future"),
        (lambda: in_days(400), "The closing date must be within a year"),
    ],
)
def test_a_closing_date_that_is_not_in_the_next_year_gets_a_clear_error(
    client, signed_in, responder, closes_on, message
):
    day = closes_on()
    signed_in(responder)
    response = client.post(
        reverse("gather:open_call"), form_data(closes_on=f"{day.day} {day.month} {day.year}")
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert "<title>Error: " in content
    assert not CallForViews.objects.exists()


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("", "Enter the closing date"),
        ("next Tuesday", "Enter the closing date as a day, month and year"),
        ("31 2 2027", "The closing date must be a real date"),
    ],
)
def test_a_closing_date_that_cannot_be_read_gets_a_clear_error(
    client, signed_in, responder, written, message
):
    signed_in(responder)
    response = client.post(reverse("gather:open_call"), form_data(closes_on=written))
    assert message in response.content.decode()
    assert not CallForViews.objects.exists()


def test_closing_dates_can_be_written_in_the_ways_people_write_them():
    from nhs_citizen.gather.forms_calls import parse_day_month_year

    for written in (
        "27 3 2027",
        "27/03/2027",
        "27-3-2027",
        "27 March 2027",
        "27 mar 2027",
        "2027-03-27",
    ):
        assert parse_day_month_year(written).isoformat() == "2027-03-27"


def test_a_call_needs_at_least_one_question(client, signed_in, responder):
    signed_in(responder)
    response = client.post(
        reverse("gather:open_call"),
        form_data(
            question_1_text="",
            question_2_text="",
            question_2_kind="free_text",
            question_2_choices="",
        ),
    )
    assert "Enter at least one question" in response.content.decode()
    assert not CallForViews.objects.exists()
    with pytest.raises(ValidationError, match="Enter at least one question"):
        open_a_call(responder, responder.memberships.get().organisation, questions=[])


def test_a_choice_question_needs_at_least_two_options(client, signed_in, responder):
    signed_in(responder)
    response = client.post(reverse("gather:open_call"), form_data(question_2_choices="Yes\n\n"))
    assert (
        "Enter at least 2 options for question 2, each on its own line" in response.content.decode()
    )
    assert not CallForViews.objects.exists()


def test_options_typed_for_a_free_text_question_are_not_silently_dropped(
    client, signed_in, responder
):
    signed_in(responder)
    response = client.post(reverse("gather:open_call"), form_data(question_1_choices="A\nB"))
    assert "Question 1 has options" in response.content.decode()
    assert not CallForViews.objects.exists()


def test_an_empty_question_slot_between_two_questions_is_ignored(client, signed_in, responder):
    signed_in(responder)
    data = form_data(question_4_text="Anything else?")
    data.update(question_2_text="", question_2_kind="free_text", question_2_choices="")
    client.post(reverse("gather:open_call"), data)
    assert list(CallForViews.objects.get().questions.values_list("position", "text")) == [
        (1, "What would make it easier to see a GP?"),
        (2, "Anything else?"),
    ]


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ([("Which?", "choice", ["Yes"])], "Enter at least 2 options for question 1"),
        ([("Which?", "choice", ["Yes", "yes "])], "Each option for question 1 must be different"),
        (
            [("Which?", "choice", [str(n) for n in range(11)])],
            "Enter no more than 10 options for question 1",
        ),
        ([("", "free_text", [])], "Enter question 1"),
        ([("Why?", "poll", [])], "Select how people answer question 1"),
        ([("Why?", "free_text", [])] * 11, "up to 10 questions"),
    ],
)
def test_the_service_refuses_questions_that_do_not_work(
    responder, organisation, questions, message
):
    with pytest.raises(ValidationError, match=message):
        open_a_call(responder, organisation, questions=questions)
    assert not CallForViews.objects.exists()


def test_a_call_for_one_region_needs_the_region(client, signed_in, responder):
    signed_in(responder)
    response = client.post(reverse("gather:open_call"), form_data(scope="region"))
    assert "Select the NHS region" in response.content.decode()
    assert not CallForViews.objects.exists()
    london = Region.objects.get(name="London")
    client.post(reverse("gather:open_call"), form_data(scope="region", region=london.code))
    assert CallForViews.objects.get().place == "London"


def test_missing_title_and_background_get_clear_errors(client, signed_in, responder):
    signed_in(responder)
    response = client.post(reverse("gather:open_call"), form_data(title="", background=""))
    content = response.content.decode()
    assert "Enter a title" in content
    assert "Enter the background" in content
    assert not CallForViews.objects.exists()


# Reading and answering -----------------------------------------------------------------------


def test_anyone_can_read_a_call_and_is_asked_to_sign_in_to_answer(client, responder, organisation):
    call = open_a_call(responder, organisation)
    content = client.get(reverse("gather:call_detail", args=[call.pk])).content.decode()
    assert "Evening GP appointments" in content
    assert "We are thinking about opening GP surgeries in the evening." in content
    assert "Would you use evening appointments?" in content
    assert "Not sure" in content
    assert f"{call.closes_on.day} {call.closes_on:%B %Y}" in content
    assert "Sign in to answer this call for views" in content
    assert content.count("<h1") == 1


def test_an_unknown_call_is_not_found(client):
    assert client.get(reverse("gather:call_detail", args=[999])).status_code == 404


def test_a_citizen_answers_once(client, signed_in, citizen, responder, organisation):
    call = open_a_call(responder, organisation)
    first, second = call.questions.order_by("position")
    signed_in(citizen)
    url = reverse("gather:call_detail", args=[call.pk])
    assert "Send my answers" in client.get(url).content.decode()
    response = client.post(
        url, {f"question_{first.pk}": "Open on Saturdays", f"question_{second.pk}": "Yes"}
    )
    assert response.status_code == 302
    submission = CallSubmission.objects.get(call=call, user=citizen)
    assert dict(submission.answers.values_list("question__position", "text")) == {
        1: "Open on Saturdays",
        2: "Yes",
    }
    entry = AuditEntry.objects.get(action="gather.call_answered")
    assert not entry.is_public
    page = client.get(url).content.decode()
    assert "You answered this call for views on" in page
    assert "Send my answers" not in page

    again = client.post(
        url, {f"question_{first.pk}": "Changed my mind", f"question_{second.pk}": "No"}, follow=True
    )
    assert (
        "You have already answered this call for views. Each person can answer once."
        in again.content.decode()
    )
    assert CallSubmission.objects.count() == 1
    assert CallAnswer.objects.filter(text="Changed my mind").count() == 0


def test_answering_twice_is_refused_by_the_service(citizen, responder, organisation):
    call = open_a_call(responder, organisation)
    answer(call, citizen)
    with pytest.raises(ValidationError, match="already answered"):
        answer(call, citizen, free_text="Again")
    assert CallSubmission.objects.count() == 1


def test_a_double_click_that_slips_past_the_check_still_saves_one_answer(
    citizen, responder, organisation, monkeypatch
):
    call = open_a_call(responder, organisation)
    answer(call, citizen)
    # The second request checked before the first one saved.
    monkeypatch.setattr(
        calls.CallSubmission.objects, "filter", lambda **kwargs: CallSubmission.objects.none()
    )
    with pytest.raises(ValidationError, match="already answered"):
        answer(call, citizen, free_text="Again")
    monkeypatch.undo()
    assert CallSubmission.objects.count() == 1


def test_a_closed_call_cannot_be_answered(client, signed_in, citizen, responder, organisation):
    call = open_a_call(responder, organisation, closes_on=in_days(3))
    first, second = call.questions.order_by("position")
    signed_in(citizen)
    url = reverse("gather:call_detail", args=[call.pk])
    with after_it_closes(call):
        page = client.get(url).content.decode()
        assert "This call for views closed on" in page
        assert "Send my answers" not in page
        response = client.post(
            url, {f"question_{first.pk}": "Late", f"question_{second.pk}": "Yes"}, follow=True
        )
        assert "You can no longer answer it." in response.content.decode()
        with pytest.raises(ValidationError, match="closed on"):
            answer(call, citizen)
    assert not CallSubmission.objects.exists()


def test_a_call_can_be_answered_on_its_closing_date(citizen, responder, organisation):
    call = open_a_call(responder, organisation, closes_on=in_days(3))
    with time_machine.travel(call.closes_on, tick=False):
        answer(call, citizen)
    assert CallSubmission.objects.count() == 1


def test_an_option_that_is_not_offered_is_refused(
    client, signed_in, citizen, responder, organisation
):
    call = open_a_call(responder, organisation)
    first, second = call.questions.order_by("position")
    signed_in(citizen)
    response = client.post(
        reverse("gather:call_detail", args=[call.pk]),
        {f"question_{first.pk}": "Weekends", f"question_{second.pk}": "Maybe"},
    )
    assert "Select one of the options for question 2" in response.content.decode()
    assert not CallSubmission.objects.exists()
    with pytest.raises(ValidationError) as error:
        answer(call, citizen, choice="Maybe")
    assert error.value.message_dict == {
        f"question_{second.pk}": ["Select one of the options for question 2"]
    }


def test_an_empty_answer_is_refused(client, signed_in, citizen, responder, organisation):
    call = open_a_call(responder, organisation)
    first, second = call.questions.order_by("position")
    signed_in(citizen)
    response = client.post(
        reverse("gather:call_detail", args=[call.pk]),
        {f"question_{first.pk}": "   ", f"question_{second.pk}": ""},
    )
    content = response.content.decode()
    assert "Enter your answer to question 1" in content
    assert "Select an answer to question 2" in content
    assert "<title>Error: " in content
    assert not CallSubmission.objects.exists()
    with pytest.raises(ValidationError, match="Enter your answer to question 1"):
        answer(call, citizen, free_text="  ")


def test_a_very_long_answer_is_refused(citizen, responder, organisation):
    call = open_a_call(responder, organisation)
    with pytest.raises(ValidationError, match="5,000 characters or fewer"):
        answer(call, citizen, free_text="a" * 5001)
    assert not CallSubmission.objects.exists()


def test_someone_signed_out_cannot_answer(client, responder, organisation):
    call = open_a_call(responder, organisation)
    response = client.post(reverse("gather:call_detail", args=[call.pk]), {})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not CallSubmission.objects.exists()


# Publishing "We asked, you said, we did" -----------------------------------------------------


def outcome_data():
    return {
        "we_asked": "We asked about evening appointments.",
        "you_said": "Most people said they would use them.",
        "we_did": "Twelve surgeries will open until 8pm from June.",
    }


def test_the_outcome_cannot_be_published_before_the_call_closes(
    client, signed_in, responder, organisation
):
    call = open_a_call(responder, organisation)
    with pytest.raises(ValidationError, match="You can publish what you did after it closes"):
        calls.check_publish_outcome(responder=responder, call=call, **outcome_data())
    signed_in(responder)
    url = reverse("gather:publish_outcome", args=[call.pk])
    assert "You can publish what you did after it closes" in client.get(url).content.decode()
    response = client.post(url, outcome_data(), follow=True)
    assert "You can publish what you did after it closes" in response.content.decode()
    call.refresh_from_db()
    assert call.outcome_published_at is None
    assert call.we_did == ""


def test_after_it_closes_the_body_publishes_the_outcome_and_everyone_who_answered_is_told(
    client, signed_in, citizen, responder, organisation, django_capture_on_commit_callbacks
):
    call = open_a_call(responder, organisation)
    other = make_user(next_email("other"), display_name="Olu Other")
    answer(call, citizen)
    answer(call, other, choice="No")
    bystander = make_user(next_email("bystander"))
    url = reverse("gather:publish_outcome", args=[call.pk])
    with after_it_closes(call):
        signed_in(responder)
        assert (
            "Publish what you did"
            in client.get(reverse("gather:call_detail", args=[call.pk])).content.decode()
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, outcome_data())
        assert response.status_code == 302
        page = client.get(reverse("gather:call_detail", args=[call.pk])).content.decode()
    call.refresh_from_db()
    assert call.outcome_published_at is not None
    assert call.we_did == "Twelve surgeries will open until 8pm from June."
    assert "We asked, you said, we did" in page
    assert "Twelve surgeries will open until 8pm from June." in page
    assert citizen.notifications.get().link == reverse("gather:call_detail", args=[call.pk])
    assert other.notifications.count() == 1
    assert not bystander.notifications.exists()
    assert sorted(message.to[0] for message in mail.outbox) == sorted([citizen.email, other.email])
    assert (
        AuditEntry.objects.filter(action="gather.call_outcome_published", is_public=True).count()
        == 1
    )


def test_the_outcome_is_published_once(responder, organisation):
    call = open_a_call(responder, organisation)
    with after_it_closes(call):
        calls.check_publish_outcome(responder=responder, call=call, **outcome_data())
        with pytest.raises(ValidationError, match="already been published"):
            calls.check_publish_outcome(responder=responder, call=call, **outcome_data())


def test_publishing_needs_all_three_parts(client, signed_in, responder, organisation):
    call = open_a_call(responder, organisation)
    with after_it_closes(call):
        signed_in(responder)
        response = client.post(
            reverse("gather:publish_outcome", args=[call.pk]),
            {"we_asked": "", "you_said": "", "we_did": ""},
        )
    content = response.content.decode()
    for message in ("Enter what you asked", "Enter what people said", "Enter what you did"):
        assert message in content
    call.refresh_from_db()
    assert call.outcome_published_at is None


def test_only_a_responder_for_the_body_can_publish(
    client, signed_in, citizen, responder, organisation
):
    call = open_a_call(responder, organisation)
    other_body = responder_for(Organisation.objects.get(slug="nhs-england-london"))
    with after_it_closes(call):
        for person in (citizen, other_body):
            signed_in(person)
            assert (
                client.post(
                    reverse("gather:publish_outcome", args=[call.pk]), outcome_data()
                ).status_code
                == 403
            )
        with pytest.raises(ValidationError, match="Only responders for NHS England"):
            calls.check_publish_outcome(responder=other_body, call=call, **outcome_data())
    call.refresh_from_db()
    assert call.outcome_published_at is None


# The answers as open data --------------------------------------------------------------------


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_answers_download_once_the_call_closes_without_saying_who_answered(
    client, responder, organisation
):
    call = open_a_call(responder, organisation)
    people = [
        make_user("zara.zed@example.com", display_name="Zara Zed"),
        make_user("amir.able@example.com", display_name="Amir Able"),
        make_user("kim.kay@example.com", display_name="Kim Kay"),
    ]
    for person, text in zip(people, ["Weekends please", "After 6pm", "Mornings"], strict=True):
        answer(call, person, free_text=text)
    url = reverse("gather:download_answers", args=[call.pk])
    early = client.get(url, follow=True)
    assert "You can download the answers after the call for views closes" in early.content.decode()
    with after_it_closes(call):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = read_csv(text)
    assert rows[0] == [
        "Question 1: What would make it easier to see a GP?",
        "Question 2: Would you use evening appointments?",
    ]
    assert len(rows) == 4  # one row per submission
    assert [row[0] for row in rows[1:]] == [
        "After 6pm",
        "Mornings",
        "Weekends please",
    ]  # by answer, not by time
    for person in people:
        assert person.email not in text
        assert person.display_name not in text
        assert str(person.pk) not in {cell for row in rows for cell in row}


def test_personal_details_in_free_text_are_removed(responder, organisation, citizen):
    call = open_a_call(responder, organisation)
    answer(
        call,
        citizen,
        free_text="Email me at jo.bloggs+nhs@example.co.uk or ring 07700 900123 or (020) 7946 0018. I live at LS1 4AP.",
        choice="Not sure",
    )
    rows = read_csv(calls.answers_csv(call))
    assert rows[1] == [
        "Email me at [email] or ring [phone number] or [phone number]. I live at [postcode].",
        "Not sure",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to a.person@nhs.net", "write to [email]"),
        ("call +44 7700 900123 today", "call [phone number] today"),
        ("call +44 (0)161 496 0000", "call [phone number]"),
        ("01632 960001", "[phone number]"),
        ("0114-496-0123.", "[phone number]."),
        ("postcode sw1a 1aa", "postcode [postcode]"),
        ("B338TH", "[postcode]"),
        ("My NHS number is 943 476 5919", "My NHS number is [NHS number]"),
        (
            "I waited 3 hours on 12 March 2025 and called 111",
            "I waited 3 hours on 12 March 2025 and called 111",
        ),
        ("About 2,500 people, 40% of them", "About 2,500 people, 40% of them"),
    ],
)
def test_personal_data_is_replaced_and_ordinary_words_and_numbers_are_kept(text, expected):
    assert calls.redact_personal_data(text) == expected


def test_a_cell_that_would_run_as_a_spreadsheet_formula_is_made_safe(
    responder, organisation, citizen
):
    call = open_a_call(responder, organisation)
    answer(call, citizen, free_text='=HYPERLINK("http://example.com")')
    assert read_csv(calls.answers_csv(call))[1][0].startswith("'=")


# The list ------------------------------------------------------------------------------------


def test_the_list_shows_open_calls_first_then_closed_ones(client, responder, organisation):
    soon = open_a_call(responder, organisation, closes_on=in_days(5), title="Closes soon")
    later = open_a_call(responder, organisation, closes_on=in_days(60), title="Closes later")
    with time_machine.travel(timezone.localdate() - timedelta(days=20), tick=False):
        closed = open_a_call(responder, organisation, closes_on=in_days(10), title="Already closed")
    response = client.get(reverse("gather:call_list"))
    assert [call.pk for call in response.context["page"].object_list] == [
        soon.pk,
        later.pk,
        closed.pk,
    ]
    content = response.content.decode()
    assert "Open until" in content
    assert "Closed on" in content
    assert "Open a call for views" not in content


def test_a_responder_is_offered_a_way_to_open_a_call(client, signed_in, responder):
    signed_in(responder)
    assert reverse("gather:open_call") in client.get(reverse("gather:call_list")).content.decode()


def test_the_list_does_not_make_more_queries_for_more_calls(client, responder, organisation):
    open_a_call(responder, organisation)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("gather:call_list"))
    for number in range(5):
        open_a_call(responder, organisation, title=f"Call {number}")
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("gather:call_list"))
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.parametrize("name", ["gather:call_list", "gather:open_call"])
def test_each_page_has_one_main_heading(client, signed_in, responder, name):
    signed_in(responder)
    assert client.get(reverse(name)).content.decode().count("<h1") == 1
