import json

import pytest
from django.urls import Resolver404, resolve
from django.utils import timezone

from nhs_citizen.assembly import timetable
from nhs_citizen.assembly.models import Ballot, Cycle, Stage
from nhs_citizen.assembly.services import jury as jury_services
from nhs_citizen.assembly.services import vote as vote_services
from nhs_citizen.assembly.tests.factories import (
    DAY,
    at,
    close_vote,
    cut_off,
    during_vote,
    jury_panel,
    make_cycle,
    open_vote,
    secretariat,
    shortlisted_flag,
    voter,
)
from nhs_citizen.conftest import make_user

pytestmark = pytest.mark.django_db


# Dates close to the real clock: signed-in sessions expire if a test travels too far from it.


@pytest.fixture
def cycle():
    return make_cycle("Spring 2027", timezone.now() + DAY)


@pytest.fixture
def voting():
    """The vote is open now (it opened a day ago)."""
    cycle = make_cycle("Spring 2027", timezone.now() - 2 * DAY)
    for n in range(12):
        shortlisted_flag(f"Flag number {n}", cycle.flag_cutoff - (20 - n) * DAY)
    cut_off(cycle)
    return open_vote(cycle)


def _text(response) -> str:
    return response.content.decode()


# Public pages ------------------------------------------------------------------------------------


def test_the_index_says_when_there_is_no_cycle_and_links_to_the_explainer(client):
    page = _text(client.get("/assembly/"))
    assert "There is no Assembly cycle at the moment" in page
    assert 'href="/assembly/how-it-works/"' in page
    assert 'href="/assembly/calendar.ics"' in page
    assert page.count("<h1") == 1


def test_the_index_shows_the_current_cycle_where_it_stands_and_its_timeline(client, cycle):
    finished = make_cycle("Autumn 2026", timezone.now() + 2 * DAY)
    Cycle.objects.filter(pk=finished.pk).update(stage=Stage.STOCK_TAKE)
    page = _text(client.get("/assembly/"))
    assert "The current cycle: Spring 2027" in page
    assert "Spring 2027 is taking flags." in page
    assert "What happens next:" in page
    assert "Timeline of Spring 2027" in page
    assert "Priority vote opens" in page
    assert 'href="/assembly/past/"' in page
    past = _text(client.get("/assembly/past/"))
    assert "Autumn 2026" in past and "Spring 2027" not in past


def test_a_cycle_page_before_the_cut_off_shows_the_flags_shortlisted_so_far(client, cycle):
    shortlisted_flag("Free hospital parking for carers", cycle.flag_cutoff - DAY)
    page = _text(client.get(f"/assembly/{cycle.slug}/"))
    assert "Shortlisted so far" in page
    assert "Free hospital parking for carers" in page
    assert "Every decision in this cycle" in page
    assert "<strong>The secretariat</strong>" in page


def test_a_cycle_page_lists_flags_shortlisted_after_the_cut_off(client, cycle):
    shortlisted_flag("In time", cycle.flag_cutoff - DAY)
    shortlisted_flag("Too late", cycle.flag_cutoff + DAY)
    cut_off(cycle)
    page = _text(client.get(f"/assembly/{cycle.slug}/"))
    assert "Shortlisted after the cut-off: these go to the next cycle" in page
    later = page.split("Shortlisted after the cut-off")[1]
    assert "Too late" in later and "In time" not in later
    assert "waiting for the next cycle to be set up" in later


def test_after_the_vote_the_page_shows_scores_the_recount_and_the_jurys_reasons(
    client, voting, django_assert_max_num_queries
):
    entries = list(voting.entries.order_by("shortlisted_at"))
    with during_vote(voting):
        vote_services.check_cast_ballot(
            cycle=voting, voter=voter(voting.flag_cutoff - DAY), entries=entries[:3]
        )
    close_vote(voting)
    person = secretariat()
    jury_services.do_link_jury_panel(cycle=voting, panel=jury_panel(), by=person)
    to_jury = list(voting.entries.filter(to_jury=True).order_by("place"))
    with at(timetable.start_of_day(voting.jury_date)):
        jury_services.check_record_jury_choices(
            cycle=voting,
            choices={e.pk: (i < 5, f"Reason {i}") for i, e in enumerate(to_jury)},
            by=person,
        )
    with django_assert_max_num_queries(20):
        page = _text(client.get(f"/assembly/{voting.slug}/"))
    assert "Recounted from the audit log: matches." in page
    assert "How ties are broken:" in page
    assert "1 person voted" in page
    assert "Chosen for the Assembly Meeting" in page and "Reason 0" in page and "Reason 9" in page
    assert "<strong>The citizens&#39; jury</strong>" in page
    response = client.get(f"/assembly/{voting.slug}/results.json")
    assert response.streaming
    data = json.loads(b"".join(response.streaming_content))
    assert data["voters"] == 1
    assert [r["place"] for r in data["results"]] == list(range(1, 13))
    assert sum(r["votes"] for r in data["results"]) == 3
    assert data["results"][0]["jury_reasons"] == "Reason 0"


