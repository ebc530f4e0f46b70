"""The notifications app's periodic jobs (the outbox itself is delivered on every worker pass)."""

from datetime import timedelta

from liaison.core import jobs

from . import services


@jobs.register("notifications.prune_sent", interval=timedelta(days=1))
def prune_sent() -> str:
    return f"{services.prune_sent()} delivered notifications deleted"
