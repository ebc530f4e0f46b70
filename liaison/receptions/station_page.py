"""What reception days add to the public station page (registered with core's registry)."""

from liaison.core import registry

from .models import today
from .schedule import upcoming_by_station, upcoming_receptions


@registry.station_page.register
def next_receptions(station) -> dict:
    # 接待日: the next reception days with the deputies on duty.
    return {"receptions": upcoming_receptions(station, start=today())[:6]}


@registry.station_receptions.register
def next_reception_days(stations) -> dict:
    return upcoming_by_station(stations, start=today())
