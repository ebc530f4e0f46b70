"""Public, read-only endpoints: the directory and the working-day calendar. Thin: the querysets
come from the directory's public selectors (active rows only)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, filters, generics, views
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from liaison.directory import finder, selectors
from liaison.directory.models import (
    Category,
    Department,
    DeputyLevel,
    Region,
    RegionLevel,
    StationKind,
)
from liaison.workdays.deadlines import add_working_days
from liaison.workdays.models import CalendarDay, DayKind, ScheduleYear

from .errors import RequestedLanguageMixin
from .serializers import (
    AddWorkingDaysQuerySerializer,
    CalendarYearSerializer,
    CategorySerializer,
    DepartmentSerializer,
    DeputySerializer,
    RegionSerializer,
    StationDetailSerializer,
    StationSerializer,
    WorkingDayResultSerializer,
)

Q_MAX_LENGTH = 100


def text_param(params, name: str, max_length: int) -> str:
    """A text parameter without NUL characters, which PostgreSQL refuses in any query."""
    return (params.get(name) or "").replace("\x00", "").strip()[:max_length]


def invalid(field: str, message) -> exceptions.ValidationError:
    return exceptions.ValidationError({field: [message]})


def choice_param(params, name: str, choices) -> str | int | None:
    """A query parameter that must be one of `choices` (ints for IntegerChoices)."""
    raw = params.get(name)
    if raw in (None, ""):
        return None
    for value in choices.values:
        if str(value) == raw:
            return value
    raise invalid(name, _("Not a valid choice: %(value)s.") % {"value": raw[:50]})


def region_param(params, name: str = "region") -> Region | None:
    """The region a filter names. An unknown code is a filter matching nothing, not an error:
    a client's cached code for a region that has since been merged away gets an empty list."""
    code = text_param(params, name, 12)
    if not code:
        return None
    return Region.objects.filter(code=code).first() or Region(path="/no such region/")


def search_param(params) -> str:
    return text_param(params, "q", Q_MAX_LENGTH)


class Ordering(filters.OrderingFilter):
    """`?ordering=` with its values in the schema (each field, and with "-" for descending), so
    that another value is refused (liaison/api/schema_check.py) rather than silently ignored."""

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = [name for name, _label in self.get_valid_fields(view.get_queryset(), view)]
        for parameter in parameters:
            parameter["schema"]["enum"] = [*fields, *(f"-{name}" for name in fields)]
        return parameters


class PublicView(RequestedLanguageMixin):
    permission_classes = [AllowAny]

    def get_object(self):
        # A NUL in the URL can match nothing, and PostgreSQL refuses it in a query.
        if "\x00" in str(self.kwargs.get(self.lookup_field, "")):
            raise exceptions.NotFound()
        return super().get_object()


def q_parameter(what: str) -> OpenApiParameter:
    return OpenApiParameter("q", str, description=f"Part of the {what}'s name.")


@extend_schema_view(
    get=extend_schema(
        tags=["directory"],
        summary="Regions (administrative divisions)",
        parameters=[
            OpenApiParameter("parent", str, description="Children of the region with this code."),
            OpenApiParameter("level", int, enum=RegionLevel.values),
        ],
    )
)
class RegionList(PublicView, generics.ListAPIView):
    serializer_class = RegionSerializer
    filter_backends = [Ordering]
    ordering_fields = ["code", "name", "level"]
    ordering = ["code"]

    def get_queryset(self):
        params = self.request.query_params
        regions = Region.objects.select_related("parent")
        if parent := text_param(params, "parent", 12):
            regions = regions.filter(parent__code=parent)
        level = choice_param(params, "level", RegionLevel)
        if level is not None:
            regions = regions.filter(level=level)
        return regions


@extend_schema_view(
    get=extend_schema(
        tags=["directory"],
        summary="Active stations",
        parameters=[
            OpenApiParameter("region", str, description="Region code: the region and below it."),
            OpenApiParameter("kind", str, enum=StationKind.values),
            q_parameter("station"),
        ],
    )
)
class StationList(PublicView, generics.ListAPIView):
    serializer_class = StationSerializer
    filter_backends = [Ordering]
    ordering_fields = ["name", "code", "kind"]
    ordering = ["region__path", "name"]

    def get_queryset(self):
        params = self.request.query_params
        stations = selectors.public_stations()
        region = region_param(params)
        if region is not None:
            stations = stations.filter(region__path__startswith=region.path)
        kind = choice_param(params, "kind", StationKind)
        if kind is not None:
            stations = stations.filter(kind=kind)
        if query := search_param(params):
            stations = stations.filter(name__icontains=query)
        return stations


