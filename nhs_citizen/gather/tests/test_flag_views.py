import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Organisation
from nhs_citizen.gather.models import Comment, Flag, FlagStatus, Referral, Support
from nhs_citizen.gather.services import flags as services
from nhs_citizen.gather.services import review
from nhs_citizen.gather.tests.factories import next_email, raise_flag, responder_for

pytestmark = pytest.mark.django_db


def _referred(flag, *, reviewer=None, curator=None):
    """Put the flag forward and refer it to an ICB (local, not within NHS England's remit)."""
    services.check_put_forward(
        curator=curator or make_user(next_email(), roles=("curator",)), flag=flag, reason="x"
    )
    review.check_record_decision(
        reviewer=reviewer or make_user(next_email(), roles=("review_panel",)),
        flag=flag,
        decision="refer",
        is_national=False,
        within_remit=False,
        reasons="Local",
        organisation=Organisation.objects.get(type="icb", code="QWO"),
    )
    return flag


def _many_flags(n):
    reviewer = make_user(next_email(), roles=("review_panel",))
    curator = make_user(next_email(), roles=("curator",))
    flags = [raise_flag(title=f"Flag number {i} about buses to hospital") for i in range(n)]
    for flag in flags[: n // 2]:
        _referred(flag, reviewer=reviewer, curator=curator)
    return flags


def test_the_list_page_makes_the_same_number_of_queries_however_many_flags(client):
    from django.core.cache import cache

    _many_flags(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("gather:flag_list")).status_code == 200
    _many_flags(12)
    cache.clear()  # the total is counted again, as in the first request
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("gather:flag_list"))
    assert len(response.context["cards"]) == 14
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_visitor_browses_searches_and_filters(client):
    raise_flag(
        title="Free parking at hospitals", what="Parking should be free.", topic="hospital-care"
    )
    raise_flag(title="More NHS dentists", what="Dentists for all.", topic="dentistry")
    response = client.get(reverse("gather:flag_list"), {"q": "parking"})
    assert [c.flag.title for c in response.context["cards"]] == ["Free parking at hospitals"]
    response = client.get(reverse("gather:flag_list"), {"topic": "dentistry"})
    assert [c.flag.title for c in response.context["cards"]] == ["More NHS dentists"]
    response = client.get(reverse("gather:flag_list"), {"sort": "newest"})
    assert response.context["cards"][0].flag.title == "More NHS dentists"
    response = client.get(reverse("gather:flag_list"), {"status": "nonsense"})
    assert "Select one of the options" in response.content.decode()


def test_the_flag_page_shows_one_status_line_and_the_timeline(client):
    flag = raise_flag()
    content = client.get(flag.get_absolute_url()).content.decode()
    assert "Gathering support: 1 of 100 supporters" in content
    assert "Raised the flag" in content


def test_a_merged_flag_address_redirects_to_the_flag_it_became(client):
    source, target = raise_flag(title="A"), raise_flag(title="B")
    services.check_merge_flags(
        curator=make_user(next_email(), roles=("curator",)),
        source=source,
        target=target,
        reason="Same",
    )
    response = client.get(source.get_absolute_url())
    assert response.status_code == 301 and response["Location"] == target.get_absolute_url()


