import pytest

from nhs_citizen.assembly.tests.factories import secretariat, staff
from nhs_citizen.conftest import make_user

pytestmark = pytest.mark.django_db


def test_only_the_secretariat_runs_cycles():
    assert secretariat().has_perm("assembly.run_cycles")
    assert not staff("administrator").has_perm("assembly.run_cycles")
    assert not make_user("citizen@example.com").has_perm("assembly.run_cycles")


def test_anyone_signed_in_may_try_to_vote():
    from django.contrib.auth.models import AnonymousUser

    assert make_user("citizen@example.com").has_perm("assembly.vote")
    assert not AnonymousUser().has_perm("assembly.vote")
