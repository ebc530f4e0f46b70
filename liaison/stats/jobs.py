"""The statistics' periodic job (run by `liaison worker`): count the new events into the rollup."""

from datetime import timedelta

from liaison.core import jobs

from . import rollup


@jobs.register("stats.update_rollup", interval=timedelta(minutes=5))
def update_rollup() -> str:
    return f"{rollup.update()} events counted into the statistics"
