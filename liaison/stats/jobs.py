"""The statistics' periodic job (run by `liaison worker`): count the new events into the rollup."""

from datetime import timedelta

from liaison.core import jobs

from . import rollup


@jobs.register("stats.update_rollup", interval=timedelta(minutes=5))
def update_rollup() -> str:
    return f"{rollup.update()} events counted into the statistics"


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
