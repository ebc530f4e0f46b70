"""What activities add to the public station page: this year's plan against what was held."""

from django.utils import timezone

from liaison.core import registry

from .plans import year_plan


@registry.station_page.register
def activity_plan(station) -> dict:
    plan = year_plan(station, timezone.localdate().year)
    return {"activity_plan": plan if plan.lines else None}
