"""Loading the measures from Gather and the tracker: the counts, time boundaries, the filters and
the number of queries."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from nhs_citizen.core.models import OrganisationType
from nhs_citizen.culture.services.measures import Filters, Period, league_row, league_table
from nhs_citizen.culture.tests.factories import Maker, at, body
from nhs_citizen.gather.models import Outcome, Referral
from nhs_citizen.tracker.models import Commitment, CommitmentStatus

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 3, 10)


def now(day=TODAY, hour=12, minute=0):
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def make(db):
    return Maker()


def by_name(rows):
    return {row.measures.body.name: row.measures for row in rows}


@time_machine.travel(now(), tick=False)
def test_it_counts_answers_on_time_late_passed_on_waiting_and_overdue(make):
    trust = body("Riverside Trust")
    sent = at(TODAY - dt.timedelta(days=40))
    make.referral(
        trust,
        sent=sent,
        due=TODAY - dt.timedelta(days=20),
        answered=at(TODAY - dt.timedelta(days=25)),
    )
    make.referral(
        trust,
        sent=sent,
        due=TODAY - dt.timedelta(days=20),
        answered=at(TODAY - dt.timedelta(days=20)),
    )
    make.referral(
        trust,
        sent=sent,
        due=TODAY - dt.timedelta(days=20),
        answered=at(TODAY - dt.timedelta(days=19)),
    )
    make.referral(
        trust,
        sent=sent,
        due=TODAY - dt.timedelta(days=20),
        answered=at(TODAY - dt.timedelta(days=30)),
        outcome=Outcome.NOT_OURS,
    )
    make.referral(trust, sent=at(TODAY), due=TODAY + dt.timedelta(days=28))
    make.referral(trust, sent=sent, due=TODAY - dt.timedelta(days=1))

    m = by_name(league_table())["Riverside Trust"]

    r = m.referrals
    assert (r.received, r.answered, r.answered_on_time, r.waiting, r.overdue) == (6, 4, 3, 2, 1)
    assert m.answers_due == 5
    assert (m.answered_on_time.part, m.answered_on_time.whole) == (3, 5)


@time_machine.travel(now(), tick=False)
def test_it_counts_commitments_kept_not_done_open_and_overdue(make):
    icb = body("Hilltop ICB", OrganisationType.ICB)
    make.commitment(icb, due=TODAY - dt.timedelta(days=5), status=CommitmentStatus.DONE)
    make.commitment(icb, due=TODAY + dt.timedelta(days=5), status=CommitmentStatus.DONE)
    make.commitment(icb, due=TODAY - dt.timedelta(days=5), status=CommitmentStatus.NOT_DONE)
    make.commitment(icb, due=TODAY + dt.timedelta(days=5), status=CommitmentStatus.IN_PROGRESS)
    make.commitment(icb, due=TODAY - dt.timedelta(days=1), status=CommitmentStatus.NOT_STARTED)

    m = by_name(league_table())["Hilltop ICB"]

    c = m.commitments
    assert (c.made, c.kept, c.not_done, c.open, c.overdue) == (5, 2, 1, 2, 1)
    assert m.commitments_due == 4
    assert m.commitments_kept.percent == 50
    assert m.referrals.received == 0 and m.answered_on_time.percent is None


@time_machine.travel(now(), tick=False)
def test_overdue_counts_agree_with_the_gather_and_tracker_querysets(make):
    for name in ("One", "Two"):
        organisation = body(name)
        make.referral(
            organisation, sent=at(TODAY - dt.timedelta(days=30)), due=TODAY - dt.timedelta(days=2)
        )
        make.referral(organisation, sent=at(TODAY), due=TODAY)
        make.commitment(organisation, due=TODAY - dt.timedelta(days=1))
        make.commitment(organisation, due=TODAY)
    rows = league_table()
    assert sum(row.measures.referrals.overdue for row in rows) == Referral.objects.overdue().count()
    assert sum(row.measures.commitments.overdue for row in rows) == (
        Commitment.objects.overdue().count()
    )
    assert Referral.objects.overdue().count() == 2


def test_an_answer_due_today_is_not_due_until_tomorrow(make):
    trust = body("Riverside Trust")
    with time_machine.travel(now(hour=9), tick=False):
        make.referral(trust, sent=at(TODAY - dt.timedelta(days=28)), due=TODAY)
        make.commitment(trust, due=TODAY)
    with time_machine.travel(now(hour=23, minute=59), tick=False):
        m = by_name(league_table())["Riverside Trust"]
        assert (m.referrals.overdue, m.answers_due, m.commitments.overdue) == (0, 0, 0)
        assert not m.is_ranked
    with time_machine.travel(now(TODAY + dt.timedelta(days=1), hour=0, minute=1), tick=False):
        m = by_name(league_table())["Riverside Trust"]
        assert (m.referrals.overdue, m.answers_due, m.commitments.overdue) == (1, 1, 1)
        assert m.answered_on_time.percent == 0


@time_machine.travel(now(dt.date(2026, 6, 20)), tick=False)
def test_days_to_answer_count_uk_calendar_days(make):
    trust = body("Riverside Trust")
    # 23:30 and 00:30 in summer time are the same day in UTC, but not in the UK.
    make.referral(
        trust,
        sent=at(dt.date(2026, 6, 1), 23, 30),
        due=dt.date(2026, 6, 29),
        answered=at(dt.date(2026, 6, 2), 0, 30),
    )
    make.referral(
        trust,
        sent=at(dt.date(2026, 6, 1), 9),
        due=dt.date(2026, 6, 29),
        answered=at(dt.date(2026, 6, 11), 17),
    )
    m = by_name(league_table())["Riverside Trust"]
    assert dict(m.days_to_answer) == {1: 1, 10: 1}
    assert m.median_days_to_answer == 5.5


@time_machine.travel(now(dt.date(2026, 6, 20)), tick=False)
def test_answers_the_same_day_take_no_days(make):
    trust = body("Riverside Trust")
    for _ in range(3):
        make.referral(
            trust,
            sent=at(dt.date(2026, 6, 1), 8),
            due=dt.date(2026, 6, 29),
            answered=at(dt.date(2026, 6, 1), 18),
        )
    m = by_name(league_table())["Riverside Trust"]
    assert dict(m.days_to_answer) == {0: 3}
    assert m.median_days_to_answer == 0


@time_machine.travel(now(), tick=False)
def test_the_last_12_months_start_at_midnight_on_the_same_date_last_year(make):
    trust = body("Riverside Trust")
    first_day = dt.date(2025, 3, 10)
    make.referral(trust, sent=at(first_day, 0, 0), due=first_day + dt.timedelta(days=28))
    make.referral(
        trust,
        sent=at(first_day - dt.timedelta(days=1), 23, 59),
        due=first_day + dt.timedelta(days=27),
    )
    make.commitment(trust, due=TODAY, made=at(first_day, 0, 0))
    make.commitment(trust, due=TODAY, made=at(first_day - dt.timedelta(days=1), 23, 59))

    recent = by_name(league_table(Filters(period=Period.LAST_12_MONTHS)))["Riverside Trust"]
    everything = by_name(league_table(Filters(period=Period.ALL_TIME)))["Riverside Trust"]

    assert (recent.referrals.received, recent.commitments.made) == (1, 1)
    assert (everything.referrals.received, everything.commitments.made) == (2, 2)


@time_machine.travel(now(), tick=False)
def test_a_body_with_nothing_in_the_period_is_left_out(make):
    make.referral(body("Old Trust"), sent=at(dt.date(2024, 1, 1)), due=dt.date(2024, 2, 1))
    assert by_name(league_table(Filters(period=Period.LAST_12_MONTHS))) == {}
    assert "Old Trust" in by_name(league_table())


def test_a_year_before_29_february_is_28_february():
    since = Filters(period=Period.LAST_12_MONTHS).since(dt.date(2028, 2, 29))
    assert since.astimezone(LONDON).date() == dt.date(2027, 2, 28)
    assert Filters().since(dt.date(2028, 2, 29)) is None


@time_machine.travel(now(), tick=False)
def test_it_filters_by_kind_of_body(make):
    make.referral(body("Hilltop ICB", OrganisationType.ICB), sent=at(TODAY), due=TODAY)
    make.commitment(body("Riverside Trust"), due=TODAY)
    icbs = by_name(league_table(Filters(kind=OrganisationType.ICB)))
    trusts = by_name(league_table(Filters(kind=OrganisationType.NHS_TRUST)))
    assert set(icbs) == {"Hilltop ICB"}
    assert set(trusts) == {"Riverside Trust"}


@time_machine.travel(now(), tick=False)
def test_bodies_with_no_referrals_or_commitments_are_not_listed(make):
    body("Quiet Trust")
    make.commitment(body("Busy Trust"), due=TODAY)
    assert set(by_name(league_table())) == {"Busy Trust"}


@time_machine.travel(now(), tick=False)
def test_the_league_table_takes_three_queries_however_many_bodies(
    make, django_assert_max_num_queries
):
    for n in range(25):
        organisation = body(f"Trust {n}")
        make.referral(
            organisation,
            sent=at(TODAY - dt.timedelta(days=30)),
            due=TODAY - dt.timedelta(days=2),
            answered=at(TODAY - dt.timedelta(days=n % 7)),
        )
        make.referral(organisation, sent=at(TODAY), due=TODAY + dt.timedelta(days=20))
        make.commitment(organisation, due=TODAY - dt.timedelta(days=n % 3))
    with django_assert_max_num_queries(3):
        rows = league_table(Filters(period=Period.LAST_12_MONTHS, kind=OrganisationType.NHS_TRUST))
    assert len(rows) == 25


@time_machine.travel(now(), tick=False)
def test_a_body_s_row_gives_its_place_among_every_body(make):
    good, poor = body("Good Trust"), body("Poor Trust")
    make.referral(good, sent=at(TODAY - dt.timedelta(days=9)), due=TODAY, answered=at(TODAY))
    make.referral(poor, sent=at(TODAY - dt.timedelta(days=40)), due=TODAY - dt.timedelta(days=1))
    row, ranked = league_row(poor)
    assert (row.place, ranked) == (2, 2)
    row, _ = league_row(body("New Trust"))
    assert row.place is None and row.measures.referrals.received == 0
