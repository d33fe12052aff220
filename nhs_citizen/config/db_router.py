"""Reads from a read replica, writes to the primary, and people always read their own writes.

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database and install
``PrimaryReplicaRouter`` and ``ReplicaReadsMiddleware``. Then:

- writes always go to ``default`` (the primary), and so do migrations;
- reads go to ``replica`` only inside a web request that is allowed to use it
  (``replica_reads()``): a GET or HEAD that has not written anything and is not inside a
  transaction;
- once a request writes (anything the router sends to ``default`` for writing), every later read
  in that request goes to the primary, and the browser gets a short-lived cookie
  (``REPLICA_PIN_SECONDS``, 10 s by default) that keeps its next requests on the primary too, so
  the page after a form (POST, then redirect, then GET) shows what was just saved even if the
  replica lags;
- POST, PUT, PATCH and DELETE requests read from the primary from the start;
- everything outside a web request (background jobs, management commands, the shell) reads
  from the primary: they often read, decide and write, and must not decide on stale rows.

Relations between objects read from either alias are allowed: they are the same data.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_ALIAS = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass
class _Reads:
    use_replica: bool = False
    wrote: bool = False


# Outside a request nothing may read from the replica.
_state: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar(
    "replica_reads", default=None
)


def replica_configured() -> bool:
    return REPLICA_ALIAS in connections.settings


def pin_cookie_name() -> str:
    return getattr(settings, "REPLICA_PIN_COOKIE_NAME", "primary_reads")


@contextmanager
def replica_reads():
    """Within this block (one web request), reads may go to the replica until something is
    written. Yields the state, whose ``wrote`` says whether anything was written."""
    token = _state.set(_Reads(use_replica=True))
    try:
        yield _state.get()
    finally:
        _state.reset(token)


def _in_transaction(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """True inside ``transaction.atomic()`` on the primary, not counting the transaction that
    wraps each test (so tests see the same routing as production)."""
    connection = connections[alias]
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _state.get()
        if (
            state is not None
            and state.use_replica
            and replica_configured()
            and not _in_transaction()
        ):
            return REPLICA_ALIAS
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None:
            state.use_replica = False
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        aliases = {DEFAULT_DB_ALIAS, REPLICA_ALIAS}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == REPLICA_ALIAS:
            return False
        return None


class ReplicaReadsMiddleware:
    """Lets safe requests read from the replica, and keeps a browser on the primary for a few
    seconds after it wrote something."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not replica_configured()
            or request.method not in SAFE_METHODS
            or pin_cookie_name() in request.COOKIES
        ):
            # Reads go to the primary (outside replica_reads()); note any write all the same.
            with replica_reads() as state:
                state.use_replica = False
                response = self.get_response(request)
        else:
            with replica_reads() as state:
                response = self.get_response(request)
        if state.wrote and replica_configured():
            response.set_cookie(
                pin_cookie_name(),
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
