"""Shared test fixtures. Tests build data through the same services the app uses."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache

from nhs_citizen.accounts.models import Role, RoleAssignment, User

pytest_plugins = ["nhs_citizen.tests.browser"]

PASSWORD = "Correct-horse-battery-9"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def pytest_collection_modifyitems(items):
    """Every test that drives a browser is marked, so `-m "not browser"` skips them all."""
    for item in items:
        if (
            "page" in getattr(item, "fixturenames", ())
            or "page_without_javascript" in getattr(item, "fixturenames", ())
            or "browser" in getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True, scope="session")
def _jinja_templates_report_their_context():
    """Django's test client records the context of Django templates only; make Jinja2
    templates report theirs too, so tests can look at ``response.context``."""
    from django.template.backends.jinja2 import Template
    from django.test.signals import template_rendered

    original = Template.render

    def render(self, context=None, request=None):
        template_rendered.send(sender=self, template=self, context=dict(context or {}))
        return original(self, context, request)

    Template.render = render
    yield
    Template.render = original


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and used two-step codes live in the cache.
    cache.clear()
    yield
    cache.clear()


def totp_code(secret: str = TOTP_SECRET) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def make_user(
    email: str = "person@example.com",
    *,
    display_name: str = "Sam Person",
    roles: tuple[str, ...] = (),
    verified: bool = True,
    with_totp: bool | None = None,
    password: str = PASSWORD,
) -> User:
    user = User.objects.create_user(email=email, password=password, display_name=display_name)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role)
    if with_totp is None:
        with_totp = bool(roles)
    if with_totp:
        TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def citizen(db) -> User:
    return make_user("citizen@example.com", display_name="Chris Citizen")


@pytest.fixture
def administrator(db) -> User:
    return make_user("admin@example.com", display_name="Alex Admin", roles=(Role.ADMINISTRATOR,))


@pytest.fixture
def signed_in(client):
    """Sign a user in as a real session would after password and (if set up) two-step code."""

    def sign_in(user: User):
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        return client

    return sign_in


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@pytest.fixture
def back_to_the_latest():
    """For tests that migrate the database back: leave it at the newest migrations afterwards."""
    yield
    from nhs_citizen.tests.migrations import migrate_to_latest

    migrate_to_latest()
