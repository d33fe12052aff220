"""Messages sent to a shared inbox, read over IMAP with imap-tools (read-only, never marked
as read). The sender's name and address are never handed over."""

from __future__ import annotations

import re
import socket
import ssl

from .base import ConnectorError, FetchResult, IncomingItem, make_item, stable_hash, to_utc
from .text import html_to_text, normalise_whitespace

FETCH_CHUNK = 50

_QUOTE_HEADER = re.compile(
    r"^\s*(On\b.{0,300}\bwrote:|Le\b.{0,300}\ba écrit\s?:|Am\b.{0,300}\bschrieb.{0,100}:)\s*$",
    re.IGNORECASE | re.DOTALL,
)
_FORWARD_OR_ORIGINAL = re.compile(
    r"^\s*(-{2,}\s*(Original Message|Forwarded message)\s*-{2,}|_{10,})\s*$", re.IGNORECASE
)
_OUTLOOK_HEADER = re.compile(r"^\s*\*?From:\*?\s.+$", re.IGNORECASE)
_SENT_FROM = re.compile(
    r"^\s*(Sent from my \w+|Sent from (Outlook|Mail|Yahoo Mail)\b|Get Outlook for)", re.I
)
_SUBJECT_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|sv)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)


def check_config(config: dict) -> list[str]:
    problems: list[str] = []
    for key, label in (("host", "e-mail server name"), ("username", "username")):
        value = config.get(key)
        if not value or not isinstance(value, str) or not value.strip():
            problems.append(f"Enter the {label}.")
    if "://" in str(config.get("host") or ""):
        problems.append(
            "Enter only the e-mail server name, like imap.example.org, without https://."
        )
    if not isinstance(config.get("password"), str) or not config.get("password"):
        problems.append("Enter the password.")
    port = config.get("port")
    if port is not None and (
        isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535
    ):
        problems.append("The port must be a whole number from 1 to 65535 (usually 993).")
    if "ssl" in config and not isinstance(config["ssl"], bool):
        problems.append("Say yes or no to a secure (SSL) connection.")
    folder = config.get("folder", "INBOX")
    if not isinstance(folder, str) or not folder.strip():
        problems.append("Enter the folder name, or leave it as INBOX.")
    return problems


def fetch(config: dict, cursor: str, *, timeout: float, limit: int) -> FetchResult:
    from imap_tools import MailBox, MailBoxUnencrypted

    validity, last_uid = _read_cursor(cursor)
    folder = (config.get("folder") or "INBOX").strip()
    use_ssl = config.get("ssl", True)
    port = config.get("port") or (993 if use_ssl else 143)
    try:
        if use_ssl:
            mailbox = MailBox(
                config["host"].strip(),
                port,
                timeout=timeout,
                ssl_context=ssl.create_default_context(),
            )
        else:
            mailbox = MailBoxUnencrypted(config["host"].strip(), port, timeout=timeout)
    except Exception as error:
        raise _error(error, folder) from None

    items: list[IncomingItem] = []
    try:
        try:
            mailbox.login(config["username"], config["password"], initial_folder=None)
            mailbox.folder.set(folder, readonly=True)
            new_validity = _uidvalidity(mailbox)
            if new_validity != validity:
                last_uid = 0  # the server renumbered the folder: start again (ids stop repeats)
            uids = sorted(int(u) for u in mailbox.uids(f"UID {last_uid + 1}:*") if u.isdigit())
            # "n:*" always includes the last message, even when it is older than n.
            uids = [u for u in uids if u > last_uid][: max(0, limit)]
            newest = last_uid
            for start in range(0, len(uids), FETCH_CHUNK):
                chunk = [str(u) for u in uids[start : start + FETCH_CHUNK]]
                for message in mailbox.fetch(uid_list=chunk, mark_seen=False, bulk=True):
                    if message.uid and message.uid.isdigit():
                        newest = max(newest, int(message.uid))
                    item = _item(message)
                    if item is not None:
                        items.append(item)
                newest = max(newest, int(chunk[-1]))
        finally:
            try:
                mailbox.logout()
            except Exception:
                pass
    except ConnectorError:
        raise
    except Exception as error:
        raise _error(error, folder) from None
    return FetchResult(items, f"{new_validity}:{newest}" if newest else f"{new_validity}:0")


def _read_cursor(cursor: str) -> tuple[str, int]:
    validity, _, last = (cursor or "").partition(":")
    if not last.isdigit():
        return "", 0
    return validity, int(last)


def _uidvalidity(mailbox) -> str:
    data = mailbox.client.untagged_responses.get("UIDVALIDITY") or []
    for value in data:
        text = value.decode() if isinstance(value, bytes) else str(value)
        if text.strip().isdigit():
            return text.strip()
    return ""


