"""Signed checkpoints: verify from the last one by default, the whole chain with --full."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from nhs_citizen.core import audit_chain
from nhs_citizen.core.models.audit import AppendOnlyError, AuditCheckpoint, AuditEntry
from nhs_citizen.core.services.audit import (
    audit_lock_stats,
    check_audit_log,
    checkpoint_signature_is_valid,
    do_write_audit_checkpoint,
    record_audit_entry,
    reset_audit_lock_stats,
    take_audit_lock_wait,
    verify_audit_log,
)
from nhs_citizen.core.tasks import write_audit_checkpoint

pytestmark = pytest.mark.django_db


def _record(n):
    return [
        record_audit_entry(actor=None, action="test.thing", summary=f"Thing {i}", public=True)
        for i in range(n)
    ]


def _raw_sql(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(
            sql.format(
                entries=AuditEntry._meta.db_table, checkpoints=AuditCheckpoint._meta.db_table
            ),
            params,
        )


def _tamper(sequence):
    _raw_sql("UPDATE {entries} SET summary = 'Rewritten' WHERE sequence = %s", [sequence])


def _verify(**options):
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit_log", stdout=out, stderr=err, **options)
    except CommandError as error:
        return False, out.getvalue(), err.getvalue() + str(error)
    return True, out.getvalue(), err.getvalue()


def test_it_writes_a_signed_checkpoint_at_the_head_of_an_intact_chain():
    entries = _record(3)
    result = do_write_audit_checkpoint()
    assert result.created and result.problems == []
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.sequence, checkpoint.entry_hash) == (3, entries[2].entry_hash)
    assert checkpoint_signature_is_valid(checkpoint)


def test_it_writes_nothing_when_run_twice_with_no_new_entries():
    _record(2)
    assert do_write_audit_checkpoint().created
    second = do_write_audit_checkpoint()
    assert not second.created and second.checkpoint.sequence == 2
    assert AuditCheckpoint.objects.count() == 1
    _record(1)
    assert do_write_audit_checkpoint().checkpoint.sequence == 3


def test_it_writes_no_checkpoint_for_an_empty_log():
    result = do_write_audit_checkpoint()
    assert result.checkpoint is None and not result.created
    assert not AuditCheckpoint.objects.exists()


def test_it_refuses_to_write_a_checkpoint_over_a_broken_chain():
    _record(3)
    _tamper(2)
    result = do_write_audit_checkpoint()
    assert not result.created
    assert [problem.sequence for problem in result.problems] == [2]
    assert not AuditCheckpoint.objects.exists()
    with pytest.raises(CommandError, match="No checkpoint written"):
        call_command("write_audit_checkpoint", stdout=StringIO(), stderr=StringIO())


def test_the_daily_job_writes_a_checkpoint():
    _record(2)
    result = write_audit_checkpoint.enqueue()
    assert result.return_value == {"sequence": 2, "created": True, "problems": []}


def test_the_command_for_cron_writes_a_checkpoint_and_is_safe_to_run_again():
    _record(2)
    out = StringIO()
    call_command("write_audit_checkpoint", stdout=out)
    call_command("write_audit_checkpoint", stdout=out)
    assert "Checkpoint written at entry 2" in out.getvalue()
    assert "nothing written" in out.getvalue()
    assert AuditCheckpoint.objects.count() == 1


def test_checkpoints_cannot_be_changed_through_the_model():
    _record(1)
    checkpoint = do_write_audit_checkpoint().checkpoint
    checkpoint.entry_hash = "f" * 64
    with pytest.raises(AppendOnlyError):
        checkpoint.save()
    with pytest.raises(AppendOnlyError):
        AuditCheckpoint.objects.update(entry_hash="f" * 64)


def test_verifying_starts_from_the_last_checkpoint_by_default():
    _record(4)
    do_write_audit_checkpoint()
    _record(3)
    check = check_audit_log()
    assert check.intact
    assert check.started_from.sequence == 4
    assert check.entries_checked == 3
    full = check_audit_log(full=True)
    assert full.intact and full.started_from is None and full.entries_checked == 7


def test_the_first_line_of_the_output_is_unchanged():
    entries = _record(3)
    do_write_audit_checkpoint()
    ok, out, _ = _verify()
    assert ok
    first, second = out.splitlines()
    assert first == f"The audit log is intact: 3 entries, head {entries[2].entry_hash}."
    assert "after the signed checkpoint at entry 3" in second


def test_a_tampered_entry_after_the_checkpoint_is_caught_by_default():
    _record(3)
    do_write_audit_checkpoint()
    _record(3)
    _tamper(5)
    ok, _, err = _verify()
    assert not ok
    assert "Entry 5: its content does not match its hash" in err
    assert "tampered" in err


def test_a_tampered_entry_before_the_checkpoint_is_caught_by_full_and_said_so():
    _record(5)
    do_write_audit_checkpoint()
    _tamper(2)
    # The default check trusts the signed checkpoint for what came before it...
    ok, _, _ = _verify()
    assert ok
    # ...and the full check recomputes everything and says the change came after the check.
    ok, _, err = _verify(full=True)
    assert not ok
    assert "Entry 2: its content does not match its hash (it was changed)" in err
    assert "before the checkpoint at entry 5" in err
    assert "it was changed after that" in err


def test_a_rehashed_entry_at_the_checkpoint_is_caught_by_default():
    _record(3)
    do_write_audit_checkpoint()
    _raw_sql("UPDATE {entries} SET entry_hash = %s WHERE sequence = 3", ["e" * 64])
    ok, _, err = _verify()
    assert not ok
    assert "Entry 3: its hash is not the one signed for it" in err


def test_entries_cut_off_after_a_checkpoint_are_caught_by_default():
    _record(3)
    do_write_audit_checkpoint()
    _raw_sql("DELETE FROM {entries} WHERE sequence = 3")
    ok, _, err = _verify()
    assert not ok
    assert "Entry 3: was checked and signed" in err
    assert "no longer in the log" in err


def test_a_forged_checkpoint_signature_is_refused():
    entries = _record(5)
    _tamper(3)
    # Someone who can write to the database but does not know the key adds a checkpoint
    # after the entry they changed, hoping the default check starts after it.
    AuditCheckpoint.objects.create(
        sequence=5, entry_hash=entries[4].entry_hash, created_at=timezone.now(), signature="0" * 64
    )
    check = check_audit_log()
    assert check.started_from is None
    messages = [str(problem) for problem in check.problems]
    assert any(m.startswith("Entry 5: its checkpoint's signature is wrong") for m in messages)
    assert any(m.startswith("Entry 3: its content does not match") for m in messages)
    assert not do_write_audit_checkpoint().created


def test_a_checkpoint_with_a_changed_time_is_refused():
    _record(2)
    do_write_audit_checkpoint()
    _raw_sql("UPDATE {checkpoints} SET created_at = %s", ["2020-01-01 00:00:00"])
    problems = verify_audit_log()
    assert [str(p) for p in problems][0].startswith("Entry 2: its checkpoint's signature is wrong")


def test_a_separate_signing_key_is_used_when_set():
    _record(2)
    with override_settings(AUDIT_SIGNING_KEY="a-separate-key-for-audit-checkpoints"):
        do_write_audit_checkpoint()
        assert verify_audit_log() == []
    # Signed with the separate key, so it does not check out with SECRET_KEY alone.
    assert "signature is wrong" in str(verify_audit_log()[0])


def test_a_published_checkpoint_before_the_signed_one_is_still_checked():
    entries = _record(4)
    do_write_audit_checkpoint()
    ok, _, _ = _verify(checkpoint=f"2:{entries[1].entry_hash}")
    assert ok
    ok, _, err = _verify(checkpoint=f"2:{'a' * 64}")
    assert not ok
    assert "Entry 2: its hash is not the one published for it" in err


def test_a_published_checkpoint_past_the_end_is_reported():
    entries = _record(2)
    do_write_audit_checkpoint()
    ok, _, err = _verify(checkpoint=f"9:{entries[1].entry_hash}")
    assert not ok
    assert "Entry 9: was published but is no longer in the log" in err


def test_the_signature_covers_sequence_hash_and_time():
    key = audit_chain.checkpoint_key("secret")
    signature = audit_chain.sign_checkpoint(key, 7, "a" * 64, "2026-12-01T00:00:00.000000+00:00")
    good = (7, "a" * 64, "2026-12-01T00:00:00.000000+00:00")
    assert audit_chain.checkpoint_signature_is_valid(key, *good, signature)
    assert not audit_chain.checkpoint_signature_is_valid(key, 8, *good[1:], signature)
    assert not audit_chain.checkpoint_signature_is_valid(key, 7, "b" * 64, good[2], signature)
    assert not audit_chain.checkpoint_signature_is_valid(
        key, 7, "a" * 64, "2026-12-02T00:00:00.000000+00:00", signature
    )
    other = audit_chain.checkpoint_key("another secret")
    assert not audit_chain.checkpoint_signature_is_valid(other, *good, signature)


def test_it_counts_time_spent_waiting_for_the_audit_lock():
    reset_audit_lock_stats()
    take_audit_lock_wait()
    _record(3)
    stats = audit_lock_stats()
    if connection.vendor == "postgresql":
        assert stats["waits"] == 3
        assert stats["wait_seconds"] >= stats["longest_wait_seconds"] >= 0
        assert take_audit_lock_wait() == pytest.approx(stats["wait_seconds"])
    else:
        # SQLite serialises writers when the transaction begins: there is no lock to wait for.
        assert stats["waits"] == 0
    assert take_audit_lock_wait() == 0


def test_entries_read_back_exactly_as_they_were_hashed():
    """Times on the second (no microseconds), nested data and non-ASCII text all read back
    as they were hashed, on every database."""
    import datetime as dt

    first = AuditEntry(
        sequence=1,
        created_at=dt.datetime(2026, 3, 1, 9, 30, 0, tzinfo=dt.UTC),
        action="test.exact",
        summary="Café: “quotes” and 10% off",
        data={"z": [1, {"b": None, "a": 2.5}], "é": "ü"},
        is_public=True,
        previous_hash=audit_chain.GENESIS_HASH,
    )
    first.entry_hash = first.compute_hash()
    first.save()
    record_audit_entry(actor=None, action="test.after", summary="After", data={"n": 1})
    assert check_audit_log(full=True).intact
    _raw_sql("UPDATE {entries} SET summary = 'Cafe' WHERE sequence = 1")
    assert [p.sequence for p in verify_audit_log(full=True)] == [1]


def test_checking_reads_the_log_chunk_by_chunk_without_losing_a_row(monkeypatch):
    from nhs_citizen.core.services import audit as audit_services

    monkeypatch.setattr(audit_services, "_CHUNK_SIZE", 2)
    _record(7)
    check = check_audit_log(full=True)
    assert check.intact and check.entries_checked == 7
    _raw_sql("DELETE FROM {entries} WHERE sequence = 6")
    assert {p.sequence for p in verify_audit_log(full=True)} == {7}


def test_checkpoints_signed_before_a_key_change_still_check_out_with_the_old_key_kept():
    _record(2)
    with override_settings(SECRET_KEY="the-old-secret-key-" * 3):
        do_write_audit_checkpoint()
    with override_settings(SECRET_KEY="the-new-secret-key-" * 3):
        assert "signature is wrong" in str(verify_audit_log()[0])
    with override_settings(
        SECRET_KEY="the-new-secret-key-" * 3, SECRET_KEY_FALLBACKS=["the-old-secret-key-" * 3]
    ):
        assert verify_audit_log() == []
