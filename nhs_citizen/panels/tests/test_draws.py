import json
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.panels.models import MemberStatus, Panel, PanelStatus, PoolMember
from nhs_citizen.panels.services import draws, quotas
from nhs_citizen.panels.services.pool import volunteer_pool

pytestmark = pytest.mark.django_db


def _pool(n=60, users=0):
    pool = volunteer_pool()
    rows = []
    for i in range(n):
        rows.append(
            PoolMember(
                pool=pool,
                external_id=f"x{i}",
                features={
                    "sex": "female" if i % 2 else "male",
                    "age_band": "16-24" if i % 3 == 0 else "45-54",
                },
                household_hash=f"h{i}",
            )
        )
    PoolMember.objects.bulk_create(rows)
    for i in range(users):
        user = make_user(f"v{i}@example.com", display_name=f"Vol {i}")
        PoolMember.objects.create(
            pool=pool,
            user=user,
            features={"sex": "female", "age_band": "45-54"},
            household_hash=f"u{i}",
        )
    return pool


@pytest.fixture
def secretariat(db):
    return make_user("sec@example.com", display_name="Sam Secretariat", roles=("secretariat",))


def _panel(secretariat, pool, size=10, reserves=4):
    panel = draws.check_create_panel(
        created_by=secretariat,
        purpose="jury",
        title="Spring jury",
        size=size,
        reserves=reserves,
        pool=pool,
    )
    quotas.check_set_quotas(
        panel=panel,
        quotas=[
            ("sex", "female", 4, 6),
            ("sex", "male", 4, 6),
            ("age_band", "16-24", 2, 5),
            ("age_band", "45-54", 5, 8),
        ],
        set_by=secretariat,
    )
    return panel


def _commit(panel, secretariat):
    """Fix the inputs, publish the lottery and commit the seed, three days ago, naming a public
    value known yesterday."""
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        draws.do_freeze_inputs(panel=panel, frozen_by=secretariat)
        draws.do_make_lottery(panel=panel, made_by=secretariat)
        return draws.do_commit_seed(
            panel=panel,
            committed_by=secretariat,
            public_value_name="Lotto on Saturday: the six main balls",
            public_value_date=timezone.localdate() + timedelta(days=2),
        )


def _draw(panel, secretariat):
    draws.do_enter_public_value(panel=panel, entered_by=secretariat, value="1 2 3 4 5 6")
    return draws.do_run_draw(panel=panel, drawn_by=secretariat)


