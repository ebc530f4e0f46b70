"""Online appointments (线上预约) over the API, for partners (a WeChat mini-program, a city app)
and station staff. Thin, like liaison/appointments/views.py, on the same parts: the slots are
`station_slots`, the body is checked by the page's own forms (BookingForm, RescheduleForm,
LookupForm, CancelForm, StaffFilterForm), every change is a service call of
liaison/appointments/services.py, the staff list is `appointments.selectors` (restrict()).

Citizen: book (a 6-digit SMS code goes out; the answer carries a `pending` token), verify the code
with the token (the place is taken now; the answer carries the 8-digit booking code), then look up,
cancel or reschedule with the booking code and the phone's last 4 digits (failures counted as on
the "my booking" page). The phone is never in an answer; staff see it masked (the full number is
behind the staff page's logged "show" button).

Refusals: a field error 400 (`field` names it), a full slot 409 `slot_full`, a booking whose time
has come or a no-show before the slot 409 `refused`, a status that does not allow the step 409
`transition_refused`, a station outside the account's scope 403 `not_allowed`.
"""

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status, views
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from liaison.appointments import selectors
from liaison.appointments import services as appointments
from liaison.appointments import views as pages
from liaison.appointments.forms import (
    BookingForm,
    CancelForm,
    LookupForm,
    RescheduleForm,
    StaffFilterForm,
)
from liaison.appointments.models import Appointment, AppointmentStatus
from liaison.appointments.slots import BOOKING_DAYS, is_slot_full, station_slots
from liaison.core import ratelimit
from liaison.core.errors import TransitionRefused
from liaison.core.permissions import restrict
from liaison.directory import selectors as directory
from liaison.directory.models import Deputy, Station
from liaison.notifications import phonecodes

from .appointments_serializers import (
    BookingBodySerializer,
    BookingSerializer,
    CancelBodySerializer,
    Last4BodySerializer,
    MoveBodySerializer,
    PendingSerializer,
    RescheduleBodySerializer,
    ResendBodySerializer,
    StaffAppointmentSerializer,
    StationSlotsSerializer,
    VerifyBodySerializer,
)
from .cases_public import LAST4_PARAMETERS, _is_partner, _too_many
from .cases_staff import StaffView
from .errors import RequestedLanguageMixin
from .fields import MAX_ID
from .schema import ErrorSerializer

TAG = ["appointments"]
STAFF_TAG = ["staff appointments"]
PENDING_SALT = "liaison.api.appointment-pending"


