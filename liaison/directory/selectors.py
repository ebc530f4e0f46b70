"""Public reads of the directory. Only active rows are public."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .models import Deputy, Station


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


def station_deputies(station: Station) -> QuerySet[Deputy]:
    return public_deputies().filter(stations=station).order_by("level", "name")


def station_search(params) -> dict:
    """The home page search: by name, by region, or nearest to a location. (Grown in the public
    pages work; this first version filters by name only.)"""
    query = (params.get("q") or "").strip()
    stations = public_stations()
    if query:
        stations = stations.filter(name__icontains=query)
    return {"query": query, "stations": stations[:50]}
