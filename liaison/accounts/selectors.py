"""Reads of accounts that other parts share."""

from liaison.core.versions import Memo

from .models import Role, User

# Forgotten whenever an account is saved or deleted (apps.py).
ACCOUNTS = Memo("accounts-version")


def station_staff(station_id: int) -> list[User]:
    """The active staff accounts of one station, from memory until an account changes: every new
    message tells them, and each submission would otherwise read them in its transaction. The
    list is shared: do not change it."""
    return ACCOUNTS.get(
        ("station-staff", station_id),
        lambda: list(
            User.objects.filter(
                role=Role.STATION_STAFF, is_active=True, station_id=station_id
            ).order_by("pk")
        ),
    )
