"""The notifications app's work for the worker: the outbox, delivered on every pass, and its
periodic jobs."""

import logging
from datetime import timedelta

from liaison.core import jobs

from . import services
from .backends import get_backend

logger = logging.getLogger("liaison.worker")


# get_backend() at the worker's start: an unknown backend stops it at once.
@jobs.drain("notifications.outbox", prepare=get_backend)
def deliver(limit: int, should_stop) -> int:
    sent, failed = services.deliver_due(get_backend(), limit=limit, should_stop=should_stop)
    if sent or failed:
        logger.info("notifications: %s sent, %s failed attempts", sent, failed)
    return sent + failed


@jobs.register("notifications.prune_sent", interval=timedelta(days=1))
def prune_sent() -> str:
    return f"{services.prune_sent()} delivered notifications deleted"
