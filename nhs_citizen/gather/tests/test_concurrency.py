"""Supports arriving at the same moment: on SQLite (a file, in WAL mode) and PostgreSQL."""

import threading

import pytest
from django.db import connections

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.core.services.audit import verify_audit_log
from nhs_citizen.gather.models import FlagStatus, Support
from nhs_citizen.gather.services import flags as services
from nhs_citizen.gather.tests.factories import next_email, raise_flag

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(calls):
    """Run the calls in threads released together; return their results and errors."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_20_concurrent_supports_from_one_person_count_once():
    flag = raise_flag()
    person = make_user(next_email())
    results, errors = _at_once([lambda: services.do_support_flag(user=person, flag=flag)] * 20)
    assert errors == []
    assert results.count(True) == 1 and results.count(False) == 19
    flag.refresh_from_db()
    assert Support.objects.filter(flag=flag, user=person).count() == 1
    assert flag.support_count == 2  # the person who raised it, and this person


def test_reaching_the_threshold_together_moves_the_flag_to_review_exactly_once(settings):
    settings.NHS_CITIZEN = {**settings.NHS_CITIZEN, "SUPPORT_THRESHOLD": 10}
    flag = raise_flag()
    people = [make_user(next_email()) for _ in range(20)]
    results, errors = _at_once(
        [(lambda p=p: services.do_support_flag(user=p, flag=flag)) for p in people]
    )
    assert errors == []
    flag.refresh_from_db()
    assert flag.support_count == 21 == Support.objects.filter(flag=flag).count()
    assert flag.status == FlagStatus.IN_REVIEW
    assert AuditEntry.objects.filter(action="gather.flag_reached_threshold").count() == 1
    assert verify_audit_log() == []
