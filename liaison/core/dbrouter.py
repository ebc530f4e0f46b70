"""Read replicas (docs/scaling.md, "Read replicas"): which database a query goes to.

Every query goes to the primary (`default`) unless the code around it said that a replica will
do: the views of dashboards, public pages and exports (`@replica_reads`), and the rows an export
writes (`reads_from_replica()`, `on_replica(rows)`). Writes always go to the primary, and so do
reads inside a transaction (they must see what it wrote). Read-your-writes: a request that wrote
something (a POST, PUT, PATCH or DELETE that succeeded, or any ORM write) sets a cookie, and
for `LIAISON_REPLICA_STICKY_SECONDS` that browser's requests read the primary, so that the person
who just acted sees it at once even if the replica lags. Migrations run on the primary only.

With no `DATABASE_REPLICA_URLS` nothing changes: every alias this module answers is `default`.
"""

import functools
import random
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# The replica this context reads from (None: the primary).
_read_alias: ContextVar[str | None] = ContextVar("liaison_read_alias", default=None)
# The request's browser wrote recently: read the primary.
_sticky: ContextVar[bool] = ContextVar("liaison_replica_sticky", default=False)
# Something was written in this request (a list, so that the middleware sees the view's writes).
_writes: ContextVar[list | None] = ContextVar("liaison_replica_writes", default=None)

COOKIE_NAME = "liaison_primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def replicas() -> list[str]:
    """The aliases of the configured replicas (settings: DATABASE_REPLICA_URLS)."""
    return list(getattr(settings, "LIAISON_REPLICA_DATABASES", ()))


def _choose() -> str | None:
    """A replica for the current context, or None when the primary must answer."""
    aliases = replicas()
    if not aliases or _sticky.get():
        return None
    return random.choice(aliases)  # load spreading, not security


@contextmanager
def reads_from_replica():
    """Let the ORM reads in this block go to a replica (unless the person wrote just now)."""
    token = _read_alias.set(_choose())
    try:
        yield _read_alias.get()
    finally:
        _read_alias.reset(token)


def on_replica(rows: Iterable) -> Iterator:
    """Iterate `rows` (a lazy queryset iterator, a generator) with its queries on the replica
    chosen now — for a streamed response, which is iterated after the view has returned."""
    alias = _read_alias.get() or _choose()

    def generate():
        token = _read_alias.set(alias)
        try:
            yield from rows
        finally:
            _read_alias.reset(token)

    return generate()


def replica_reads(view):
    """A view whose GET and HEAD requests may read from a replica: dashboards, public pages.
    Other methods, and requests of someone who wrote a moment ago, read the primary."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with reads_from_replica():
            response = view(request, *args, **kwargs)
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                response.render()  # a TemplateResponse's queries run here, not later
            return response

    wrapped.replica_reads = True
    return wrapped


def current_read_alias() -> str:
    """Where an ORM read would go now (tests and the docs' examples)."""
    return _route_read()


def _configured(alias: str) -> bool:
    return alias in connections.settings


# Always read on the primary: who is logged in, login lockouts and second factors must be current.
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes", "otp_totp", "django_otp"})


def _route_read(model=None) -> str:
    alias = _read_alias.get()
    if alias is None or not _configured(alias):
        return DEFAULT_DB_ALIAS
    if model is not None and model._meta.app_label in PRIMARY_ONLY_APPS:
        return DEFAULT_DB_ALIAS
    # Inside a transaction the reads must see its writes: the primary. (Not counting the
    # transactions a Django TestCase wraps each test in, which production does not have.)
    blocks = connections[DEFAULT_DB_ALIAS].atomic_blocks
    if any(not getattr(block, "_from_testcase", False) for block in blocks):
        return DEFAULT_DB_ALIAS
    return alias


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: reads as the context says, writes and migrations on default."""

    def db_for_read(self, model, **hints):
        return _route_read(model)

    def db_for_write(self, model, **hints):
        writes = _writes.get()
        if writes is not None:
            writes.append(model._meta.label)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the same rows as the primary: objects from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaStickinessMiddleware:
    """Read-your-writes: after a request that wrote, this browser reads the primary for
    LIAISON_REPLICA_STICKY_SECONDS (a cookie holding the time until when). Does nothing when no
    replica is configured."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replicas():
            return self.get_response(request)
        try:
            until = float(request.COOKIES.get(COOKIE_NAME, "0"))
        except ValueError:
            until = 0.0
        sticky_token = _sticky.set(until > time.time())
        writes: list = []
        writes_token = _writes.set(writes)
        try:
            response = self.get_response(request)
        finally:
            _writes.reset(writes_token)
            _sticky.reset(sticky_token)
        changed = request.method not in SAFE_METHODS and response.status_code < 400
        seconds = settings.LIAISON_REPLICA_STICKY_SECONDS
        if (changed or writes) and seconds > 0:
            response.set_cookie(
                COOKIE_NAME,
                f"{time.time() + seconds:.3f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
            )
        return response
