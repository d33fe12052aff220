import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.core.models.audit import AppendOnlyError
from nhs_citizen.core.services.audit import record_audit_entry, verify_audit_log

pytestmark = pytest.mark.django_db


def _record(n=3, actor=None):
    return [
        record_audit_entry(
            actor=actor,
            action="test.thing",
            summary=f"Public thing {i}",
            public=i % 2 == 0,
            data={"i": i},
        )
        for i in range(n)
    ]


def _raw_sql(sql, params):
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), params)


def test_entries_are_chained_in_order():
    entries = _record(3)
    assert [e.sequence for e in entries] == [1, 2, 3]
    assert entries[1].previous_hash == entries[0].entry_hash
    assert verify_audit_log() == []
    call_command("verify_audit_log")


def test_the_model_refuses_to_change_or_delete_an_entry():
    entry = _record(1)[0]
    entry.summary = "Changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().update(summary="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


@pytest.mark.parametrize(
    "column, value",
    [
        ("summary", "Nothing to see here"),
        ("reason", "A different reason"),
        ("is_public", True),
        ("action", "test.other"),
        ("data", '{"i": 99}'),
        ("actor_id", 12345),
        ("created_at", "2020-01-01 00:00:00"),
    ],
)
def test_tampering_with_any_field_in_the_database_is_reported(column, value):
    _record(3)
    _raw_sql(f"UPDATE {{table}} SET {column} = %s WHERE sequence = 2", [value])
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_audit_log")


def test_deleting_an_entry_in_the_database_is_reported():
    _record(3)
    _raw_sql("DELETE FROM {table} WHERE sequence = 2", [])
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_audit_log")


def test_cutting_entries_off_the_end_is_reported_against_a_checkpoint():
    entries = _record(3)
    checkpoint = f"3:{entries[2].entry_hash}"
    call_command("verify_audit_log", checkpoint=checkpoint)
    _raw_sql("DELETE FROM {table} WHERE sequence = 3", [])
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_audit_log", checkpoint=checkpoint)


def test_a_badly_written_checkpoint_gets_a_clear_error():
    with pytest.raises(CommandError, match="SEQUENCE:HASH"):
        call_command("verify_audit_log", checkpoint="nonsense")


def test_the_public_page_shows_public_entries_only(client):
    actor = make_user(display_name="Pat Decider")
    record_audit_entry(
        actor=actor,
        action="gather.review_shortlist",
        summary="Shortlisted a flag",
        reason="It is national",
        public=True,
    )
    record_audit_entry(actor=actor, action="test.private", summary="Changed their password")
    response = client.get(reverse("core:audit_log"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Shortlisted a flag" in content
    assert "It is national" in content
    # A staff action: the organisation and the role, not the person (ADR 0026).
    assert "NHS England, review panel member" in content
    assert "Pat Decider" not in content
    assert "Changed their password" not in content


def test_the_open_data_shows_every_link_but_hides_private_content(client):
    record_audit_entry(actor=None, action="test.public", summary="Public", public=True)
    record_audit_entry(actor=None, action="test.private", summary="Private detail")
    response = client.get(reverse("core:audit_log_json"))
    body = b"".join(response.streaming_content).decode()
    data = json.loads(body)
    assert [e["sequence"] for e in data["entries"]] == [1, 2]
    assert data["entries"][0]["summary"] == "Public"
    assert "summary" not in data["entries"][1]
    assert data["entries"][1]["previous_hash"] == data["entries"][0]["entry_hash"]
    assert data["head"]["entry_hash"] == data["entries"][1]["entry_hash"]
    assert "Private detail" not in body


def test_the_full_log_is_for_administrators_only(client, signed_in, administrator, citizen):
    record_audit_entry(actor=None, action="test.private", summary="Private detail")
    url = reverse("core:full_audit_log")
    assert client.get(url).status_code in (302, 403)
    signed_in(citizen)
    assert client.get(url).status_code == 403
    signed_in(administrator)
    response = client.get(url)
    assert response.status_code == 200
    assert "Private detail" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    """Many services writing at once still make one unbroken chain (PostgreSQL only: the
    in-memory SQLite test database is a single connection)."""
    import threading

    if connection.vendor != "postgresql":
        pytest.skip("needs a database server that several connections can write to")
    from django.db import connections

    errors = []

    def write(worker):
        try:
            for i in range(10):
                record_audit_entry(
                    actor=None, action="test.concurrent", summary=f"{worker}-{i}", public=True
                )
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEntry.objects.count() == 80
    assert verify_audit_log() == []
