"""热点 — finding the hot topics and storing them (the worker's `triage.hotspots`, nightly, and
`liaison triage hotspots`). The messages come from the apps above through `hooks.hotspot_items`;
clustering.py groups them; each run replaces every `Hotspot` row in one transaction."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from liaison.core import audit
from liaison.directory.models import Region, RegionLevel

from . import clustering, hooks
from .models import Hotspot

DAYS = 30  # the messages of the last 30 days
WEEK = timedelta(days=7)


@dataclass
class Outcome:
    messages: int
    hotspots: int
    seconds: float


def _ancestors() -> dict[str, dict[str, str]]:
    """{level: {path of a city or county: the same path}}: the places messages are grouped by."""
    rows = Region.objects.filter(level__in=[RegionLevel.CITY, RegionLevel.COUNTY])
    found = {Hotspot.Level.CITY: set(), Hotspot.Level.COUNTY: set()}
    for path, level in rows.values_list("path", "level"):
        key = Hotspot.Level.CITY if level == RegionLevel.CITY else Hotspot.Level.COUNTY
        found[key].add(path)
    return found


def _place(path: str, places: set[str]) -> str | None:
    """The region among `places` that `path` lies in (a message's county or city)."""
    parts = [p for p in path.split("/") if p]
    for depth in range(len(parts), 0, -1):
        prefix = "/" + "/".join(parts[:depth]) + "/"
        if prefix in places:
            return prefix
    return None


def compute(now: datetime | None = None) -> Outcome:
    """Cluster the last 30 days' messages per county and per city; replace the stored hot
    topics. Answers how many messages and hot topics."""
    started = timezone.now()
    now = now or started
    items = [
        item
        for func in hooks.hotspot_items.functions()
        for item in func(now - timedelta(days=DAYS))
    ]
    places = _ancestors()
    rows = []
    memo: dict = {}  # each text's bigrams, computed once for both levels
    for level in (Hotspot.Level.COUNTY, Hotspot.Level.CITY):
        placed = []
        cache: dict[str, str | None] = {}
        for item in items:
            if item.place not in cache:
                cache[item.place] = _place(item.place, places[level])
            if cache[item.place] is not None:
                placed.append(replace(item, place=cache[item.place]))
        for found in clustering.cluster(placed, before=now - WEEK, memo=memo):
            rows.append(
                Hotspot(
                    level=level,
                    region_path=found.place,
                    category_id=found.category,
                    label=found.label[:100],
                    keywords=found.keywords,
                    size=found.size,
                    size_week_ago=found.size_before,
                    growth=found.size - found.size_before,
                    station_count=len(found.stations),
                    supporters=found.supporters,
                    members=found.keys,
                    computed_at=now,
                )
            )
    with transaction.atomic():
        Hotspot.objects.all().delete()
        Hotspot.objects.bulk_create(rows, batch_size=1000)
        audit.record("triage.hotspots_computed", messages=len(items), hotspots=len(rows))
    return Outcome(len(items), len(rows), (timezone.now() - started).total_seconds())
