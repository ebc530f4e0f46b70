"""The case workflow's periodic jobs (run by `liaison worker`)."""

from datetime import timedelta

from liaison.core import jobs

from . import services


@jobs.register("cases.auto_close_unrated", interval=timedelta(hours=1))
def auto_close_unrated() -> str:
    return f"{services.auto_close_unrated()} unrated cases closed"
