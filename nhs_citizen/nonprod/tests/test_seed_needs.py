"""The demo's communication needs and requests for other formats (seed_needs), on two small
panels with the demo's titles: the full demo load is tested in test_seed_and_personas."""

import pytest
from django.utils import timezone

from nhs_citizen.accounts.models import CommunicationNeeds, FormatRequest
from nhs_citizen.conftest import make_user
from nhs_citizen.nonprod.personas import DEMO_DOMAIN
from nhs_citizen.nonprod.seed_assembly import MEMBERS_TITLE, anchored
from nhs_citizen.nonprod.seed_needs import seed_needs
from nhs_citizen.nonprod.seed_panels import JURY_TITLE
from nhs_citizen.panels.member_needs import member_needs
from nhs_citizen.panels.models import PanelMember
from nhs_citizen.panels.tests import factories as panel_factories

pytestmark = pytest.mark.django_db


def test_seeding_needs_twice_gives_members_with_needs_and_open_and_overdue_requests():
    secretariat = make_user("sec@example.com", roles=("secretariat",))
    make_user(f"citizen@{DEMO_DOMAIN}", display_name="Amira Hussain")
    pool = panel_factories.make_pool(40)
    panels = {}
    for title, size in ((MEMBERS_TITLE, 10), (JURY_TITLE, 5)):
        panel = panel_factories.make_panel(secretariat, pool, title=title)
        taken = PanelMember.objects.values_list("pool_member_id", flat=True)
        for pool_member in pool.members.exclude(pk__in=taken).order_by("pk")[:size]:
            PanelMember.objects.create(panel=panel, pool_member=pool_member, status="confirmed")
        panels[title] = panel
    at = anchored(timezone.localdate())

    assert seed_needs(at) == 8
    assert seed_needs(at) == 0
    assert CommunicationNeeds.objects.count() == 8
    planning = member_needs(panels[MEMBERS_TITLE], secretariat, where="a test")
    assert "2 need a BSL interpreter" in planning.summary
    assert len(planning.rows) == 6
    today = timezone.localdate()
    requests = list(FormatRequest.objects.order_by("requested_at"))
    assert [r.is_done for r in requests] == [True, False, False]
    assert [r.is_overdue(today) for r in requests] == [False, True, False]
