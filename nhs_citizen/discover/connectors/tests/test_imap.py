from datetime import UTC, datetime

import pytest

from nhs_citizen.discover.connectors import ConnectorError, check_config, fetch
from nhs_citizen.discover.connectors.imap import clean_body


@pytest.fixture
def mailbox(imap_server, mail_fixtures):
    for raw in mail_fixtures[:5]:  # 06-later.eml arrives later in some tests
        imap_server.add(raw)
    imap_server.later = mail_fixtures[5]
    return imap_server


def test_messages_become_items_without_the_sender(mailbox):
    result = fetch("imap", mailbox.config())
    by_id = {i.original_id: i for i in result.items}
    assert len(result.items) == 4  # the automatic reply is left out
    plain = by_id["<CAF3x9q1-priya-001@mail.example.com>"]
    assert plain.text == (
        "Blood test appointments\n\n"
        "Hello,\n\n"
        "The only blood test slots at Riverside Health Centre are at 7.30am. I work\n"
        "shifts and can never make them. Could there be some later ones?\n\n"
        "Thanks,"
    )
    assert plain.said_at == datetime(2026, 11, 20, 8, 13, 55, tzinfo=UTC)
    assert plain.url == "" and plain.place == "" and plain.group == ""

    html = by_id["<20261120123000.77D1@example.net>"]
    assert html.text == (
        "Café at the hospital\n\n"
        "The café closes at 4pm, so night staff and visitors can't get a hot drink.\n\n"
        "Please keep it open later."
    )

    reply = by_id["<reply-5521@example.org>"]
    assert reply.text == (
        "Your views on the minor injuries unit\n\n"
        "Yes, please keep the minor injuries unit open at weekends. My son broke\n"
        "his wrist on a Sunday and we would have had to go 30 miles otherwise."
    )

    no_id = [i for i in result.items if i.original_id.startswith("sha256:")]
    assert len(no_id) == 1
    assert no_id[0].text.startswith("Hearing aids\n\nI have waited nine months")
    assert "ahmed" not in no_id[0].text.lower()

    everything = " ".join(i.text + i.original_id for i in result.items).lower()
    for trace in ("priya shah", "07700", "tom byrne", "tom@", "o'neill", "mary", "iphone"):
        assert trace not in everything
    # Read-only and never marked as read.
    assert any(c.split()[1] == "EXAMINE" for c in mailbox.commands)
    assert mailbox.flags_set == []


def test_cursor_gives_only_new_messages(mailbox):
    first = fetch("imap", mailbox.config())
    assert first.cursor == "1700000001:5"
    again = fetch("imap", mailbox.config(), first.cursor)
    assert again.items == [] and again.cursor == first.cursor  # "6:*" still returns UID 5
    mailbox.add(mailbox.later)
    later = fetch("imap", mailbox.config(), first.cursor)
    assert [i.original_id for i in later.items] == ["<grace-77@example.com>"]
    assert later.cursor == "1700000001:6"


def test_ids_are_stable_and_uidvalidity_change_starts_again(mailbox):
    first = fetch("imap", mailbox.config())
    mailbox.uidvalidity += 1  # the server renumbered the folder
    again = fetch("imap", mailbox.config(), first.cursor)
    assert [i.original_id for i in again.items] == [i.original_id for i in first.items]
    assert again.cursor == "1700000002:5"


def test_limit_carries_on_next_time(mailbox):
    seen, cursor = [], ""
    for _ in range(6):
        result = fetch("imap", mailbox.config(), cursor, limit=2)
        seen += [i.original_id for i in result.items]
        cursor = result.cursor
    assert len(seen) == len(set(seen)) == 4


def test_server_trouble_is_retryable(mailbox):
    mailbox.fail_fetch = True
    with pytest.raises(ConnectorError) as caught:
        fetch("imap", mailbox.config())
    assert caught.value.retryable is True


def test_nobody_listening_is_retryable(imap_server):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ConnectorError) as caught:
        fetch("imap", imap_server.config(port=port), timeout=2)
    assert caught.value.retryable is True


def test_wrong_password_and_folder_are_not_retryable(mailbox):
    with pytest.raises(ConnectorError) as caught:
        fetch("imap", mailbox.config(password="wrong"))
    assert caught.value.retryable is False
    assert "username or password" in caught.value.message
    with pytest.raises(ConnectorError) as caught:
        fetch("imap", mailbox.config(folder="Community"))
    assert caught.value.retryable is False
    assert "Community" in caught.value.message


def test_clean_body():
    text = (
        "I agree with this.\r\n"
        "\r\n"
        "Best wishes\r\n"
        "Sam\r\n"
        "\r\n"
        "-----Original Message-----\r\n"
        "From: Riverside Voice\r\n"
        "Sent: 20 November 2026\r\n"
        "> old text\r\n"
    )
    assert clean_body(text, sender_name="Sam Jones", sender_address="sam@example.com") == (
        "I agree with this.\n\nBest wishes"
    )
    outlook = "Yes please.\n\nFrom: Riverside Voice <a@b.org>\nSent: Friday\nTo: Sam\nSubject: x"
    assert clean_body(outlook) == "Yes please."
    assert clean_body("Write to me at sam@example.com", sender_address="sam@example.com") == (
        "Write to me at"
    )


def test_check_config():
    good = {"host": "imap.example.org", "port": 993, "ssl": True, "username": "u", "password": "p"}
    assert check_config("imap", good) == []
    assert check_config("imap", good | {"port": "993"}) == [
        "The port must be a whole number from 1 to 65535 (usually 993)."
    ]
    assert check_config("imap", {}) == [
        "Enter the e-mail server name.",
        "Enter the username.",
        "Enter the password.",
    ]
    assert check_config("imap", good | {"port": None}) == []  # 993 with SSL, else 143
    assert "without https://" in check_config("imap", good | {"host": "https://x"})[0]
