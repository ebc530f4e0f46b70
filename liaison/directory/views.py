"""Public directory pages: thin, reading through selectors; QR codes and printable signs."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from liaison.core import public_pages, registry
from liaison.core.dbrouter import replica_reads
from liaison.core.permissions import may

from . import finder, maps, qr, selectors, signs


@replica_reads
def home(request):
    """Find a station: by name, by region, by kind, or nearest first (找联络站)."""
    context = selectors.station_search(request.GET)
    if maps.place_on_map(context["stations"]):
        context["map"] = maps.map_settings()
    return render(request, "directory/public/home.html", context)


@replica_reads
def find_deputy(request):
    """找代表 — who is my deputy: by name, or by address (typed, or picked level by level)."""
    context = finder.search(request.GET)
    return render(
        request, "directory/public/find_deputy.html", context, status=context["form"].status
    )


@replica_reads
def station_detail(request, code):
    """A station's public page, from the cache for anonymous visitors (core/public_pages.py)."""

    def build(extra):
        station = selectors.public_station_or_404(code)
        context = {
            "station": station,
            "full_address": station.region.prefix_address(station.address),
            "deputies": list(selectors.station_deputies(station)),
            "positions": list(station.positions.all()),
            "grid_cells": list(selectors.public_grid_cells(station=station)),
            **extra,
        }
        if maps.place_on_map([station]):
            context["map"] = maps.map_settings()
        # What the apps above the directory show on the page (the next reception days, …).
        for contribute in registry.station_page.functions():
            context.update(contribute(station))
        return render(request, "directory/public/station.html", context)

    return public_pages.cached(request, build)


@replica_reads
def deputy_detail(request, code):
    """The page the QR code on the deputy's sign opens: from the cache for anonymous visitors
    (core/public_pages.py), so a deputy code that is not public is still a 404 below."""

    def build(extra):
        deputy = selectors.public_deputy_or_404(code)
        stations = deputy.public_stations
        return render(
            request,
            "directory/public/deputy.html",
            {
                "deputy": deputy,
                "stations": stations,
                "contact_station": stations[0] if stations else None,
                "grid_cells": list(selectors.public_grid_cells(deputies=deputy)),
                "record_seconds": settings.LIAISON_DEPUTY_RECORD_CACHE_SECONDS,
                **extra,
            },
        )

    return public_pages.cached(request, build)


def _qr_response(url: str, fmt: str, filename: str) -> HttpResponse:
    if fmt == "svg":
        response = HttpResponse(qr.qr_svg(url), content_type="image/svg+xml")
    else:
        response = HttpResponse(qr.qr_png(url), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "public, max-age=86400"
    return response


def station_qr(request, code, fmt):
    station = selectors.public_station_or_404(code)
    return _qr_response(qr.public_url(station), fmt, f"station-{station.public_code}")


def deputy_qr(request, code, fmt):
    deputy = selectors.public_deputy_or_404(code)
    return _qr_response(qr.public_url(deputy), fmt, f"deputy-{deputy.public_code}")


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


def deputy_sign(request, code):
    """公示牌 — the deputy's printable A4 sign."""
    deputy = selectors.public_deputy_or_404(code)
    return _pdf_response(signs.deputy_sign_pdf(deputy), f"sign-{deputy.public_code}")


@login_required
def station_signs(request, code):
    """All signs of one station in one PDF, for the staff who print and hang them."""
    station = selectors.public_station_or_404(code)
    if not may(request.user, "view", station):
        raise PermissionDenied(_("You can print the signs of your own stations only."))
    deputies = selectors.station_deputies(station)
    return _pdf_response(signs.station_signs_pdf(station, deputies), f"signs-{station.public_code}")
