"""The notifications app's work for the worker: the outbox, delivered on every pass, and its
periodic jobs."""

import logging
from datetime import timedelta

from liaison.core import jobs

from . import phonecodes, services
from .backends import backends

logger = logging.getLogger("liaison.worker")


# The backends are built at the worker's start: an unknown one stops it at once.
@jobs.drain("notifications.outbox", prepare=backends)
def deliver(limit: int, should_stop) -> int:
    sent, failed = services.deliver_due(backends(), limit=limit, should_stop=should_stop)
    if sent or failed:
        logger.info("notifications: %s sent, %s failed attempts", sent, failed)
    return sent + failed


@jobs.register("notifications.digests", interval=timedelta(hours=1))
def send_digests() -> str:
    # Hourly, but each account's digest is keyed by the day: one a day, from the first run.
    return f"{services.send_digests()} daily digests written"


@jobs.register("notifications.prune_sent", interval=timedelta(days=1))
def prune_sent() -> str:
    return f"{services.prune_sent()} delivered notifications deleted"


@jobs.register("notifications.purge_codes", interval=timedelta(hours=6))
def purge_codes() -> str:
    return f"{phonecodes.purge_old_codes()} old one-time codes deleted"
