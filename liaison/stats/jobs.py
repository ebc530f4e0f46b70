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


@jobs.register("stats.open_data", interval=timedelta(hours=1))
def write_open_data() -> str:
    """Each ended month's open data files, once (docs/open-data.md). Hourly, so that a worker
    down on the first of the month catches up."""
    from . import opendata

    written = opendata.write_due()
    return f"open data written for {', '.join(written)}" if written else "open data up to date"


@jobs.register("stats.reports", interval=timedelta(hours=1))
def schedule_reports() -> str:
    """Queue the reports of the month, quarter and year that just ended (docs/statistics.md)."""
    from . import reports

    return f"{reports.schedule()} statistics reports queued"


# The queued reports, written on every pass, one at a time (like the exports).
@jobs.drain("stats.reports")
def write_reports(limit: int, should_stop) -> int:
    from . import reports

    return reports.run_waiting(limit, should_stop)
