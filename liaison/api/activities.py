"""Activities (活动) over the API: the public list and page, signing up, and the station and
region month calendars as JSON. The same reads as the public pages (liaison/activities/selectors.py
and calendars.py: drafts never, public fields only — no minutes, photos, sign-ups or check-in
code) and the same sign-up (`signups.request_sign_up` → SMS code → `signups.verify_sign_up`:
the privacy notice accepted, the phone confirmed, the last place under a lock, one sign-up per
phone, an SMS). The web form's honeypot is for robots filling HTML forms; the API
has the throttles."""

from datetime import datetime, time, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status, views
from rest_framework.response import Response

from liaison.activities import calendars, selectors, services, signups
from liaison.activities.forms import SignUpForm
from liaison.activities.models import Activity, ActivityStatus, PendingSignUp
from liaison.core import ratelimit
from liaison.directory.models import Region
from liaison.notifications import phonecodes

from .appointments import Refused, form_errors
from .appointments_serializers import PendingSerializer, ResendBodySerializer, VerifyBodySerializer
from .cases_public import _is_partner, _too_many
from .cases_staff import date_param
from .fields import MobileField, MustBeTrueField
from .schema import ErrorSerializer
from .views import PublicView, region_param, text_param

TAG = ["activities"]
PENDING_SALT = "liaison.api.activity-signup-pending"


class ActivitySerializer(serializers.Serializer):
    public_code = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField(source="kind.code")
    kind_name = serializers.CharField(source="kind.name")
    status = serializers.ChoiceField(choices=ActivityStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    station = serializers.CharField(
        source="station.public_code",
        allow_null=True,
        help_text="Empty for an activity of a region without a station (区级活动).",
    )
    station_name = serializers.CharField(
        source="host_name", help_text="The station's name, or the region's without a station."
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, activity) -> str:
        path = f"/a/{activity.public_code}/"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class RefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class GuestSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="official, police, procurator, judge, lawyer, resident, other"
    )
    name = serializers.CharField()
    organisation = serializers.CharField()
    role = serializers.CharField()


class ActivityDetailSerializer(ActivitySerializer):
    description = serializers.CharField(help_text="Description and agenda.")
    capacity = serializers.IntegerField(allow_null=True, help_text="Null: no limit.")
    places_left = serializers.SerializerMethodField(help_text="Null: no limit.")
    sign_up_open = serializers.SerializerMethodField()
    deputies = serializers.SerializerMethodField(help_text="Invited deputies (public codes).")
    departments = serializers.SerializerMethodField()
    guests = GuestSerializer(
        source="guests.all",
        many=True,
        help_text="Outside participants beside the deputies (联合接待).",
    )

    def get_places_left(self, activity) -> int | None:
        return services.places_left(activity)

    def get_sign_up_open(self, activity) -> bool:
        return activity.status == ActivityStatus.ANNOUNCED and activity.starts_at > timezone.now()

    @staticmethod
    def _refs(rows) -> list[dict]:
        return RefSerializer(rows, many=True).data

    def get_deputies(self, activity) -> list[dict[str, str]]:
        rows = activity.deputies.filter(is_active=True).order_by("name")
        return self._refs({"code": d.public_code, "name": d.name} for d in rows)

    def get_departments(self, activity) -> list[dict[str, str]]:
        rows = activity.departments.order_by("name")
        return self._refs({"code": d.code, "name": d.name} for d in rows)


class SignUpBodySerializer(serializers.Serializer):
    """Documents the body; the activity page's SignUpForm validates it."""

    name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    phone = MobileField()
    privacy_accepted = MustBeTrueField(
        help_text="The citizen read and accepted the privacy notice (/privacy/): must be true."
    )


class SignedUpSerializer(serializers.Serializer):
    activity = serializers.CharField()
    places_left = serializers.IntegerField(allow_null=True)


class ActivityDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    activities = ActivitySerializer(many=True)


class MonthCalendarSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    name = serializers.CharField(help_text="The station's or the region's name.")
    previous = serializers.CharField()
    following = serializers.CharField()
    count = serializers.IntegerField()
    days = ActivityDaySerializer(many=True)