def test_other_pages_under_assembly_are_never_taken_for_a_cycle():
    for path in ("/assembly/panels-commissioned/", "/assembly/past/", "/assembly/new/"):
        try:
            match = resolve(path)
        except Resolver404:
            continue
        assert match.url_name != "cycle_detail", path


# The vote ---------------------------------------------------------------------------------------


def test_a_visitor_is_asked_to_sign_in_to_vote(client, voting):
    with during_vote(voting):
        page = _text(client.get(f"/assembly/{voting.slug}/vote/"))
        assert "Sign in to vote" in page
        response = client.post(f"/assembly/{voting.slug}/vote/", {"entries": []})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_ineligible_person_is_told_why(client, signed_in, voting):
    late = voter(voting.flag_cutoff + DAY)
    signed_in(late)
    with during_vote(voting):
        page = _text(client.get(f"/assembly/{voting.slug}/vote/"))
        response = client.post(
            f"/assembly/{voting.slug}/vote/", {"entries": [voting.entries.first().pk]}
        )
    assert "You cannot vote in this priority vote" in page
    assert "You created your account on" in page
    assert "<title>You cannot vote in Spring 2027" in page
    assert "Send my vote" not in page
    assert response.status_code == 200
    assert not Ballot.objects.exists()


def test_a_voter_votes_sees_their_choice_and_changes_it(client, signed_in, voting):
    person = voter(voting.flag_cutoff - DAY)
    signed_in(person)
    entries = list(voting.entries.order_by("shortlisted_at"))
    url = f"/assembly/{voting.slug}/vote/"
    with during_vote(voting):
        assert "Choose up to 5 flags" in _text(client.get(url))
        response = client.post(url, {"entries": [e.pk for e in entries[:6]]})
        assert "Choose up to 5 flags. You chose 6" in _text(response)
        assert _text(response).count("<title>Error: ") == 1
        # The ballot comes back whole, with every flag's title and the choices ticked.
        assert "Flag number 1" in _text(response) and "Send my vote" in _text(response)
        assert _text(response).count("checked") == 6
        response = client.post(url, {"entries": [e.pk for e in entries[:2]]}, follow=True)
        page = _text(response)
        assert "Your vote has been saved." in page
        assert "You chose:" in page and "Flag number 1" in page
        assert "Change my vote" in page
        response = client.post(url, {"entries": [entries[5].pk]}, follow=True)
        assert "Your vote has been changed." in _text(response)
    ballot = Ballot.objects.get(voter=person)
    assert ballot.version == 2 and list(ballot.entries.all()) == [entries[5]]


# The secretariat's pages ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["new/", "{slug}/manage/", "{slug}/change/", "{slug}/jury/"])
def test_only_the_secretariat_can_use_the_staff_pages(client, signed_in, cycle, path):
    url = "/assembly/" + path.format(slug=cycle.slug)
    assert client.get(url).status_code == 403
    signed_in(make_user("citizen@example.com"))
    assert client.get(url).status_code == 403
    assert client.post(f"/assembly/{cycle.slug}/move-on/", {"stage": "planned"}).status_code == 403
    client.logout()
    signed_in(secretariat())
    assert client.get(url).status_code == 200


def _form(name="Autumn 2027", cutoff=None, **changes):
    cutoff = cutoff or timezone.localtime(timezone.now() + 10 * DAY)
    data = {
        "name": name,
        "flag_cutoff_date": f"{cutoff:%d %m %Y}",
        "flag_cutoff_time": "5pm",
        "vote_opens_date": f"{cutoff + DAY:%d/%m/%Y}",
        "vote_opens_time": "09:00",
        "vote_closes_date": f"{cutoff + 8 * DAY:%d %B %Y}",
        "vote_closes_time": "17:00",
        "jury_date": f"{cutoff + 14 * DAY:%Y-%m-%d}",
        "meeting_date": f"{cutoff + 30 * DAY:%d %m %Y}",
        "response_due": f"{cutoff + 60 * DAY:%d %m %Y}",
        "stocktake_date": f"{cutoff + 180 * DAY:%d %m %Y}",
        "max_choices": "5",
    }
    data.update(changes)
    return data


