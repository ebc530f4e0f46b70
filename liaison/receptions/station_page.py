"""What reception days add to the public station page (registered with core's registry)."""

from liaison.core import registry

from .models import today
from .schedule import upcoming_receptions


@registry.station_page.register
def next_receptions(station) -> dict:
    # 接待日: the next reception days with the deputies on duty.
    return {"receptions": upcoming_receptions(station, start=today())[:6]}
