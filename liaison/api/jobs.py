"""The API's periodic job (run by `liaison worker`)."""

from datetime import timedelta

from liaison.core import jobs

from .cases_public import prune_idempotency_records


@jobs.register("api.prune_idempotency_records", interval=timedelta(hours=1))
def prune_idempotency() -> str:
    return f"{prune_idempotency_records()} idempotency records older than a day deleted"
