"""Public reads of the directory. Only active rows are public."""

import math
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from liaison.core import geo
from liaison.core.public_pages import version_key
from liaison.core.versions import Memo

from .models import Category, Deputy, GridCell, Region, RegionLevel, Station, StationKind

PAGE_SIZE = 20
TOP_REGION_CACHE_SECONDS = 600
# "Nearby" looks in a box around the visitor and widens it until it holds enough stations; the
# cap (±1.6° ≈ 180 km) keeps a visitor far from every station from scanning the whole table.
NEARBY_WANTED = PAGE_SIZE
NEARBY_START_DEGREES = 0.1
NEARBY_MAX_DEGREES = 1.6
EARTH_RADIUS_KM = 6371.0088


def public_stations() -> QuerySet[Station]:
    return Station.objects.filter(is_active=True).select_related("region")


def public_deputies() -> QuerySet[Deputy]:
    return Deputy.objects.filter(is_active=True).select_related("region")


def public_station_or_404(code: str) -> Station:
    return get_object_or_404(public_stations(), public_code=code)


def public_deputy_or_404(code: str) -> Deputy:
    return get_object_or_404(
        public_deputies().prefetch_related(
            Prefetch("stations", queryset=public_stations(), to_attr="public_stations")
        ),
        public_code=code,
    )


# What a submission is checked against, kept in this process while the directory is unchanged
# (every directory.services change replaces the directory's token, core/public_pages.py).
_DIRECTORY = Memo(version_key("directory"))


def message_deputy(code: str) -> Deputy | None:
    """The active deputy with this public code, with `public_stations` (their active stations,
    where a message to them is filed), or None."""

    def build():
        found = public_deputies().prefetch_related(
            Prefetch("stations", queryset=public_stations(), to_attr="public_stations")
        )
        return found.filter(public_code=code).first()

    return _DIRECTORY.get(("deputy", code), build)


def active_category(code: str) -> Category | None:
    return _DIRECTORY.get(
        ("category", code), lambda: Category.objects.filter(code=code, is_active=True).first()
    )


def deputy_station_ids(deputy_id: int) -> frozenset[int]:
    """Every station the deputy sits in, active or not."""
    return _DIRECTORY.get(
        ("deputy-stations", deputy_id),
        lambda: frozenset(Station.objects.filter(deputies=deputy_id).values_list("pk", flat=True)),
    )


def station_deputies(station: Station) -> QuerySet[Deputy]:
    return public_deputies().filter(stations=station).order_by("level", "name")


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance; plenty precise for "which station is nearest"."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _box(stations: QuerySet[Station], lat: float, lng: float, degrees: float) -> QuerySet[Station]:
    # A degree of longitude shrinks towards the poles; widen the box so it stays roughly square.
    lng_degrees = min(180.0, degrees / max(math.cos(math.radians(lat)), 0.01))

    def dec(value: float) -> Decimal:
        return Decimal(f"{value:.6f}")

    return stations.filter(
        latitude__range=(dec(lat - degrees), dec(lat + degrees)),
        longitude__range=(dec(lng - lng_degrees), dec(lng + lng_degrees)),
    )


def nearest_stations(
    stations: QuerySet[Station], lat: float, lng: float, *, wanted: int = NEARBY_WANTED
) -> list[Station]:
    """Stations around (lat, lng), nearest first, each with `distance_km`.

    Only a bounding box on the indexed coordinates is read: it starts small and doubles until it
    holds `wanted` stations (or reaches the cap). A box of half-width d may hold a station at
    d·√2 while one just outside its edge is nearer, so the final read uses a box 1.5 times wider:
    the first `wanted` results are then truly the nearest.
    """
    degrees = NEARBY_START_DEGREES
    while degrees < NEARBY_MAX_DEGREES and _box(stations, lat, lng, degrees).count() < wanted:
        degrees *= 2
    candidates = list(_box(stations, lat, lng, min(degrees, NEARBY_MAX_DEGREES) * 1.5))
    for station in candidates:
        # The visitor's browser reports WGS-84; a station picked on AMap is GCJ-02, ~500 m off.
        station.distance_km = haversine_km(lat, lng, *station.position(geo.WGS84))
    candidates.sort(key=lambda s: (s.distance_km, s.name))
    return candidates


def top_region() -> Region | None:
    """The region a deployment covers: the root, skipping levels with a single child (a district
    deployment starts at its district, a provincial one at the province). Cached: the tree's top
    changes once in years."""
    return cache.get_or_set("directory:top-region", _find_top_region, TOP_REGION_CACHE_SECONDS)