def test_a_full_draw_commits_draws_reveals_and_checks_out(
    secretariat, django_capture_on_commit_callbacks
):
    pool = _pool(60, users=3)
    panel = _panel(secretariat, pool)
    panel = _commit(panel, secretariat)
    assert panel.status == PanelStatus.SEED_COMMITTED and len(panel.seed_hash) == 64
    assert "x1" not in json.dumps(panel.published_inputs)  # pseudonyms only
    assert draws.check_draw(panel) == [
        "The seed has not been revealed yet, so the draw cannot be checked."
    ]
    with django_capture_on_commit_callbacks(execute=True):
        panel = _draw(panel, secretariat)
    assert panel.members.filter(status=MemberStatus.INVITED).count() == 10
    assert panel.members.filter(status=MemberStatus.RESERVE).count() == 4
    assert panel.status == PanelStatus.SEED_REVEALED
    assert draws.check_draw(panel) == []
    actions = list(
        AuditEntry.objects.filter(target_type="panels.panel")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [
        "panels.panel_created",
        "panels.quotas_set",
        "panels.inputs_frozen",
        "panels.lottery_published",
        "panels.seed_committed",
        "panels.public_value_entered",
        "panels.drawn",
    ]
    chosen_users = [
        m.pool_member.user
        for m in panel.members.filter(status=MemberStatus.INVITED)
        if m.pool_member.user
    ]
    assert all(
        u.notifications.filter(subject__startswith="You have been chosen").exists()
        for u in chosen_users
    )


def test_a_tampered_result_fails_the_check(secretariat):
    panel = _panel(secretariat, _pool())
    _commit(panel, secretariat)
    panel = _draw(panel, secretariat)
    result = dict(panel.published_result)
    others = [
        p["id"] for p in panel.published_inputs["people"] if p["id"] not in result["selected"]
    ]
    result["selected"] = result["selected"][:-1] + [others[0]]
    Panel.objects.filter(pk=panel.pk).update(published_result=result)
    panel.refresh_from_db()
    assert draws.check_draw(panel) != []


def test_the_inputs_cannot_be_fixed_when_quotas_cannot_be_met(secretariat):
    panel = draws.check_create_panel(
        created_by=secretariat, purpose="jury", title="J", size=10, reserves=0, pool=_pool()
    )
    quotas.check_set_quotas(
        panel=panel, quotas=[("sex", "female", 8, 10), ("sex", "male", 8, 10)], set_by=secretariat
    )
    with pytest.raises(ValidationError) as error:
        draws.do_freeze_inputs(panel=panel, frozen_by=secretariat)
    assert "cannot all be met" in str(error.value)
    panel.refresh_from_db()
    assert panel.status == PanelStatus.SETTING_UP


def test_a_member_who_declines_is_replaced_by_a_reserve_who_keeps_the_quotas(secretariat):
    panel = _panel(secretariat, _pool(), reserves=12)
    _commit(panel, secretariat)
    panel = _draw(panel, secretariat)
    invited = list(panel.members.filter(status=MemberStatus.INVITED))
    with pytest.raises(ValidationError, match="Only someone who declined"):
        draws.check_replace_member(member=invited[0], replaced_by=secretariat)
    # The seed is random: take someone the reserves can replace.
    member = next(m for m in invited if draws.first_fitting_reserve(m) is not None)
    draws.do_set_member_status(member=member, status=MemberStatus.DECLINED, set_by=secretariat)
    replacement = draws.check_replace_member(member=member, replaced_by=secretariat)
    assert replacement.status == MemberStatus.INVITED and replacement.replaces == member
    seated = panel.members.filter(status__in=[MemberStatus.INVITED, MemberStatus.CONFIRMED])
    female = sum(1 for m in seated if m.pool_member.features["sex"] == "female")
    assert seated.count() == 10 and 4 <= female <= 6


def test_when_no_reserve_keeps_the_quotas_the_secretariat_is_told(secretariat):
    panel = _panel(secretariat, _pool(), reserves=0)
    _commit(panel, secretariat)
    panel = _draw(panel, secretariat)
    member = panel.members.filter(status=MemberStatus.INVITED).first()
    draws.do_set_member_status(member=member, status=MemberStatus.DECLINED, set_by=secretariat)
    with pytest.raises(ValidationError, match="No reserve keeps every quota met"):
        draws.check_replace_member(member=member, replaced_by=secretariat)
    member.refresh_from_db()
    assert member.status == MemberStatus.DECLINED


def test_the_public_pages_and_the_check_page(
    client, secretariat, django_capture_on_commit_callbacks
):
    panel = _panel(secretariat, _pool())
    panel = _commit(panel, secretariat)
    content = client.get(reverse("panels:panel_detail", args=[panel.pk])).content.decode()
    assert panel.seed_hash in content and panel.seed not in content
    # The draw queues the check of itself, which the page then shows.
    with django_capture_on_commit_callbacks(execute=True):
        _draw(panel, secretariat)
    assert (
        "This draw checks out"
        in client.get(reverse("panels:check_draw", args=[panel.pk])).content.decode()
    )
    data = json.loads(client.get(reverse("panels:draw_inputs", args=[panel.pk])).content)
    assert data["seed"] and data["inputs"]["panel_size"] == 10


def test_the_verify_command_recomputes_a_draw_from_the_published_file(secretariat, tmp_path):
    panel = _panel(secretariat, _pool())
    _commit(panel, secretariat)
    _draw(panel, secretariat)
    from django.test import Client

    path = tmp_path / "draw.json"
    path.write_bytes(Client().get(reverse("panels:draw_inputs", args=[panel.pk])).content)
    call_command("verify_draw", str(path))


@pytest.mark.parametrize("roles", [(), ("curator",), ("administrator",)])
def test_only_the_secretariat_runs_draws(client, signed_in, roles, secretariat):
    panel = _panel(secretariat, _pool())
    signed_in(make_user("x@example.com", roles=roles))
    assert client.get(reverse("panels:create_panel")).status_code == 403
    assert client.post(reverse("panels:freeze_inputs", args=[panel.pk])).status_code == 403
    assert client.post(reverse("panels:commit_seed", args=[panel.pk])).status_code == 403
    panel.refresh_from_db()
    assert panel.status == PanelStatus.SETTING_UP


def test_a_volunteer_accepts_their_invitation(client, signed_in, secretariat):
    pool = _pool(40, users=12)
    panel = draws.check_create_panel(
        created_by=secretariat, purpose="jury", title="All of them", size=52, reserves=0, pool=pool
    )
    quotas.check_set_quotas(panel=panel, quotas=[("sex", "female", 0, 52)], set_by=secretariat)
    _commit(panel, secretariat)
    _draw(panel, secretariat)
    user = PoolMember.objects.filter(user__isnull=False).first().user
    signed_in(user)
    content = client.get(reverse("panels:your_answers")).content.decode()
    assert "You have been chosen" in content, content[content.find("<main") :][:3000]
    member = panel.members.get(pool_member__user=user)
    client.post(reverse("panels:respond_to_invitation", args=[member.pk]), {"answer": "accept"})
    member.refresh_from_db()
    assert member.status == MemberStatus.CONFIRMED


def test_people_who_leave_the_pool_after_the_inputs_are_fixed_are_not_invited(client, secretariat):
    pool = _pool()
    panel = _panel(secretariat, pool, reserves=12)
    panel = _commit(panel, secretariat)
    # Half the pool leaves after the commitment: the draw still uses the fixed inputs.
    leaving = list(pool.members.order_by("pk").values_list("pk", flat=True)[::2])
    PoolMember.objects.filter(pk__in=leaving).update(
        withdrawn_at=timezone.now(), features={}, household_hash=""
    )
    assert draws.left_since_inputs_fixed(panel) == 30
    client.force_login(secretariat)
    page = client.get(reverse("panels:manage_panel", args=[panel.pk]))
    assert "30 people have left the pool since the inputs were fixed" in page.content.decode()

    panel = _draw(panel, secretariat)

    chosen = panel.members.exclude(status=MemberStatus.RESERVE)
    assert chosen.count() == 10
    for member in chosen:
        left = member.pool_member_id in leaving
        assert member.status == (MemberStatus.DECLINED if left else MemberStatus.INVITED)
    entry = AuditEntry.objects.get(action="panels.drawn")
    assert entry.data["chosen_but_left_the_pool"] == sum(
        1 for m in chosen if m.pool_member_id in leaving
    )
    # The draw still checks out against the published inputs and seed.
    assert draws.check_draw(panel) == []
    # Reserves who have left are never used.
    for member in chosen.filter(status=MemberStatus.DECLINED):
        reserve = draws.first_fitting_reserve(member)
        assert reserve is None or reserve.pool_member_id not in leaving


def test_leaving_the_pool_lapses_an_invitation_not_yet_answered(secretariat):
    from nhs_citizen.panels.services.pool import do_withdraw

    panel = _panel(secretariat, _pool(), reserves=4)
    _commit(panel, secretariat)
    panel = _draw(panel, secretariat)
    member, other = panel.members.filter(status=MemberStatus.INVITED)[:2]
    volunteer = make_user("leaving@example.com", display_name="Lee Leaving")
    PoolMember.objects.filter(pk=member.pool_member_id).update(user=volunteer)

    assert do_withdraw(user=volunteer)

    member.refresh_from_db()
    other.refresh_from_db()
    assert member.status == MemberStatus.DECLINED
    assert other.status == MemberStatus.INVITED
