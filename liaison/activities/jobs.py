"""The activities' periodic jobs (run by `liaison worker`)."""

from datetime import timedelta

from liaison.core import jobs

from . import signups


@jobs.register("activities.delete_unverified_sign_ups", interval=timedelta(hours=1))
def delete_unverified_sign_ups() -> str:
    """Online sign-ups whose phone was never confirmed by the SMS code (PIPL: not kept)."""
    return f"{signups.delete_unverified()} unconfirmed sign-ups deleted"
