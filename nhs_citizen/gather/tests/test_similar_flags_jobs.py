"""Similar flags are found by a background job and stored; pages only read them. The web
request never loads the sentence model."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.core import embeddings
from nhs_citizen.gather.models import DraftSearch, Flag, FlagPeople, SimilarFlag
from nhs_citizen.gather.services import flags as services
from nhs_citizen.gather.services import similar
from nhs_citizen.gather.tests.factories import next_email, raise_flag
from nhs_citizen.moderation.services import check_hide, check_restore

pytestmark = pytest.mark.django_db

GP = ("GP appointments are impossible to get", "Make it easier to see a GP.")
FAMILY_DOCTOR = ("I can never see my family doctor", "Let people book their doctor ahead.")
PARKING = ("Hospital car parking charges are too high", "Parking should be free for patients.")


@pytest.fixture
def no_model_in_requests(monkeypatch):
    """Fails the test if anything asks the sentence model for a vector."""

    def refuse(texts):
        raise AssertionError("The sentence model was called")

    monkeypatch.setattr(embeddings, "embed", refuse)


@pytest.fixture
def three_flags(run_jobs):
    with run_jobs():
        gp = raise_flag(title=GP[0], what=GP[1])
    with run_jobs():
        doctor = raise_flag(title=FAMILY_DOCTOR[0], what=FAMILY_DOCTOR[1])
    with run_jobs():
        parking = raise_flag(title=PARKING[0], what=PARKING[1], topic="hospital-care")
    return gp, doctor, parking


def _links(flag):
    return list(SimilarFlag.objects.filter(flag=flag).values_list("similar_id", flat=True))


def test_it_stores_similar_flags_both_ways_when_a_flag_is_raised(three_flags):
    gp, doctor, parking = three_flags
    assert _links(doctor)[0] == gp.pk
    assert doctor.pk in _links(gp), "the older flag learns of the newer one too"
    assert parking.pk not in _links(gp)
    for flag in three_flags:
        flag.refresh_from_db()
        assert flag.embedding and flag.similar_found_at


def test_the_job_can_run_twice_with_the_same_result(three_flags):
    gp, doctor, _ = three_flags
    before = list(SimilarFlag.objects.order_by("pk").values_list("flag", "similar", "score"))
    similar.do_find_similar_flags(doctor.pk)
    after = list(SimilarFlag.objects.order_by("pk").values_list("flag", "similar", "score"))
    assert sorted(before) == sorted(after)


def test_the_flag_page_and_the_merge_page_read_the_stored_flags_without_the_model(
    client, signed_in, three_flags, no_model_in_requests
):
    gp, doctor, _ = three_flags
    content = client.get(doctor.get_absolute_url()).content.decode()
    assert "Flags like this one" in content and GP[0] in content
    signed_in(make_user(next_email("curator"), roles=("curator",)))
    content = client.get(reverse("gather:merge_flag", args=[doctor.pk])).content.decode()
    assert f"Flag {gp.pk}: " in content


def test_a_hidden_flag_leaves_every_list_and_returns_when_put_back(three_flags, run_jobs, client):
    gp, doctor, _ = three_flags
    moderator = make_user(next_email("moderator"), roles=("moderator",))
    with run_jobs():
        check_hide(moderator=moderator, kind="flag", object_id=gp.pk, reason="Breaks the rules")
    assert not SimilarFlag.objects.filter(similar=gp).exists()
    assert not SimilarFlag.objects.filter(flag=gp).exists()
    assert GP[0] not in client.get(doctor.get_absolute_url()).content.decode()
    with run_jobs():
        check_restore(moderator=moderator, kind="flag", object_id=gp.pk, reason="On appeal")
    assert _links(doctor)[0] == gp.pk
    assert doctor.pk in _links(gp)


def test_a_merged_flag_leaves_every_list(three_flags, run_jobs):
    gp, doctor, _ = three_flags
    curator = make_user(next_email("curator"), roles=("curator",))
    with run_jobs():
        services.check_merge_flags(curator=curator, source=doctor, target=gp, reason="The same")
    assert not SimilarFlag.objects.filter(similar=doctor).exists()
    assert not SimilarFlag.objects.filter(flag=doctor).exists()


def test_pages_leave_out_a_similar_flag_hidden_before_any_job_ran(three_flags, client):
    gp, doctor, _ = three_flags
    from django.utils import timezone

    Flag.objects.filter(pk=gp.pk).update(hidden_at=timezone.now(), hidden_reason="x")
    assert similar.similar_flags_for(doctor) == []
    assert GP[0] not in client.get(doctor.get_absolute_url()).content.decode()


def test_the_backstop_command_embeds_and_finds_what_the_jobs_missed():
    gp = raise_flag(title=GP[0], what=GP[1])  # no jobs run: nothing committed
    doctor = raise_flag(title=FAMILY_DOCTOR[0], what=FAMILY_DOCTOR[1])
    assert Flag.objects.filter(embedding__isnull=True).count() == 2
    call_command("find_similar_flags", stdout=open("/dev/null", "w"))
    assert Flag.objects.filter(embedding__isnull=True).count() == 0
    assert _links(doctor) == [gp.pk]
    first = list(SimilarFlag.objects.values_list("pk", flat=True))
    call_command("find_similar_flags", stdout=open("/dev/null", "w"))
    assert list(SimilarFlag.objects.values_list("pk", flat=True)) == first, "nothing left to do"
    call_command("find_similar_flags", "--all", "--rebuild", stdout=open("/dev/null", "w"))
    assert _links(doctor) == [gp.pk]


# Flags like yours, while raising a flag -----------------------------------------------------------
def _start(client, citizen, signed_in):
    signed_in(citizen)
    url = reverse("gather:raise_flag")
    client.post(url, {"title": FAMILY_DOCTOR[0], "what_should_change": FAMILY_DOCTOR[1]})
    return url + "?step=similar"


def test_while_the_job_runs_the_page_looks_again_and_can_be_skipped(
    client, citizen, signed_in, settings, three_flags, no_model_in_requests
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    url = _start(client, citizen, signed_in)
    content = client.get(url).content.decode()
    assert "Looking for flags like yours" in content
    assert "window.location.reload()" in content and "Check again" in content
    assert "?step=details" in content
    assert DraftSearch.objects.get(user=citizen).found_at is None, "queued, for a worker"


def test_when_the_job_has_run_the_page_shows_the_flags_it_found(
    client, citizen, signed_in, three_flags
):
    url = _start(client, citizen, signed_in)
    content = client.get(url).content.decode()
    assert "window.location.reload()" not in content
    assert GP[0] in content and PARKING[0] not in content


def test_if_no_job_answers_within_a_minute_the_page_stops_waiting(
    client, citizen, signed_in, settings
):
    from datetime import timedelta

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    url = _start(client, citizen, signed_in)
    DraftSearch.objects.update(
        created_at=DraftSearch.objects.get().created_at - timedelta(minutes=2)
    )
    content = client.get(url).content.decode()
    assert "window.location.reload()" not in content
    assert "We could not check for flags like yours just now" in content
    assert "Continue with my flag" in content


def test_someone_else_cannot_read_a_draft_search(client, citizen, signed_in, three_flags):
    _start(client, citizen, signed_in)
    draft = DraftSearch.objects.get(user=citizen)
    other = make_user(next_email("other"))
    signed_in(other)
    session = client.session
    session["gather.raise_flag_draft"] = {
        "title": "x",
        "what_should_change": "y",
        "search": draft.key,
    }
    session.save()
    content = client.get(reverse("gather:raise_flag") + "?step=similar").content.decode()
    assert GP[0] not in content


# People who care about this ------------------------------------------------------------------------
def test_the_people_page_shows_lists_a_job_made_and_a_page_of_supporters(
    client, three_flags, monkeypatch
):
    from nhs_citizen.gather.views import flag_views

    gp, doctor, parking = three_flags
    fans = [make_user(next_email("fan"), display_name=f"Fan {i}") for i in range(3)]
    for fan in fans:
        services.do_support_flag(user=fan, flag=gp)
    other = make_user(next_email("other"), display_name="Oli Other")
    services.do_support_flag(user=other, flag=doctor)
    monkeypatch.setattr(flag_views, "SUPPORTERS_PER_PAGE", 2)
    response = client.get(reverse("gather:people", args=[gp.pk]))
    content = response.content.decode()
    assert FlagPeople.objects.get(flag=gp).found_at is not None
    assert "Oli Other" in content, "supports another flag on the same topic"
    assert "Fan 2, Fan 1" in content and "Fan 0" not in content
    assert response.context["pagination"]["next"]["href"].startswith("?after=")
    content = client.get(
        reverse("gather:people", args=[gp.pk]) + response.context["pagination"]["next"]["href"]
    ).content.decode()
    assert "Fan 0" in content and "Fan 2" not in content


def test_the_people_lists_are_not_made_again_on_every_view(client, three_flags, settings):
    gp, _, _ = three_flags
    client.get(reverse("gather:people", args=[gp.pk]))
    found = FlagPeople.objects.get(flag=gp).found_at
    client.get(reverse("gather:people", args=[gp.pk]))
    assert FlagPeople.objects.get(flag=gp).found_at == found
