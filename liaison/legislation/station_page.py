"""What the legislative contact point adds to the public station page: the drafts open for
comment at which the station is a contact point (registered with core's registry); not a work
report open to the region's deputies only."""

from liaison.core import registry

from .models import Audience
from .workflow import DraftStatus


@registry.station_page.register
def open_drafts(station) -> dict:
    drafts = (
        station.drafts.filter(status=DraftStatus.OPEN)
        .exclude(audience=Audience.DEPUTIES)
        .order_by("closes_on", "pk")
    )
    return {"legislation_drafts": list(drafts[:5])}