def test_a_citizen_raises_a_flag_in_three_steps_and_sees_similar_flags_first(
    client, signed_in, citizen, run_jobs
):
    with run_jobs():
        raise_flag(
            title="GP appointments are impossible to get", what="Make it easier to see a GP."
        )
    signed_in(citizen)
    url = reverse("gather:raise_flag")
    response = client.post(url, {"title": "", "what_should_change": ""})
    assert "Enter what your flag is about" in response.content.decode()
    response = client.post(
        url,
        {"title": "I can never see my family doctor", "what_should_change": "Let me book ahead"},
    )
    assert response["Location"] == url + "?step=similar"
    content = client.get(url + "?step=similar").content.decode()
    assert "GP appointments are impossible to get" in content
    response = client.post(
        url + "?step=details",
        {
            "why": "It matters",
            "topic": "gp-and-primary-care",
            "scope": "icb",
            "icb": "QWO",
            "links": "https://example.org/report",
        },
    )
    flag = Flag.objects.get(title="I can never see my family doctor")
    assert response["Location"] == flag.get_absolute_url()
    assert flag.place.startswith("West Yorkshire")
    assert flag.evidence.get().url == "https://example.org/report"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"why": "", "topic": "", "scope": ""}, "Enter why this matters"),
        ({"why": "x", "topic": "dentistry", "scope": "icb"}, "Select the local NHS area"),
        (
            {"why": "x", "topic": "dentistry", "scope": "local"},
            "Enter the name of the town, city or place",
        ),
        (
            {"why": "x" * 4001, "topic": "dentistry", "scope": "national"},
            "Enter why this matters in 4,000 characters or fewer",
        ),
        (
            {"why": "x", "topic": "dentistry", "scope": "national", "links": "not a link"},
            "is not a web address",
        ),
    ],
)
def test_bad_details_get_clear_errors_and_save_nothing(client, signed_in, citizen, data, message):
    signed_in(citizen)
    url = reverse("gather:raise_flag")
    client.post(url, {"title": "My flag title", "what_should_change": "Change"})
    response = client.post(url + "?step=details", data)
    content = response.content.decode()
    assert message in content
    assert "<title>Error: " in content
    assert not Flag.objects.exists()