def test_the_secretariat_sets_up_a_cycle_and_is_told_plainly_what_is_wrong(client, signed_in):
    signed_in(secretariat())
    response = client.post(
        "/assembly/new/",
        _form(vote_closes_date="1 1 2020", jury_date="31 2 2027", vote_opens_time="25:00"),
    )
    page = _text(response)
    assert "There is a problem" in page
    assert "The time of when the vote opens must be a real time" in page
    assert "The day the jury meets must be a real date" in page
    response = client.post(
        "/assembly/new/",
        _form(vote_closes_date=_form()["vote_opens_date"], vote_closes_time="08:00"),
    )
    assert "The vote must close after it opens" in _text(response)
    response = client.post("/assembly/new/", _form())
    cycle = Cycle.objects.get(name="Autumn 2027")
    assert response["Location"] == f"/assembly/{cycle.slug}/manage/"
    assert timezone.localtime(cycle.flag_cutoff).hour == 17
    assert timezone.localtime(cycle.vote_opens).hour == 9


def test_the_secretariat_changes_a_cycle_with_reasons(client, signed_in, cycle):
    signed_in(secretariat())
    url = f"/assembly/{cycle.slug}/change/"
    assert 'value="Spring 2027"' in _text(client.get(url))
    local = timezone.localtime(cycle.flag_cutoff)
    data = _form("Spring 2027", local, max_choices="3")
    data["flag_cutoff_time"] = local.strftime("%H:%M")
    data["vote_opens_time"] = timezone.localtime(cycle.vote_opens).strftime("%H:%M")
    data["vote_closes_time"] = timezone.localtime(cycle.vote_closes).strftime("%H:%M")
    assert "Enter why the cycle is changing" in _text(client.post(url, data))
    response = client.post(url, {**data, "reasons": "Shorter ballot"})
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.max_choices == 3
    assert cycle.decisions.filter(kind="cycle_changed", reasons="Shorter ballot").exists()


def test_the_secretariat_moves_the_cycle_on_once_its_time_has_come(client, signed_in, cycle):
    signed_in(secretariat())
    url = f"/assembly/{cycle.slug}/manage/"
    page = _text(client.get(url))
    assert "This happens by itself at the cut-off" in page
    assert "Cut off the flags</button>" not in page.replace("\n", "").replace("  ", "")
    with at(cycle.flag_cutoff + DAY / 2):
        assert "Cut off the flags" in _text(client.get(url))
        response = client.post(
            f"/assembly/{cycle.slug}/move-on/",
            {"stage": "planned", "reasons": "On time"},
            follow=True,
        )
        assert "Done. The flags for this cycle are fixed." in _text(response)
        response = client.post(
            f"/assembly/{cycle.slug}/move-on/", {"stage": "planned"}, follow=True
        )
        assert "has already moved on" in _text(response)
    cycle.refresh_from_db()
    assert cycle.stage == Stage.CUT_OFF
    assert cycle.decisions.get(kind="cut_off").reasons == "On time"


def test_the_secretariat_names_the_jury_and_records_its_choices(client, signed_in, voting):
    close_vote(voting)
    # The jury's choices can be recorded from the day the jury meets (the timetable).
    with at(timetable.start_of_day(voting.jury_date)):
        signed_in(secretariat())
        panel = jury_panel()
        url = f"/assembly/{voting.slug}/jury/"
        page = _text(client.get(url))
        assert "Name the jury panel, and draw it, before recording its choices" in page
        response = client.post(url, {"panel": panel.pk, "save_panel": "1"})
        assert response.status_code == 302
        entries = list(voting.entries.filter(to_jury=True).order_by("place"))
        data = {"save_choices": "1"}
        for i, entry in enumerate(entries):
            data[f"chosen_{entry.pk}"] = "yes" if i < 4 else "no"
            data[f"reasons_{entry.pk}"] = f"Reason {i}"
        data[f"reasons_{entries[0].pk}"] = ""
        page = _text(client.post(url, data))
        assert "Enter the jury&#39;s reasons for number 1" in page
        data[f"reasons_{entries[0].pk}"] = "Reason 0"
        page = _text(client.post(url, data))
        assert "The jury chooses exactly 5 flags. You marked 4 as chosen" in page
        data[f"chosen_{entries[4].pk}"] = "yes"
        response = client.post(url, data)
        assert response["Location"] == f"/assembly/{voting.slug}/"
        voting.refresh_from_db()
        assert voting.stage == Stage.JURY
