"""Test data for community helpers, built through the services the app uses."""

from __future__ import annotations

import datetime

from django.utils import timezone

from nhs_citizen.assisted.services import Consent, check_add_person
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Organisation
from nhs_citizen.core.services.organisations import check_request_membership, do_verify_membership
from nhs_citizen.gather.tests.factories import next_email


def healthwatch(name="Healthwatch Leeds", slug="healthwatch-leeds") -> Organisation:
    return Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, "type": "healthwatch"}
    )[0]


def helper_for(
    organisation: Organisation, *, verified=True, display_name="Hana Helper", role="member"
):
    user = make_user(next_email("helper"), display_name=display_name)
    membership = check_request_membership(user=user, organisation=organisation, role=role)
    if verified:
        admin = make_user(next_email("admin"), roles=("administrator",))
        do_verify_membership(membership=membership, verified_by=admin)
    return user


def offline_person(helper, organisation, name="Edna Offline", phone="0113 496 0123"):
    return check_add_person(
        helper=helper, organisation=organisation, name=name, contact_by="phone", phone=phone
    )


def consent(**changes) -> Consent:
    values = {
        "given_by": "The person themselves",
        "how": "in_person",
        "on": timezone.localdate() - datetime.timedelta(days=1),
    }
    values.update(changes)
    return Consent(**values)
