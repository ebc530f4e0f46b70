"""The consultation's periodic jobs (run by `liaison worker`)."""

from datetime import timedelta

from liaison.core import jobs

from . import services


@jobs.register("legislation.close_ended", interval=timedelta(hours=1))
def close_ended() -> str:
    return f"{services.close_ended()} drafts closed at the end of their period"


@jobs.register("legislation.delete_unverified", interval=timedelta(hours=1))
def delete_unverified() -> str:
    """Online comments whose phone was never confirmed (PIPL: not kept)."""
    return f"{services.delete_unverified()} unconfirmed comments deleted"