def test_a_file_of_the_wrong_type_is_refused_with_a_clear_error(
    client, signed_in, citizen, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    signed_in(citizen)
    url = reverse("gather:raise_flag")
    client.post(url, {"title": "My flag title", "what_should_change": "Change"})
    upload = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00not a pdf at all")
    response = client.post(
        url + "?step=details",
        {"why": "x", "topic": "dentistry", "scope": "national", "file": upload},
    )
    assert "must be a PDF, PNG, JPG, GIF or WEBP" in response.content.decode()
    assert not Flag.objects.exists()


def test_visitors_must_sign_in_to_raise_support_or_comment(client):
    flag = raise_flag()
    for url in (reverse("gather:raise_flag"), reverse("gather:add_comment", args=[flag.pk])):
        assert client.get(url)["Location"].startswith(reverse("account_login"))
    assert client.post(reverse("gather:support_flag", args=[flag.pk]))["Location"].startswith(
        reverse("account_login")
    )
    assert Support.objects.count() == 1


def test_supporting_twice_through_the_page_says_so_and_counts_once(client, signed_in, citizen):
    flag = raise_flag()
    signed_in(citizen)
    client.post(reverse("gather:support_flag", args=[flag.pk]))
    response = client.post(reverse("gather:support_flag", args=[flag.pk]), follow=True)
    assert "You already support this flag" in response.content.decode()
    flag.refresh_from_db()
    assert flag.support_count == 2


def test_support_needs_a_post(client, signed_in, citizen):
    flag = raise_flag()
    signed_in(citizen)
    assert client.get(reverse("gather:support_flag", args=[flag.pk])).status_code == 405


def test_comments_and_replies_through_the_pages(client, signed_in, citizen):
    flag = raise_flag()
    signed_in(citizen)
    response = client.post(
        reverse("gather:add_comment", args=[flag.pk]), {"stance": "for", "body": "**Agree**"}
    )
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    response = client.post(
        reverse("gather:add_comment", args=[flag.pk]) + f"?reply_to={comment.pk}",
        {"body": "Me too"},
    )
    assert Comment.objects.get(parent=comment).body == "Me too"
    response = client.post(
        reverse("gather:add_comment", args=[flag.pk]), {"stance": "for", "body": ""}
    )
    assert "Enter your comment" in response.content.decode()
    content = client.get(flag.get_absolute_url()).content.decode()
    assert "<strong>Agree</strong>" in content and "A point for" in content


@pytest.mark.parametrize(
    "name, roles, allowed",
    [
        ("gather:merge_flag", ("curator",), True),
        ("gather:merge_flag", ("moderator",), False),
        ("gather:write_roundup", ("curator",), True),
        ("gather:write_roundup", (), False),
        ("gather:put_forward", ("curator",), True),
        ("gather:put_forward", ("review_panel",), False),
        ("gather:review_flag", ("review_panel",), True),
        ("gather:review_flag", ("curator",), False),
    ],
)
def test_staff_pages_are_for_their_role_only(client, signed_in, name, roles, allowed):
    flag = raise_flag()
    signed_in(make_user(next_email(), roles=roles))
    assert client.get(reverse(name, args=[flag.pk])).status_code == (200 if allowed else 403)


def test_a_curator_merges_and_writes_a_roundup_through_the_pages(client, signed_in):
    source, target = raise_flag(title="A one"), raise_flag(title="B one")
    signed_in(make_user(next_email(), roles=("curator",)))
    response = client.post(
        reverse("gather:merge_flag", args=[source.pk]), {"target": 99999, "reason": "x"}
    )
    assert "There is no flag with that number" in response.content.decode()
    response = client.post(
        reverse("gather:merge_flag", args=[source.pk]),
        {"target": target.pk, "reason": "Same change"},
    )
    assert response["Location"] == target.get_absolute_url()
    response = client.post(
        reverse("gather:write_roundup", args=[target.pk]),
        {"change_needed": "A", "action": "B", "who_should_act": "NHS England"},
    )
    assert response["Location"] == target.get_absolute_url()
    assert "Roundup" in client.get(target.get_absolute_url()).content.decode()


def test_the_review_panel_refers_a_flag_and_the_responder_answers(client, signed_in):
    flag = raise_flag()
    services.check_put_forward(
        curator=make_user(next_email(), roles=("curator",)), flag=flag, reason="x"
    )
    icb = Organisation.objects.get(type="icb", code="QWO")
    signed_in(make_user(next_email(), roles=("review_panel",)))
    response = client.post(
        reverse("gather:review_flag", args=[flag.pk]),
        {"is_national": "no", "within_remit": "no", "decision": "refer", "reasons": "Local"},
    )
    assert "Select the body that must answer" in response.content.decode()
    client.post(
        reverse("gather:review_flag", args=[flag.pk]),
        {
            "is_national": "no",
            "within_remit": "no",
            "decision": "refer",
            "organisation": icb.pk,
            "reasons": "Local",
        },
    )
    referral = Referral.objects.get(flag=flag)
    responder = responder_for(icb)
    signed_in(responder)
    assert flag.title in client.get(reverse("gather:referral_queue")).content.decode()
    response = client.post(
        reverse("gather:respond", args=[referral.pk]),
        {"outcome": "will_act", "reasons": "We will do it"},
    )
    # "We will act" goes straight on to adding the commitment.
    referral.refresh_from_db()
    assert response["Location"] == (
        reverse("tracker:add_answer_commitment", args=[referral.response.pk]) + "?after=answer"
    )
    flag.refresh_from_db()
    assert flag.status == FlagStatus.ANSWERED
    assert "has answered: we will act" in client.get(flag.get_absolute_url()).content.decode()


def test_a_responder_for_another_body_cannot_open_the_answer_page(client, signed_in):
    flag = _referred(raise_flag())
    referral = Referral.objects.get(flag=flag)
    signed_in(responder_for(Organisation.objects.get(type="icb", code="QMJ")))
    assert client.get(reverse("gather:respond", args=[referral.pk])).status_code == 403
    assert (
        client.post(
            reverse("gather:respond", args=[referral.pk]), {"outcome": "will_act", "reasons": "x"}
        ).status_code
        == 403
    )
    assert flag.title not in client.get(reverse("gather:referral_queue")).content.decode()


def test_people_like_you_shows_public_supporters_only(client, citizen):
    flag = raise_flag(topic="dentistry")
    other = raise_flag(title="Dentists in Leeds", topic="dentistry")
    services.do_support_flag(user=citizen, flag=other)
    content = client.get(reverse("gather:people", args=[flag.pk])).content.decode()
    assert "Chris Citizen" in content


def test_hidden_content_shows_only_a_placeholder_with_the_reason(client):
    from django.utils import timezone

    flag = raise_flag()
    comment = services.check_add_comment(user=flag.raised_by, flag=flag, body="Rude words here")
    evidence = services.check_add_evidence(
        user=flag.raised_by, flag=flag, title="Secret leaflet", url="https://example.org/x"
    )
    now = timezone.now()
    Comment.objects.filter(pk=comment.pk).update(hidden_at=now, hidden_reason="A personal attack")
    type(evidence).objects.filter(pk=evidence.pk).update(
        hidden_at=now, hidden_reason="Personal details"
    )
    content = client.get(flag.get_absolute_url()).content.decode()
    assert "Rude words here" not in content and "Secret leaflet" not in content
    assert "hidden by a moderator because: A personal attack" in content
    assert "hidden by a moderator because: Personal details" in content
    Flag.objects.filter(pk=flag.pk).update(hidden_at=now, hidden_reason="An advert")
    content = client.get(flag.get_absolute_url()).content.decode()
    assert flag.title not in content and "An advert" in content


def test_the_open_data_has_every_flag_with_its_decisions_and_answers_but_no_email(client):
    import json

    flag = raise_flag()
    services.check_put_forward(
        curator=make_user(next_email(), roles=("curator",)), flag=flag, reason="x"
    )
    icb = Organisation.objects.get(type="icb", code="QWO")
    review.check_record_decision(
        reviewer=make_user(next_email(), roles=("review_panel",)),
        flag=flag,
        decision="refer",
        is_national=False,
        within_remit=False,
        reasons="Local",
        organisation=icb,
    )
    response = client.get(reverse("gather:flags_json"))
    body = b"".join(response.streaming_content).decode()
    data = json.loads(body)
    row = data["flags"][0]
    assert row["title"] == flag.title and row["supporters"] == 1
    assert row["review_decisions"][0]["reasons"] == "Local"
    assert (
        row["referrals"][0]["organisation"] == icb.name and row["referrals"][0]["response"] is None
    )
    assert "@example.com" not in body


@pytest.mark.django_db
def test_a_flag_with_one_supporter_says_one_person_supports_it(client):
    flag = raise_flag()
    assert flag.support_count == 1
    page = client.get(flag.get_absolute_url()).content.decode()
    assert "<strong>1 person</strong> supports this flag" in page
    assert "1 person</strong> support this" not in page


@pytest.mark.django_db
def test_a_title_too_long_gets_an_error_written_for_it_not_built_from_the_question(
    client, signed_in, citizen
):
    signed_in(citizen)
    response = client.post(
        reverse("gather:raise_flag"), {"title": "x" * 121, "what_should_change": ""}
    )
    content = response.content.decode()
    assert "Enter what your flag is about in 120 characters or fewer" in content
    assert "Enter what should change" in content
    assert "must be 120 characters" not in content
    assert 'href="#id_title"' in content and 'href="#id_what_should_change"' in content


def test_the_flag_page_credits_the_review_panel_never_the_member(client):
    reviewer = make_user(next_email(), display_name="Priya Reviewer", roles=("review_panel",))
    flag = _referred(raise_flag(), reviewer=reviewer)
    page = client.get(flag.get_absolute_url()).content.decode()
    assert "by NHS England&#39;s review panel" in page or "by NHS England's review panel" in page
    assert "Priya Reviewer" not in page