def _item(message) -> IncomingItem | None:
    if _is_automatic(message):
        return None
    sender_name, sender_address = _sender(message)
    body = message.text or ""
    if not body.strip() and message.html:
        body = html_to_text(message.html)
    body = clean_body(body, sender_name=sender_name, sender_address=sender_address)
    subject = _SUBJECT_PREFIX.sub("", message.subject or "").strip()
    subject = _scrub(subject, sender_name, sender_address)
    if subject and body and subject.lower() not in body.lower():
        text = f"{subject}\n\n{body}"
    else:
        text = body or subject
    if not text.strip():
        return None
    said_at = message.date if message.date and message.date.year > 1900 else None
    message_id = "".join(message.headers.get("message-id", ())).strip()
    if not message_id:
        message_id = "sha256:" + stable_hash(message.date_str, message.from_, message.subject)
    return make_item(message_id, text, to_utc(said_at) if said_at else None)


def _is_automatic(message) -> bool:
    auto = "".join(message.headers.get("auto-submitted", ())).strip().lower()
    if auto and auto != "no":
        return True
    precedence = "".join(message.headers.get("precedence", ())).strip().lower()
    return precedence in ("bulk", "junk", "auto_reply")


def _sender(message) -> tuple[str, str]:
    values = message.from_values
    if values is None:
        return "", message.from_ or ""
    return (values.name or "").strip(), (values.email or "").strip()


def clean_body(text: str, *, sender_name: str = "", sender_address: str = "") -> str:
    """The new part of a message: no quoted replies, forwarded copies, signatures or
    'sent from my phone' lines, and no trace of the sender's name or address."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        stripped = line.rstrip()
        if stripped in ("--", "-- ") or line == "-- ":
            break  # signature separator
        if _FORWARD_OR_ORIGINAL.match(stripped) or _SENT_FROM.match(stripped):
            break
        if _OUTLOOK_HEADER.match(stripped) and _looks_like_header_block(lines[index:]):
            break
        if _QUOTE_HEADER.match(stripped):
            break
        # "On Tue, 3 Nov 2026 at 10:02, Someone <a@b> wrote:" is often wrapped over two lines.
        if stripped.lstrip().startswith("On ") and index + 1 < len(lines):
            joined = f"{stripped} {lines[index + 1].strip()}"
            if _QUOTE_HEADER.match(joined):
                break
        if stripped.lstrip().startswith(">"):
            continue  # quoted text
        kept.append(stripped)
    kept = _drop_sign_off(kept, sender_name)
    return normalise_whitespace(_scrub("\n".join(kept), sender_name, sender_address))


def _looks_like_header_block(lines: list[str]) -> bool:
    head = " ".join(lines[:6]).lower()
    return "sent:" in head or "date:" in head or "to:" in head or "subject:" in head


def _drop_sign_off(lines: list[str], sender_name: str) -> list[str]:
    """Remove a closing name line such as 'Jane' or 'Jane Smith' at the end."""
    names = {p.lower() for p in re.split(r"[\s,]+", sender_name) if len(p) >= 2}
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and names:
        words = [w.lower() for w in re.split(r"[\s,.]+", lines[-1].strip()) if w]
        if words and len(words) <= 4 and all(w in names for w in words):
            lines.pop()
    return lines


def _scrub(text: str, sender_name: str, sender_address: str) -> str:
    if sender_address:
        text = re.sub(re.escape(sender_address), "", text, flags=re.IGNORECASE)
    if sender_name and len(sender_name) >= 3:
        text = re.sub(r"\b" + re.escape(sender_name) + r"\b", "", text, flags=re.IGNORECASE)
    return text


def _error(error: Exception, folder: str) -> ConnectorError:
    from imap_tools.errors import MailboxFolderSelectError, MailboxLoginError

    if isinstance(error, MailboxLoginError):
        return ConnectorError(
            "The e-mail server did not accept the username or password.", retryable=False
        )
    if isinstance(error, MailboxFolderSelectError):
        return ConnectorError(
            f"There is no folder called {folder!r} in this mailbox. Check the folder name.",
            retryable=False,
        )
    if isinstance(error, ssl.SSLCertVerificationError):
        return ConnectorError(
            "The e-mail server's security certificate is not valid. Check the server name.",
            retryable=False,
        )
    if isinstance(error, ssl.SSLError):
        return ConnectorError(
            "We could not make a secure connection. Check the port and the SSL setting.",
            retryable=False,
        )
    if isinstance(error, socket.gaierror):
        return ConnectorError(
            "We could not find that e-mail server. Check the server name.", retryable=True
        )
    if isinstance(error, TimeoutError | socket.timeout):
        return ConnectorError(
            "The e-mail server took too long to answer. We will try again later.", retryable=True
        )
    if isinstance(error, OSError):
        return ConnectorError(
            "We could not reach the e-mail server. We will try again later.", retryable=True
        )
    return ConnectorError(
        "The e-mail server had a problem. We will try again later.", retryable=True
    )
