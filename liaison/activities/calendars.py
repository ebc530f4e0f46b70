"""The public month calendar of a station or a region (活动日历, 月度活动安排): the pages
(views.py: calendar and printable programme) and the API (liaison/api/activities.py) show the same
month from here."""

import re
from datetime import date
from itertools import groupby

from django.utils import timezone

from . import selectors
from .models import ActivityStatus

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(raw: str) -> tuple[int, int] | None:
    """The ?month=YYYY-MM asked for (this month when empty), or None when malformed."""
    raw = (raw or "").strip()
    if not raw:
        today = timezone.localdate()
        return today.year, today.month
    match = MONTH.match(raw)
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        return None
    return year, month


def month_context(year: int, month: int, *, station=None, region=None) -> dict:
    """A month of one station's, or a region's whole subtree's, public activities by day."""
    stations = selectors.public_stations(station=station, region=region)
    activities = list(selectors.month_public(stations, year, month, region=region))
    days = [
        (day, list(items))
        for day, items in groupby(activities, key=lambda a: timezone.localtime(a.starts_at).date())
    ]
    previous = date(year - (month == 1), (month - 2) % 12 + 1, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return {
        "station": station,
        "region": region,
        "place_name": station.name if station else region.name,
        "month": date(year, month, 1),
        "month_value": f"{year:04d}-{month:02d}",
        "previous": previous.strftime("%Y-%m"),
        "following": following.strftime("%Y-%m"),
        "days": days,
        "count": len(activities),
        "Status": ActivityStatus,
    }
