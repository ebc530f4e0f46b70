"""热点 on the committee dashboard: the growing hot topics of the viewer's place (found nightly by
liaison/triage/hotspots.py). A county's or a street's committee sees its county's topics; a city's
or a province's, the city-level ones under it; an administrator, every city's."""

from django.utils.translation import gettext

from liaison.core.permissions import may_at_all
from liaison.directory.models import RegionLevel
from liaison.triage.models import Hotspot

SHOWN = 10


def _ancestors(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def growing(user, limit: int = SHOWN):
    """The growing topics the account may handle, most growth first; None for an account that
    handles none (the section is not shown)."""
    if not may_at_all(user, "case.supervise"):
        return None
    rows = Hotspot.objects.filter(growth__gt=0)
    region = user.region if user.region_id else None
    if region is not None and region.level >= RegionLevel.COUNTY:
        rows = rows.filter(level=Hotspot.Level.COUNTY, region_path__in=_ancestors(region.path))
    else:
        rows = rows.filter(level=Hotspot.Level.CITY)
        if region is not None:
            rows = rows.filter(region_path__startswith=region.path)
        elif not user.is_administrator:
            return []
    return [(topic, line(topic)) for topic in rows.order_by("-growth", "-size", "id")[:limit]]


def line(topic: Hotspot) -> str:
    """ "电梯、停运：7 个站点 41 件，较上周 +18" """
    return gettext(
        "%(label)s: %(stations)d stations, %(cases)d cases, %(growth)+d on last week"
    ) % {
        "label": topic.label or gettext("(no shared words)"),
        "stations": topic.station_count,
        "cases": topic.size,
        "growth": topic.growth,
    }
