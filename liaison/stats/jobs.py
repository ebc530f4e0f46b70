"""The statistics' periodic jobs (run by `liaison worker`): count the new events into the rollups,
and recount the deputies' 三个一 of this year."""

from datetime import timedelta

from liaison.core import jobs

from . import deputies, rollup, work


@jobs.register("stats.update_rollup", interval=timedelta(minutes=5))
def update_rollup() -> str:
    cases, others = rollup.update(), work.update()
    return f"{cases} case events and {others} other events counted into the statistics"


# 三个一 changes by months and quarters: an hour behind is current enough for a dashboard.
@jobs.register("stats.refresh_three", interval=timedelta(hours=1))
def refresh_three() -> str:
    return f"三个一 of {deputies.refresh()} deputies recounted"
