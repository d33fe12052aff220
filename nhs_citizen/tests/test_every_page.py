"""The list of every page (used by the reflow check) keeps up with the URL conf."""

import pytest

from nhs_citizen.tests.every_page import addresses, build_world, missing_arguments, routes

pytestmark = pytest.mark.django_db


def test_every_page_has_its_arguments():
    world = build_world()
    missing = missing_arguments(world)
    assert missing == [], (
        "Add these pages' address parts to page_arguments in nhs_citizen/tests/every_page.py, "
        "so the reflow check sees them: " + ", ".join(f"{r.name} ({r.route})" for r in missing)
    )
    listed = dict(addresses(world))
    assert "tracker:index" in listed and "gather:flag_detail" in listed
    assert len(listed) > len(routes()) - 15


def test_a_new_page_with_address_parts_is_noticed(monkeypatch):
    from nhs_citizen.tests import every_page

    world = build_world()
    original = every_page.page_arguments

    def without_the_stocktake(w):
        return {k: v for k, v in original(w).items() if k != "tracker:stocktake"}

    monkeypatch.setattr(every_page, "page_arguments", without_the_stocktake)
    assert [r.name for r in missing_arguments(world)] == ["tracker:stocktake"]