def _find_top_region() -> Region | None:
    region = None
    for _level in RegionLevel.values:
        children = list(Region.objects.filter(parent=region).order_by("code")[:2])
        if len(children) != 1:
            break
        region = children[0]
    return region


@dataclass
class RegionBrowser:
    """The area select: one level of the tree at a time, so even a province's thousands of
    streets are never listed (or read) at once. Choosing an area and searching lists the areas
    below it next time."""

    level: Region | None  # whose children are offered
    up: Region | None  # the level above, offered as a way back
    children: list[Region]


def region_browser(selected: Region | None) -> RegionBrowser:
    top = top_region()
    level = selected or top
    children = list(Region.objects.filter(parent=level).order_by("code")) if level else []
    if level is not None and not children and level != top:
        # A community has nothing below it: keep offering its siblings.
        level = level.parent
        children = list(Region.objects.filter(parent=level).order_by("code"))
    if level is None:
        children = list(Region.objects.filter(parent=None).order_by("code"))
    up = level.parent if level is not None and level != top else None
    return RegionBrowser(level=level, up=up, children=children)


@dataclass
class SearchForm:
    """The cleaned search parameters, and polite notices about the ones we had to ignore."""

    query: str = ""
    region: Region | None = None
    kind: str = ""
    lat: float | None = None
    lng: float | None = None
    notices: list = field(default_factory=list)

    @property
    def nearby(self) -> bool:
        return self.lat is not None and self.lng is not None

    def querystring(self, *, location: bool = True) -> str:
        """The search again, without the page number: for pagination links."""
        params = {
            "q": self.query,
            "region": self.region.code if self.region else "",
            "kind": self.kind,
        }
        if location and self.nearby:
            params.update(lat=f"{self.lat:.6f}", lng=f"{self.lng:.6f}")
        return urlencode({k: v for k, v in params.items() if v})

    @property
    def querystring_without_location(self) -> str:
        return self.querystring(location=False)


def _coordinate(raw: str, limit: float) -> float | None:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value) or abs(value) > limit:
        return None
    return value


def clean_search(params) -> SearchForm:
    form = SearchForm(query=(params.get("q") or "").strip()[:100])
    region_code = (params.get("region") or "").strip()
    if region_code:
        form.region = Region.objects.filter(code=region_code[:12]).first()
        if form.region is None:
            form.notices.append(_("We do not know that region, so all regions are shown."))
    kind = (params.get("kind") or "").strip()
    if kind:
        if kind in StationKind.values:
            form.kind = kind
        else:
            form.notices.append(_("We do not know that kind of station, so all kinds are shown."))
    raw_lat, raw_lng = params.get("lat"), params.get("lng")
    if raw_lat or raw_lng:
        form.lat, form.lng = _coordinate(raw_lat, 90), _coordinate(raw_lng, 180)
        if not form.nearby:
            form.lat = form.lng = None
            form.notices.append(
                _("We could not read your location, so the stations are not sorted by distance.")
            )
    return form


def station_search(params) -> dict:
    """The home page search: by name, by region (with everything below it), by kind, and nearest
    first when the browser sent a location. Bad parameters are ignored with a notice."""
    form = clean_search(params)
    stations = public_stations().select_related("region__parent")
    if form.query:
        stations = stations.filter(name__icontains=form.query)
    if form.region:
        stations = stations.filter(region__path__startswith=form.region.path)
    if form.kind:
        stations = stations.filter(kind=form.kind)
    results = nearest_stations(stations, form.lat, form.lng) if form.nearby else stations

    paginator = Paginator(results, PAGE_SIZE)
    raw_page = params.get("page") or 1
    try:
        page = paginator.page(raw_page)
    except PageNotAnInteger:
        page = paginator.page(1)
        form.notices.append(_("That page number is not valid, so the first page is shown."))
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
        form.notices.append(_("There is no such page, so the last page is shown."))
    return {
        "form": form,
        "query": form.query,
        "page_obj": page,
        "stations": page.object_list,
        "count": paginator.count,
        "searched": bool(form.query or form.region or form.kind or form.nearby),
        "querystring": form.querystring(),
        "regions": region_browser(form.region),
        "kinds": StationKind.choices,
    }


def public_grid_cells(**filters) -> QuerySet:
    """The active grid cells, for the deputy's and the station's public pages."""
    return GridCell.objects.filter(is_active=True, **filters).select_related("region")
