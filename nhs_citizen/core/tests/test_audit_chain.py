"""The hash chain on its own, with no database."""

from nhs_citizen.core import audit_chain


def _chain(n: int) -> list[dict]:
    entries = []
    previous = audit_chain.GENESIS_HASH
    for sequence in range(1, n + 1):
        entry = {
            "sequence": sequence,
            "created_at": f"2026-11-21T10:00:0{sequence}+00:00",
            "actor_id": 7,
            "action": "test.thing",
            "summary": f"Thing {sequence}",
            "target_type": "",
            "target_id": "",
            "reason": "",
            "data": {"n": sequence},
            "is_public": True,
            "previous_hash": previous,
        }
        entry["entry_hash"] = audit_chain.entry_hash(entry)
        previous = entry["entry_hash"]
        entries.append(entry)
    return entries


def test_an_untouched_chain_has_no_problems():
    assert audit_chain.verify_chain(_chain(5)) == []


def test_it_finds_a_changed_entry():
    entries = _chain(5)
    entries[2]["summary"] = "Something else"
    problems = audit_chain.verify_chain(entries)
    assert [p.sequence for p in problems] == [3]


def test_it_finds_an_entry_removed_from_the_middle():
    entries = _chain(5)
    del entries[1]
    problems = audit_chain.verify_chain(entries)
    assert {p.sequence for p in problems} == {3}
    assert any("missing" in p.message for p in problems)


def test_it_finds_a_rehashed_entry_because_the_next_link_breaks():
    entries = _chain(4)
    entries[1]["summary"] = "Rewritten"
    entries[1]["entry_hash"] = audit_chain.entry_hash(entries[1])
    problems = audit_chain.verify_chain(entries)
    assert [p.sequence for p in problems] == [3]


def test_a_checkpoint_catches_entries_cut_off_the_end():
    entries = _chain(5)
    checkpoint = (5, entries[4]["entry_hash"])
    assert audit_chain.verify_chain(entries, checkpoint=checkpoint) == []
    problems = audit_chain.verify_chain(entries[:3], checkpoint=checkpoint)
    assert [p.sequence for p in problems] == [5]


def test_the_hash_does_not_depend_on_key_order_in_data():
    entry = _chain(1)[0]
    reordered = dict(entry, data={"b": 2, "a": 1})
    same = dict(entry, data={"a": 1, "b": 2})
    assert audit_chain.entry_hash(reordered) == audit_chain.entry_hash(same)
