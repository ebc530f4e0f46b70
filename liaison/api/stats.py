"""Statistics over the API (docs/statistics.md): the figures of the dashboard as JSON, public and
aggregated at /api/v1/stats/ (counts from 1 to 4 are null), scoped to the account at
/api/v1/staff/stats/. Thin: the page's form validates the parameters, `stats.selectors` scopes the
rows, `stats.figures` computes."""

import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, views
from rest_framework.response import Response

from liaison.core.errors import NotAllowed
from liaison.core.permissions import may_at_all
from liaison.stats import figures, opendata, selectors
from liaison.stats.forms import PeriodForm
from liaison.stats.templatetags.stats import SMALLEST_SHOWN

from .cases_staff import StaffView
from .views import PublicView, invalid

PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, required=True, description="First day."),
    OpenApiParameter("end", OpenApiTypes.DATE, required=True, description="Last day (≤ 10 years)."),
    OpenApiParameter("region", str, description="Division code: this region and below."),
    OpenApiParameter("station", str, description="Station number."),
]


def _period(params):
    """The validated period and place, or a 400 naming the parameter."""
    for name in ("start", "end"):
        if not params.get(name):
            raise invalid(name, _("Give the first and the last day (YYYY-MM-DD)."))
    names = ("start", "end", "region", "station")
    form = PeriodForm({name: params.get(name, "") for name in names})
    if not form.is_valid():
        field, errors = next(iter(form.errors.as_data().items()))
        message = errors[0].messages[0]
        if errors[0].code == "unknown":
            # A place that does not exist is a resource not found, not a malformed parameter.
            raise exceptions.NotFound(message)
        raise invalid("start" if field == "__all__" else field, message)
    return form.cleaned_data


def _rate(rate: figures.Rate, hide) -> dict:
    shown = hide(rate.numerator) is not None and hide(rate.denominator) is not None
    low, high = rate.wilson
    return {
        "numerator": hide(rate.numerator),
        "denominator": hide(rate.denominator),
        "rate": rate.value if shown else None,
        "wilson_low": low if shown and rate.denominator else None,
        "wilson_high": high if shown and rate.denominator else None,
    }


def as_json(found: figures.Figures, *, public: bool) -> dict:
    def hide(n):
        return None if public and isinstance(n, int) and 0 < n < SMALLEST_SHOWN else n

    return {
        "start": found.start,
        "end": found.end,
        "counts": {name: hide(n) for name, n in found.totals.items() if name in figures.COUNTERS},
        "channels": {str(label): hide(n) for label, n in found.channels},
        "categories": {category.code: hide(n) for category, n in found.categories},
        "steps": {
            step.name: {**_rate(step.on_time, hide), "median": step.median, "p90": step.p90}
            for step in found.steps
        },
        "rates": {name: _rate(rate, hide) for name, rate in found.rates.items()},
        "departments": [
            {
                "code": row.department.code,
                "name": row.department.name,
                "assigned": hide(row.assigned),
                "signed_on_time": _rate(row.signed_on_time, hide),
                "resolved_on_time": _rate(row.resolved_on_time, hide),
                "extended": hide(row.extended),
                "returned": hide(row.returned),
                "satisfaction": _rate(row.satisfaction, hide),
            }
            for row in found.departments
        ],
        "months": [
            {
                "month": month["month"].strftime("%Y-%m"),
                **{name: hide(month[name]) for name in figures.TREND_METRICS},
            }
            for month in found.months
        ],
    }


class PublicStats(PublicView, views.APIView):
    @extend_schema(
        tags=["statistics"],
        summary="Public statistics of the messages",
        description="Aggregated; a count from 1 to 4 is null (docs/statistics.md).",
        parameters=PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        data = _period(request.query_params)
        rows = selectors.public_rows(data["region"], data["station"])
        found = figures.compute(rows, data["start"], data["end"])
        return Response(as_json(found, public=True))


class StaffStats(StaffView, views.APIView):
    @extend_schema(
        tags=["statistics"],
        summary="Statistics of the account's scope",
        description="A region or station outside the account's scope answers 403.",
        parameters=PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        if not may_at_all(request.user, "casefigure.view"):
            raise NotAllowed(_("Your account has no statistics to see."))
        data = _period(request.query_params)
        rows = selectors.staff_rows(request.user, data["region"], data["station"])
        found = figures.compute(rows, data["start"], data["end"])
        return Response(as_json(found, public=False))


class OpenDataMonth(PublicView, views.APIView):
    @extend_schema(
        tags=["statistics"],
        summary="Open data of one month",
        description=(
            "The JSON open data file of an ended month (docs/open-data.md): the public figures "
            "per region; a count from 1 to 4 is null. 404 before the file is written."
        ),
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, month):
        year, number = month.split("-")
        stored = opendata.open_file(opendata.filename(int(year), int(number), "json"))
        if stored is None:
            raise exceptions.NotFound(_("There is no open data file of this month."))
        with stored:
            return Response(json.load(stored))
