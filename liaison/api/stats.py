"""Statistics over the API (docs/statistics.md): the figures of the dashboard as JSON, public and
aggregated at /api/v1/stats/ (counts from 1 to 4 are null), scoped to the account at
/api/v1/staff/stats/. Thin: the page's form validates the parameters, `stats.selectors` scopes the
rows, `stats.figures` computes."""

import json

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, views
from rest_framework.response import Response

from liaison.core.errors import NotAllowed
from liaison.core.permissions import may_at_all
from liaison.stats import figures, legislation, opendata, overview, selectors
from liaison.stats.forms import PeriodForm
from liaison.stats.templatetags.stats import SMALLEST_SHOWN
from liaison.workdays.deadlines import local_day

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


def _work_json(found: overview.Overview, hide, public: bool) -> dict:
    w, s, c = found.work, found.suggestions, found.coverage
    return {
        "open_now": {"open": hide(found.open_now.open), "overdue": hide(found.open_now.overdue)},
        "referrals": {channel.code: hide(n) for channel, n in found.cases.referrals},
        "rising_categories": [
            {"category": r.category.code, "now": hide(r.now), "before": hide(r.before)}
            for r in found.cases.rising
        ],
        "work": {
            "visitors": hide(w.visitors),
            "visitors_booked": hide(w.visitors_booked),
            "reception_days": hide(w.reception_days),
            "activities": hide(w.activities),
            "participants": hide(w.participants),
            "activity_kinds": {
                kind.code: {"activities": hide(n), "participants": hide(people)}
                for kind, n, people in w.kinds
            },
            **(
                {}
                if public
                else {
                    "deputies": [
                        {
                            "code": row.deputy.code,
                            "name": row.deputy.name,
                            "visitors": row.visitors,
                            "duties": row.duties,
                            "activities": row.activities,
                            "replied": row.replied,
                            "answered": row.answered,
                        }
                        for row in w.deputies
                    ]
                }
            ),
        },
        "three_ones": {
            "year": found.three_year,
            "levels": [
                {
                    "level": row.level,
                    "deputies": hide(row.deputies),
                    "contact": _rate(row.contact, hide),
                    "activity": _rate(row.activity, hide),
                    "report": _rate(row.report, hide),
                }
                for row in found.three_by_level
            ],
        },
        "coverage": None
        if c is None
        else {
            "townships": _rate(c.townships, lambda n: n),
            "uncovered": [region.code for region in c.uncovered],
            "deputies_in_a_station": _rate(c.entered, hide),
        },
        "suggestions": {
            "submitted": hide(s.submitted),
            "states": {value: hide(n) for value, _label, n in s.states},
            "answered_in_time": _rate(s.on_time, hide),
            "grades": {value: hide(n) for value, _label, n in s.grades},
            "evaluations": {value: hide(n) for value, _label, n in s.evaluations},
            "evaluation_satisfaction": _rate(s.satisfaction, hide),
            "public_ratings": {value: hide(n) for value, _label, n in s.public_ratings},
        },
    }


def as_json(found: overview.Overview, *, public: bool) -> dict:
    def hide(n):
        return None if public and isinstance(n, int) and 0 < n < SMALLEST_SHOWN else n

    return {**_cases_json(found.cases, hide), **_work_json(found, hide, public)}


def _cases_json(found: figures.Figures, hide) -> dict:
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


def _compute(sources, data, *, public: bool) -> overview.Overview:
    today = local_day(timezone.now())
    return overview.compute(sources, data["start"], data["end"], today=today, public=public)


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
        sources = selectors.public_sources(data["region"], data["station"], data["end"].year)
        return Response(as_json(_compute(sources, data, public=True), public=True))


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
        sources = selectors.staff_sources(
            request.user, data["region"], data["station"], data["end"].year
        )
        return Response(as_json(_compute(sources, data, public=False), public=False))


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


# --- the legislative contact points' figures (stats/legislation.py) -----------------------------


class LegislationLineSerializer(serializers.Serializer):
    """One station's or region's opinions; in the public figures a count from 1 to 4 is null."""

    code = serializers.CharField(
        help_text="Station number or division code; empty for the online opinions not entered "
        "at a station."
    )
    name = serializers.CharField()
    comments = serializers.IntegerField(allow_null=True, help_text="Online + offline.")
    online = serializers.IntegerField(allow_null=True)
    offline = serializers.IntegerField(allow_null=True, help_text="Hearings and visits.")
    people_offline = serializers.IntegerField(
        allow_null=True, help_text="People at the hearings and visits behind the offline ones."
    )
    adopted = serializers.IntegerField(allow_null=True, help_text="Adopted in full or in part.")


class LegislationTotalSerializer(serializers.Serializer):
    comments = serializers.IntegerField(allow_null=True)
    online = serializers.IntegerField(allow_null=True)
    offline = serializers.IntegerField(allow_null=True)
    people_offline = serializers.IntegerField(allow_null=True)
    adopted = serializers.IntegerField(allow_null=True)


class LegislationFiguresSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    total = LegislationTotalSerializer()
    stations = LegislationLineSerializer(many=True)
    regions = LegislationLineSerializer(many=True)


def legislation_json(found: legislation.Figures, start, end, *, public: bool) -> dict:
    def hide(n: int):
        return None if public and 0 < n < SMALLEST_SHOWN else n

    def counts(line: legislation.Line) -> dict:
        return {
            "comments": hide(line.comments),
            "online": hide(line.online),
            "offline": hide(line.offline),
            "people_offline": hide(line.people),
            "adopted": hide(line.adopted),
        }

    def lines(found_lines) -> list[dict]:
        return [{"code": line.code, "name": line.name, **counts(line)} for line in found_lines]

    return {
        "start": start,
        "end": end,
        "total": counts(found.total),
        "stations": lines(found.stations),
        "regions": lines(found.regions),
    }


LEGISLATION_DESCRIPTION = (
    "The opinions on draft regulations received in the period (基层立法联系点, docs/statistics.md "
    '"Legislation"): online and offline, the people behind the offline ones, and those adopted, '
    "by contact-point station and by region (an online opinion counts at the draft's region, an "
    "offline one at its station's). Only drafts published for comment count; no name, phone or "
    "text."
)


class PublicLegislationStats(PublicView, views.APIView):
    @extend_schema(
        tags=["statistics"],
        summary="Public figures of the legislative contact points",
        description=LEGISLATION_DESCRIPTION + " A count from 1 to 4 is null.",
        parameters=PARAMETERS,
        responses={200: LegislationFiguresSerializer},
    )
    def get(self, request):
        data = _period(request.query_params)
        comments = legislation.narrow(
            legislation.public_comments(), data["region"], data["station"]
        )
        found = legislation.compute(comments, data["start"], data["end"])
        return Response(legislation_json(found, data["start"], data["end"], public=True))


class StaffLegislationStats(StaffView, views.APIView):
    @extend_schema(
        tags=["statistics"],
        summary="Figures of the legislative contact points in the account's scope",
        description=LEGISLATION_DESCRIPTION
        + " Unhidden; a region or station outside the account's scope answers 403.",
        parameters=PARAMETERS,
        responses={200: LegislationFiguresSerializer},
    )
    def get(self, request):
        if not may_at_all(request.user, "casefigure.view"):
            raise NotAllowed(_("Your account has no statistics to see."))
        data = _period(request.query_params)
        sources = selectors.staff_sources(
            request.user, data["region"], data["station"], data["end"].year
        )
        found = legislation.compute(sources.legislation, data["start"], data["end"])
        return Response(legislation_json(found, data["start"], data["end"], public=False))
