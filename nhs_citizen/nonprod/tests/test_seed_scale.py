"""Scale data: a tiny but complete data set whose stored counters match its rows, whose audit
chain verifies, and which is the same again with the same seed."""

from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from nhs_citizen.accounts.models import User
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.core.services.audit import verify_audit_log
from nhs_citizen.nonprod.scale import SCALE_DOMAIN, SCALE_PASSWORD, ScaleError, generate

pytestmark = pytest.mark.django_db

TINY = 0.0005


@pytest.mark.slow
def test_it_makes_one_of_everything_with_counters_that_match_their_rows():
    from nhs_citizen.assembly.models import Ballot, Cycle, CycleEntry
    from nhs_citizen.assembly.services.vote import count_from_ballots, recount_from_audit
    from nhs_citizen.discover.models import Item
    from nhs_citizen.discover.models import Topic as DiscoverTopic
    from nhs_citizen.gather.models import Comment, Flag, Follow, Referral, Response, Support
    from nhs_citizen.tracker.models import Commitment, CommitmentUpdate

    result = generate(scale=TINY, seed=1)
    made = result.counts

    # Counts: what the generator says it made is in the database.
    assert User.objects.filter(email__endswith=f"@{SCALE_DOMAIN}").count() == made["accounts"]
    assert Flag.objects.count() == made["flags"] == 50
    assert Support.objects.count() == made["supports"] > 0
    assert Follow.objects.count() == made["follows"]
    assert Comment.objects.count() == made["comments"] == 100
    assert Referral.objects.count() == made["referrals"] > 0
    assert Response.objects.count() == made["responses"] > 0
    assert Commitment.objects.count() == made["commitments"] > 0
    assert CommitmentUpdate.objects.count() == made["commitment_updates"] >= 75
    assert Item.objects.count() == made["discover_items"] == 100
    assert Cycle.objects.filter(stage="stock_take").count() == 4
    assert Ballot.objects.count() == made["ballots"] > 0
    statuses = set(Flag.objects.values_list("status", flat=True))
    assert statuses == {
        "open",
        "in_review",
        "shortlisted",
        "referred",
        "answered",
        "closed",
        "merged",
    }
    assert Flag.objects.filter(hidden_at__isnull=False).exists()
    assert Commitment.objects.overdue().exists()

    # Counters: every flag's support count is its number of supports (and so on).
    wrong_supports = Flag.objects.annotate(n=Count("supports")).exclude(support_count=F("n"))
    assert not wrong_supports.exists()
    hot = Flag.objects.get(pk=made["hot_flag_id"])
    assert hot.support_count == Support.objects.filter(flag=hot).count() == 25
    if any(f.name == "comment_count" for f in Flag._meta.fields):
        visible = Count("comments", filter=Q(comments__hidden_at__isnull=True))
        assert not Flag.objects.annotate(n=visible).exclude(comment_count=F("n")).exists()
    counted = Count("items", filter=Q(items__processed_at__isnull=False))
    assert not DiscoverTopic.objects.annotate(n=counted).exclude(item_count=F("n")).exists()
    assert not CycleEntry.objects.annotate(n=Count("ballots")).exclude(votes=F("n")).exists()
    for cycle in Cycle.objects.all():
        assert recount_from_audit(cycle) == count_from_ballots(cycle)
        if hasattr(cycle, "voters"):
            assert cycle.voters == cycle.ballots.count() > 0
            assert cycle.recount_matches is True

    # The audit chain verifies, hashed as the database gives each entry back.
    assert AuditEntry.objects.count() == made["audit_entries"] >= 500
    assert verify_audit_log() == []
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    assert "intact" in out.getvalue()

    # People can sign in with the one shared password; flags have unit 384-d vectors.
    voter = User.objects.get(email=f"voter1@{SCALE_DOMAIN}")
    assert voter.check_password(SCALE_PASSWORD)
    vector = np.frombuffer(bytes(hot.embedding), dtype=np.float32)
    assert vector.shape == (384,)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-4


def test_it_makes_the_same_data_again_with_the_same_seed():
    from nhs_citizen.gather.models import Flag

    def snapshot():
        return list(Flag.objects.order_by("pk").values_list("title", "status", "support_count"))

    generate(scale=TINY, seed=7)
    first = snapshot()
    generate(scale=TINY, seed=7, fresh=True)
    assert snapshot() == first
    assert verify_audit_log() == []


def test_it_refuses_to_load_twice_or_over_real_accounts():
    generate(scale=TINY, seed=2)
    with pytest.raises(ScaleError, match="already has scale data"):
        generate(scale=TINY, seed=2)
    with pytest.raises(CommandError, match="already has scale data"):
        call_command("seed_scale", "--scale", str(TINY))
    User.objects.create_user(email="someone@example.com", password="a-long-password")
    with pytest.raises(ScaleError, match="not demo or scale accounts"):
        generate(scale=TINY, seed=2, fresh=True)
    with pytest.raises(ScaleError, match="above 0"):
        generate(scale=0, force=True)


def test_it_is_never_loaded_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never loaded in production"):
        call_command("seed_scale", "--scale", str(TINY))
    assert not User.objects.exists()


def test_it_takes_exact_sizes_for_small_data_sets():
    from nhs_citizen.gather.models import Comment, Flag

    result = generate(scale=TINY, seed=4, sizes={"flags": 40, "comments": 7, "audit": 100})
    assert Flag.objects.count() == 40
    assert Comment.objects.count() == 7
    assert result.counts["audit_entries"] == AuditEntry.objects.count() >= 100
    assert verify_audit_log() == []
    with pytest.raises(ScaleError, match="Unknown sizes: bananas"):
        generate(scale=TINY, sizes={"bananas": 3}, fresh=True)