class SlotFull(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "slot_full"
    default_detail = _("Sorry, this slot is full. Please choose another time.")


class Refused(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "refused"
    default_detail = _("This cannot be done now.")


def raise_refusal(invalid: ValidationError, form_fields=()):
    """A service's ValidationError as the API's answer: a full slot is 409 slot_full, an error
    without a field (the time has come, a no-show too early) 409 refused, the rest 400."""
    if is_slot_full(invalid):
        raise SlotFull() from invalid
    if not hasattr(invalid, "error_dict"):
        raise Refused(" ".join(invalid.messages)) from invalid
    raise serializers.ValidationError(invalid.message_dict) from invalid


def form_errors(form) -> None:
    raise serializers.ValidationError(
        {
            ("non_field_errors" if name == "__all__" else name): [str(m) for m in messages]
            for name, messages in form.errors.items()
        }
    )


# --- helpers -------------------------------------------------------------------------------------


def _station(code: str) -> Station:
    station = directory.public_stations().filter(public_code=code.replace("\x00", "")).first()
    if station is None:
        raise exceptions.NotFound(gettext("No active station has this code."))
    return station


def _slot_rows(slots) -> list[dict]:
    return [
        {
            "key": slot.key,
            "date": slot.date,
            "start_time": slot.start_time,
            "end_time": slot.end_time,
            "capacity": slot.capacity,
            "places_left": slot.places_left,
            "place": slot.place or "",
            "deputies": slot.deputies,
        }
        for slot in slots
    ]


def _slot_form_data(body, station: Station) -> dict:
    """The body for a SlotForm: the deputy's public code becomes the id its choices use (an
    unknown code an id no row has, so the form says "select a valid choice")."""
    if not isinstance(body, dict):
        raise serializers.ValidationError(gettext("Send a JSON object."))
    data = {k: v for k, v in body.items() if not isinstance(v, dict | list)}
    code = data.get("deputy")
    if code not in (None, ""):
        data["deputy"] = (
            Deputy.objects.filter(stations=station, is_active=True, public_code=str(code))
            .values_list("pk", flat=True)
            .first()
            or 0
        )
    return data


def _pending_token(appointment: Appointment) -> str:
    return signing.dumps({"a": appointment.pk}, salt=PENDING_SALT)


def _pending(token: str) -> Appointment:
    """The booking a `pending` token names, while its phone is not confirmed; 404 otherwise."""
    try:
        pk = signing.loads(
            token, salt=PENDING_SALT, max_age=appointments.UNVERIFIED_KEPT.total_seconds()
        )["a"]
    except (signing.BadSignature, KeyError, TypeError) as bad:
        raise exceptions.NotFound(gettext("No booking waits for this code.")) from bad
    appointment = Appointment.objects.filter(pk=pk).select_related("station", "deputy").first()
    if appointment is None:
        raise exceptions.NotFound(gettext("No booking waits for this code."))
    return appointment


def _send_code(appointment: Appointment) -> None:
    try:
        appointments.send_code(appointment)
    except ValidationError as invalid:
        if appointment.status != AppointmentStatus.PENDING:
            raise Refused(" ".join(invalid.messages)) from invalid
        wait = appointments.seconds_until_resend(appointment)
        raise exceptions.Throttled(
            wait=wait or ratelimit.HOUR, detail=" ".join(invalid.messages)
        ) from invalid


def _booking(request, code: str, last4: str) -> Appointment:
    """The booking if the code and the digits match; 404 alike otherwise, failures counted as on
    the "my booking" page (429 over the limit)."""
    code = "".join(ch for ch in code if ch.isdigit())[:8]
    if pages.lookup_blocked(request, code):
        raise _too_many(gettext("Too many failed tries. Please try again later."))
    form = LookupForm({"code": code, "last4": last4 or ""})
    found = None
    if form.is_valid():  # without a well-formed code and digits nothing is tried or counted
        found = appointments.find_booking(code, form.cleaned_data["last4"])
        if found is None:
            appointments.LOOKUP_FAILURES_PER_IP.hit(ratelimit.client_ip(request))
            appointments.LOOKUP_FAILURES_PER_CODE.hit(code)
    if found is None:
        raise exceptions.NotFound(
            gettext(
                "The booking code and the digits do not match. Please check both and try again."
            )
        )
    return found


class CitizenView(RequestedLanguageMixin, views.APIView):
    permission_classes = [AllowAny]


ERROR_409 = OpenApiResponse(
    ErrorSerializer,
    description="slot_full: no place left; refused: the time has come; transition_refused: "
    "the booking's status does not allow it.",
)
ID_PATH = OpenApiParameter(
    "id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, OpenApiParameter.PATH
)
CODE_PATH = OpenApiParameter(
    "code", {"type": "string", "pattern": r"^\d{8}$"}, OpenApiParameter.PATH
)


# --- the citizen ---------------------------------------------------------------------------------


class StationSlots(CitizenView):
    @extend_schema(
        tags=TAG,
        summary="A station's bookable slots (next 30 days, with places left)",
        description="Each slot with its places left and the deputies on duty. Empty when the "
        "station takes no online bookings.",
        responses={200: StationSlotsSerializer},
    )
    def get(self, request, public_code):
        station = _station(public_code)
        body = {
            "station": station.public_code,
            "days": BOOKING_DAYS,
            "slots": _slot_rows(station_slots(station)),
        }
        return Response(StationSlotsSerializer(body).data)


class BookAppointment(CitizenView):
    @extend_schema(
        tags=TAG,
        summary="Book a slot (预约接待): sends a 6-digit SMS code",
        description="The booking page's checks. Nothing is taken until POST …/appointments/verify "
        "with the `pending` token and the code. Limited per phone and per client address (an "
        "application key with cases:submit: per phone only), 429 with Retry-After.",
        request=BookingBodySerializer,
        responses={201: PendingSerializer, 409: ERROR_409},
    )
    def post(self, request, public_code):
        station = _station(public_code)
        slots = station_slots(station)
        form = BookingForm(_slot_form_data(request.data, station), slots=slots, station=station)
        if not form.is_valid():
            form_errors(form)
        try:
            appointment, _code = appointments.book(
                ip=None if _is_partner(request) else ratelimit.client_ip(request), **form.booking()
            )
        except appointments.TooManyBookings as refused:
            raise _too_many(refused.message) from None
        except ValidationError as invalid:
            raise_refusal(invalid)
        body = {
            "pending": _pending_token(appointment),
            "status": appointment.status,
            "resend_after": int(phonecodes.RESEND_AFTER.total_seconds()),
        }
        return Response(body, status=status.HTTP_201_CREATED)


class VerifyBooking(CitizenView):
    @extend_schema(
        tags=TAG,
        summary="Confirm the phone with the SMS code: the place is taken",
        description="Answers the booking with its 8-digit booking code (also sent by SMS). A "
        "wrong or expired code is a 400 on `code` (5 tries); a slot that filled up meanwhile a "
        "409 slot_full; a booking confirmed already 409 transition_refused.",
        request=VerifyBodySerializer,
        responses={200: BookingSerializer, 409: ERROR_409},
    )
    def post(self, request):
        body = VerifyBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appointment = _pending(body.validated_data["pending"])
        if appointment.status != AppointmentStatus.PENDING:
            # A retry after a lost answer: the booking code came by SMS as well.
            raise TransitionRefused(gettext("This booking is already confirmed."))
        try:
            appointment = appointments.verify_appointment(appointment, body.validated_data["code"])
        except ValidationError as invalid:
            raise_refusal(invalid)
        return Response(BookingSerializer(appointment).data)


class ResendBookingCode(CitizenView):
    @extend_schema(
        tags=TAG,
        summary="A new SMS code for a booking waiting for its confirmation",
        description="After a minute, a limited number a day (429 with Retry-After).",
        request=ResendBodySerializer,
        responses={202: PendingSerializer, 409: ERROR_409},
    )
    def post(self, request):
        body = ResendBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appointment = _pending(body.validated_data["pending"])
        _send_code(appointment)
        return Response(
            {
                "pending": body.validated_data["pending"],
                "status": appointment.status,
                "resend_after": int(phonecodes.RESEND_AFTER.total_seconds()),
            },
            status=status.HTTP_202_ACCEPTED,
        )


class BookingDetail(CitizenView):
    @extend_schema(
        tags=TAG,
        summary="My booking (我的预约), with the booking code and the phone's last 4 digits",
        description="A wrong code or wrong digits answer 404 alike; repeated failures 429.",
        parameters=[CODE_PATH, *LAST4_PARAMETERS],
        responses={200: BookingSerializer},
    )
    def get(self, request, code):
        last4 = request.query_params.get("phone_last4") or request.headers.get("X-Phone-Last4")
        return Response(BookingSerializer(_booking(request, code, last4)).data)


class CancelBooking(CitizenView):
    @extend_schema(
        tags=TAG,
        summary="Cancel my booking",
        parameters=[CODE_PATH],
        request=Last4BodySerializer,
        responses={200: BookingSerializer, 409: ERROR_409},
    )
    def post(self, request, code):
        body = Last4BodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appointment = _booking(request, code, body.validated_data["phone_last4"])
        try:
            appointment = appointments.cancel_by_citizen(appointment)
        except ValidationError as invalid:
            raise_refusal(invalid)
        return Response(BookingSerializer(appointment).data)


class RescheduleBooking(CitizenView):
    @extend_schema(
        tags=TAG,
        summary="Move my booking to another slot (改约); the station confirms it again",
        parameters=[CODE_PATH],
        request=RescheduleBodySerializer,
        responses={200: BookingSerializer, 409: ERROR_409},
    )
    def post(self, request, code):
        body = Last4BodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appointment = _booking(request, code, body.validated_data["phone_last4"])
        station = appointment.station
        slots = station_slots(station, exclude=appointment)
        form = RescheduleForm(_slot_form_data(request.data, station), slots=slots, station=station)
        if not form.is_valid():
            form_errors(form)
        day, start = form.cleaned_data["slot"]
        try:
            appointment = appointments.reschedule_by_citizen(
                appointment, day=day, start_time=start, deputy=form.cleaned_data["deputy"]
            )
        except ValidationError as invalid:
            raise_refusal(invalid)
        return Response(BookingSerializer(appointment).data)


# --- station staff -------------------------------------------------------------------------------

STAFF_SORTS = {"date": "date", "-date": "-date", "-created_at": "-created"}


def _staff_stations(user):
    stations = restrict(Station.objects.all(), user, "change")
    if not stations.exists():
        raise exceptions.PermissionDenied(
            gettext("Only station and committee staff manage bookings.")
        )
    return stations


class StaffAppointmentList(StaffView, generics.ListAPIView):
    serializer_class = StaffAppointmentSerializer

    @extend_schema(
        tags=STAFF_TAG,
        summary="Bookings in the account's scope (the staff list's filters)",
        parameters=[
            OpenApiParameter("station", str, description="Station public code."),
            OpenApiParameter("day", OpenApiTypes.DATE),
            OpenApiParameter(
                "status",
                str,
                enum=[s for s in AppointmentStatus.values if s != AppointmentStatus.PENDING],
            ),
            OpenApiParameter(
                "q", str, description="Name, topic, booking code or the phone's last 4 digits."
            ),
            OpenApiParameter("ordering", str, enum=list(STAFF_SORTS), description="date first."),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        user, params = self.request.user, self.request.query_params
        stations = _staff_stations(user)
        data = {k: params.get(k, "").replace("\x00", "") for k in ("day", "status", "q")}
        ordering = params.get("ordering") or "date"
        if ordering not in STAFF_SORTS:
            raise serializers.ValidationError(
                {"ordering": [gettext("Not a valid choice: %(value)s.") % {"value": ordering[:50]}]}
            )
        data["sort"] = STAFF_SORTS[ordering]
        code = params.get("station", "").replace("\x00", "")
        if code:
            station = stations.filter(public_code=code).first()
            if station is None:  # unknown or out of scope: a filter matching nothing
                return Appointment.objects.none()
            data["station"] = station.pk
        form = StaffFilterForm(data, stations=stations)
        if not form.is_valid():
            form_errors(form)
        clean = form.cleaned_data
        return selectors.filtered(
            selectors.visible_appointments(user),
            station=clean.get("station"),
            day=clean.get("day"),
            status=clean.get("status", ""),
            q=clean.get("q", ""),
            sort=clean.get("sort") or "date",
        )


def _staff_booking(user, pk: int) -> Appointment:
    _staff_stations(user)
    appointment = None
    if 0 < pk <= MAX_ID:
        appointment = selectors.visible_appointments(user).filter(pk=pk).first()
    if appointment is None:
        raise exceptions.NotFound(gettext("No booking with this number in your scope."))
    return appointment


class StaffAppointmentDetail(StaffView, views.APIView):
    @extend_schema(
        tags=STAFF_TAG,
        summary="One booking",
        parameters=[ID_PATH],
        responses={200: StaffAppointmentSerializer},
    )
    def get(self, request, pk: int):
        return Response(StaffAppointmentSerializer(_staff_booking(request.user, pk)).data)


class StaffAppointmentAction(StaffView, views.APIView):
    action_name = ""

    def post(self, request, pk: int):
        user = request.user
        appointment = _staff_booking(user, pk)
        body = request.data if isinstance(request.data, dict) else {}
        try:
            if self.action_name == "confirm":
                appointment = appointments.confirm_appointment(appointment, actor=user)
            elif self.action_name == "no_show":
                appointment = appointments.mark_no_show(appointment, actor=user)
            elif self.action_name == "cancel":
                form = CancelForm({"reason": body.get("reason", "")})
                if not form.is_valid():
                    form_errors(form)
                appointment = appointments.cancel_appointment(
                    appointment, actor=user, reason=form.cleaned_data["reason"]
                )
            else:  # move
                station = appointment.station
                slots = station_slots(station, exclude=appointment)
                form = RescheduleForm(_slot_form_data(body, station), slots=slots, station=station)
                if not form.is_valid():
                    form_errors(form)
                day, start = form.cleaned_data["slot"]
                appointment = appointments.move_appointment(
                    appointment,
                    actor=user,
                    day=day,
                    start_time=start,
                    deputy=form.cleaned_data["deputy"],
                )
        except ValidationError as invalid:
            raise_refusal(invalid)
        fresh = selectors.visible_appointments(user).filter(pk=appointment.pk).first()
        return Response(StaffAppointmentSerializer(fresh or appointment).data)


STAFF_ACTIONS = {
    "confirm": (_("Confirm the booking (the citizen is told by SMS)"), None),
    "move": (_("Move the booking to another slot with places"), MoveBodySerializer),
    "cancel": (_("Cancel with a reason (sent to the citizen by SMS)"), CancelForm),
    "no_show": (_("Record that the citizen did not come (once the slot has begun)"), None),
}


def _staff_action_view(name: str, summary, body):
    if body is CancelForm:
        body = CancelBodySerializer

    def post(self, request, pk: int):
        return StaffAppointmentAction.post(self, request, pk)

    post = extend_schema(
        tags=STAFF_TAG,
        summary=str(summary),
        operation_id=f"staff_appointment_{name}",
        parameters=[ID_PATH],
        request=body,
        responses={
            200: StaffAppointmentSerializer,
            403: OpenApiResponse(
                ErrorSerializer, description="not_allowed: the station is not the account's."
            ),
            409: ERROR_409,
        },
    )(post)
    class_name = "".join(part.title() for part in name.split("_")) + "AppointmentView"
    return type(class_name, (StaffAppointmentAction,), {"action_name": name, "post": post})


STAFF_ACTION_VIEWS = {
    name: _staff_action_view(name, summary, body) for name, (summary, body) in STAFF_ACTIONS.items()
}