@extend_schema_view(get=extend_schema(tags=["directory"], summary="One active station"))
class StationDetail(PublicView, generics.RetrieveAPIView):
    serializer_class = StationDetailSerializer
    lookup_field = "public_code"
    queryset = selectors.public_stations()


def public_deputies():
    return selectors.public_deputies().prefetch_related(
        Prefetch("stations", queryset=selectors.public_stations(), to_attr="public_stations"),
        "constituency_regions",
    )


@extend_schema_view(
    get=extend_schema(
        tags=["directory"],
        summary="Active deputies",
        parameters=[
            OpenApiParameter("station", str, description="Public code of a station they sit in."),
            OpenApiParameter("level", int, enum=DeputyLevel.values),
            OpenApiParameter(
                "covering",
                str,
                description=(
                    "Region code of an address (找代表, who is my deputy): the deputies whose "
                    "constituency contains it, at every level (the region's own and those of "
                    "every region above it). An unknown code matches nothing."
                ),
            ),
            q_parameter("deputy"),
        ],
    )
)
class DeputyList(PublicView, generics.ListAPIView):
    serializer_class = DeputySerializer
    filter_backends = [Ordering]
    ordering_fields = ["name", "level"]
    ordering = ["level", "name"]

    def get_queryset(self):
        params = self.request.query_params
        deputies = public_deputies()
        if station_code := text_param(params, "station", 16):
            # An unknown or inactive station is a filter matching nothing.
            deputies = deputies.filter(
                stations__in=selectors.public_stations().filter(public_code=station_code)
            )
        if covering := text_param(params, "covering", 12):
            region = Region.objects.filter(code=covering).first()
            if region is None:
                return deputies.none()
            deputies = deputies.filter(pk__in=finder.covering_deputies(region).values("pk"))
        level = choice_param(params, "level", DeputyLevel)
        if level is not None:
            deputies = deputies.filter(level=level)
        if query := search_param(params):
            deputies = deputies.filter(name__icontains=query)
        return deputies


@extend_schema_view(get=extend_schema(tags=["directory"], summary="One active deputy"))
class DeputyDetail(PublicView, generics.RetrieveAPIView):
    serializer_class = DeputySerializer
    lookup_field = "public_code"

    def get_queryset(self):
        return public_deputies()


@extend_schema_view(get=extend_schema(tags=["directory"], summary="Active departments"))
class DepartmentList(PublicView, generics.ListAPIView):
    serializer_class = DepartmentSerializer
    queryset = Department.objects.filter(is_active=True).select_related("region")
    filter_backends = [Ordering]
    ordering_fields = ["name", "code", "level"]
    ordering = ["level", "name"]


@extend_schema_view(get=extend_schema(tags=["directory"], summary="Active case categories"))
class CategoryList(PublicView, generics.ListAPIView):
    serializer_class = CategorySerializer
    queryset = Category.objects.filter(is_active=True)
    filter_backends = [Ordering]
    ordering_fields = ["sort_order", "code", "name"]
    ordering = ["sort_order", "code"]


class AddWorkingDays(PublicView, views.APIView):
    @extend_schema(
        tags=["calendar"],
        summary="The end of the Nth working day after a date",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True),
            OpenApiParameter(
                "days", {"type": "integer", "minimum": 1, "maximum": 366}, required=True
            ),
        ],
        responses=WorkingDayResultSerializer,
    )
    def get(self, request):
        query = AddWorkingDaysQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        deadline = add_working_days(query.validated_data["start"], query.validated_data["days"])
        return Response(
            WorkingDayResultSerializer(
                {"date": deadline.due_date, "provisional": deadline.provisional}
            ).data
        )


class CalendarYear(PublicView, views.APIView):
    @extend_schema(
        tags=["calendar"],
        summary="A year's holidays and make-up working days",
        parameters=[
            OpenApiParameter(
                "year", {"type": "integer", "minimum": 2000, "maximum": 2100}, OpenApiParameter.PATH
            )
        ],
        responses=CalendarYearSerializer,
    )
    def get(self, request, year: int):
        if not 2000 <= year <= 2100:
            raise invalid("year", _("The year must be between 2000 and 2100."))
        days = CalendarDay.objects.filter(date__year=year).order_by("date")
        return Response(
            CalendarYearSerializer(
                {
                    "year": year,
                    "loaded": ScheduleYear.objects.filter(year=year).exists(),
                    "holidays": [d for d in days if d.kind == DayKind.HOLIDAY],
                    "makeup_working_days": [d for d in days if d.kind == DayKind.MAKEUP],
                }
            ).data
        )
