import pytest

from nhs_citizen.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [
        ((), False),
        (("curator",), False),
        (("administrator",), False),
        (("secretariat",), False),
        (("moderator",), True),
    ],
)
def test_only_moderators_moderate(roles, allowed):
    user = make_user("someone@example.com", roles=roles)
    assert user.has_perm("moderation.moderate") is allowed


def test_visitors_do_not_moderate():
    from django.contrib.auth.models import AnonymousUser

    assert not AnonymousUser().has_perm("moderation.moderate")