def _local_midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class ActivityList(PublicView, generics.ListAPIView):
    serializer_class = ActivitySerializer

    @extend_schema(
        tags=TAG,
        summary="Public activities (announced, held, and cancelled ones marked)",
        description="Never drafts. Without from/to: those not over yet. An unknown station or "
        "region code matches nothing.",
        parameters=[
            OpenApiParameter("station", str, description="Station public code."),
            OpenApiParameter("region", str, description="Region code: the region and below."),
            OpenApiParameter("from", OpenApiTypes.DATE, description="Starting on or after."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Starting on or before."),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        start, end = date_param(params, "from"), date_param(params, "to")
        station = None
        if code := text_param(params, "station", 16):
            station = selectors.public_stations().filter(public_code=code).first()
            if station is None:
                return Activity.objects.none()
        region = region_param(params)
        stations = selectors.public_stations(station=station, region=region)
        if station is not None:
            where = Q(station__in=stations)
        elif region is not None:  # the region's stations and its activities without one
            where = selectors.held_by(stations, region)
        else:  # everything: the district activities too
            where = Q(station__in=stations) | Q(station__isnull=True)
        activities = Activity.objects.filter(
            where, status__in=selectors.PUBLIC_STATUSES
        ).select_related("station", "region", "kind")
        if start is None and end is None:
            activities = activities.filter(ends_at__gt=timezone.now())
        if start is not None:
            activities = activities.filter(starts_at__gte=_local_midnight(start))
        if end is not None:
            activities = activities.filter(starts_at__lt=_local_midnight(end + timedelta(days=1)))
        return activities.order_by("starts_at", "id")


def _activity(public_code: str) -> Activity:
    code = public_code.replace("\x00", "")
    activity = selectors.public_activities().filter(public_code=code).first()
    if activity is None:
        raise exceptions.NotFound(gettext("No activity with this code."))
    return activity


class ActivityDetail(PublicView, views.APIView):
    @extend_schema(
        tags=TAG,
        summary="One public activity",
        responses={200: ActivityDetailSerializer},
    )
    def get(self, request, public_code):
        activity = _activity(public_code)
        return Response(ActivityDetailSerializer(activity, context={"request": request}).data)


class ActivitySignUp(PublicView, views.APIView):
    @extend_schema(
        tags=TAG,
        summary="Sign up for an activity (报名): sends a 6-digit SMS code",
        description="As on the activity page: the privacy notice must be accepted "
        "(`privacy_accepted`), and nothing is taken until POST …/activities/sign-up/verify with "
        "the `pending` token and the code. A phone signed up already is a 400 on `phone`; a "
        "cancelled, closed (started, held) or full activity a 409 refused.",
        request=SignUpBodySerializer,
        responses={
            201: PendingSerializer,
            409: OpenApiResponse(ErrorSerializer, description="refused: closed or full."),
        },
    )
    def post(self, request, public_code):
        activity = _activity(public_code)
        body = request.data if isinstance(request.data, dict) else {}
        form = SignUpForm(
            {
                "name": body.get("name", ""),
                "phone": body.get("phone", ""),
                "privacy_accepted": body.get("privacy_accepted", False),
            }
        )
        if not form.is_valid():
            form_errors(form)
        data = form.cleaned_data
        try:
            pending, _code = signups.request_sign_up(
                activity,
                name=data["name"],
                phone=data["phone"],
                privacy_accepted=data["privacy_accepted"],
                ip=None if _is_partner(request) else ratelimit.client_ip(request),
            )
        except signups.TooManySignUps as refused:
            raise _too_many(refused.message) from None
        except ValidationError as invalid:
            _refusal(invalid)
        return Response(_pending_body(pending), status=status.HTTP_201_CREATED)


def _refusal(invalid: ValidationError):
    if "code" in getattr(invalid, "message_dict", {}):  # too many codes today
        raise exceptions.Throttled(detail=" ".join(invalid.messages)) from invalid
    if hasattr(invalid, "error_dict"):
        raise serializers.ValidationError(invalid.message_dict) from invalid
    raise Refused(" ".join(invalid.messages)) from invalid


def _pending_body(pending: PendingSignUp) -> dict:
    return {
        "pending": signing.dumps({"s": pending.pk}, salt=PENDING_SALT),
        "status": "pending",
        "resend_after": int(phonecodes.RESEND_AFTER.total_seconds()),
    }


def _pending(token: str) -> PendingSignUp:
    """The sign-up a `pending` token names, while its phone is not confirmed; 404 otherwise."""
    try:
        pk = signing.loads(
            token, salt=PENDING_SALT, max_age=signups.UNVERIFIED_KEPT.total_seconds()
        )["s"]
    except (signing.BadSignature, KeyError, TypeError) as bad:
        raise exceptions.NotFound(gettext("No sign-up waits for this code.")) from bad
    pending = PendingSignUp.objects.filter(pk=pk).select_related("activity").first()
    if pending is None:
        raise exceptions.NotFound(gettext("No sign-up waits for this code."))
    return pending


class VerifySignUp(PublicView, views.APIView):
    @extend_schema(
        tags=TAG,
        summary="Confirm the phone with the SMS code: the place is taken",
        description="A wrong or expired code is a 400 on `code` (5 tries); an activity that "
        "filled up, closed or was cancelled meanwhile a 409 refused. A sign-up confirmed "
        "already answers 404 (its confirmation came by SMS).",
        request=VerifyBodySerializer,
        responses={
            201: SignedUpSerializer,
            409: OpenApiResponse(ErrorSerializer, description="refused: closed or full."),
        },
    )
    def post(self, request):
        body = VerifyBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        pending = _pending(body.validated_data["pending"])
        try:
            signups.verify_sign_up(pending, body.validated_data["code"])
        except ValidationError as invalid:
            if hasattr(invalid, "error_dict") and "code" in invalid.error_dict:
                raise serializers.ValidationError(invalid.message_dict) from invalid
            raise Refused(" ".join(invalid.messages)) from invalid
        activity = pending.activity
        result = {"activity": activity.public_code, "places_left": services.places_left(activity)}
        return Response(result, status=status.HTTP_201_CREATED)


class ResendSignUpCode(PublicView, views.APIView):
    @extend_schema(
        tags=TAG,
        summary="A new SMS code for a sign-up waiting for its confirmation",
        description="After a minute, a limited number a day (429 with Retry-After).",
        request=ResendBodySerializer,
        responses={202: PendingSerializer},
    )
    def post(self, request):
        body = ResendBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        pending = _pending(body.validated_data["pending"])
        try:
            signups.send_code(pending)
        except ValidationError as invalid:
            wait = signups.seconds_until_resend(pending)
            raise exceptions.Throttled(
                wait=wait or ratelimit.HOUR, detail=" ".join(invalid.messages)
            ) from invalid
        answer = {**_pending_body(pending), "pending": body.validated_data["pending"]}
        return Response(answer, status=status.HTTP_202_ACCEPTED)


MONTH_PARAMETER = OpenApiParameter(
    "month",
    # The years and months calendars.parse_month accepts, so that the schema allows no other.
    {"type": "string", "pattern": r"^(20[0-9]{2}|2100)-(0?[1-9]|1[0-2])$"},
    description="YYYY-MM (this month when absent).",
)


def _calendar(request, *, station=None, region=None) -> Response:
    month = calendars.parse_month(request.query_params.get("month", ""))
    if month is None:
        raise exceptions.ValidationError(
            {"month": [gettext("Give the month as year-month, e.g. 2026-11.")]}
        )
    context = calendars.month_context(*month, station=station, region=region)
    body = {
        "month": context["month_value"],
        "name": context["place_name"],
        "previous": context["previous"],
        "following": context["following"],
        "count": context["count"],
        "days": [{"date": day, "activities": items} for day, items in context["days"]],
    }
    return Response(MonthCalendarSerializer(body, context={"request": request}).data)


class StationCalendar(PublicView, views.APIView):
    @extend_schema(
        tags=TAG,
        summary="A station's month calendar of activities",
        description="As the calendar page: announced and held activities, cancelled ones "
        "marked, by day.",
        parameters=[MONTH_PARAMETER],
        responses={200: MonthCalendarSerializer},
    )
    def get(self, request, public_code):
        station = selectors.public_stations().filter(public_code=public_code.replace("\x00", ""))
        station = station.first()
        if station is None:
            raise exceptions.NotFound(gettext("No active station has this code."))
        return _calendar(request, station=station)


class RegionCalendar(PublicView, views.APIView):
    @extend_schema(
        tags=TAG,
        summary="A region's month calendar (every station below it)",
        parameters=[MONTH_PARAMETER],
        responses={200: MonthCalendarSerializer},
    )
    def get(self, request, code):
        region = Region.objects.filter(code=code.replace("\x00", "")).first()
        if region is None:
            raise exceptions.NotFound(_("No region with this code."))
        return _calendar(request, region=region)
