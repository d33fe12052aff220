"""Migration 0003 keeps panels drawn the old way (marked v1) and withdraws a seed committed the
old way but never used (the panel goes back to setting up, to be drawn in the new order)."""

import pytest

from nhs_citizen.tests.migrations import migrate_to

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BEFORE = [("panels", "0002_draw_jobs")]
AFTER = [("panels", "0003_lottery_before_seed")]


def test_old_panels_are_kept_and_marked_or_reset(back_to_the_latest):
    old = migrate_to(BEFORE)
    User = old.get_model("accounts", "User")
    Pool = old.get_model("panels", "Pool")
    Panel = old.get_model("panels", "Panel")
    Member = old.get_model("panels", "PoolMember")
    Probability = old.get_model("panels", "SelectionProbability")
    user = User.objects.create(email="old@example.com")
    pool = Pool.objects.create(name="Old pool")
    member = Member.objects.create(pool=pool, features={"sex": "female"})

    def panel(title, status, **fields):
        return Panel.objects.create(
            purpose="jury", title=title, size=1, pool=pool, created_by=user, status=status, **fields
        )

    revealed = panel(
        "Revealed", "seed_revealed", seed="s", seed_hash="h", published_result={"selected": []}
    )
    drawn = panel("Drawn", "drawn", seed="s", seed_hash="h", published_result={"selected": []})
    committed = panel("Committed", "seed_committed", seed="s", seed_hash="h", published_inputs={})
    Probability.objects.create(panel=committed, pool_member=member, public_id="p1")
    new = panel("New", "setting_up")

    apps = migrate_to(AFTER)
    Panel = apps.get_model("panels", "Panel")
    v1, v2 = "nhs-citizen/sortition/v1", "nhs-citizen/sortition/v2"
    assert Panel.objects.get(pk=revealed.pk).protocol == v1
    assert Panel.objects.get(pk=revealed.pk).status == "seed_revealed"
    assert Panel.objects.get(pk=drawn.pk).protocol == v1
    reset = Panel.objects.get(pk=committed.pk)
    assert (reset.status, reset.seed, reset.seed_hash, reset.protocol) == ("setting_up", "", "", v2)
    assert reset.published_inputs is None
    assert not apps.get_model("panels", "SelectionProbability").objects.filter(panel=reset).exists()
    assert Panel.objects.get(pk=new.pk).protocol == v2
