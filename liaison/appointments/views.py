"""Pages of online appointments (线上预约), thin: forms check the input, `appointments` changes
the state. Citizen: book from the station page → SMS code → booking code; "my booking" with the
code and the phone's last 4 digits to cancel or reschedule. Staff: the list and one booking's page
(confirm, move, cancel with a reason, no-show, register the visit on the day).

Bad input → 400 with the form again; a full slot or a stale action → 409; out of scope → 403/404.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from liaison.core import ratelimit
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.permissions import may, restrict
from liaison.core.privacy import Surface
from liaison.directory import selectors as directory
from liaison.directory.models import Station
from liaison.receptions.models import today

from . import selectors
from . import services as appointments
from .forms import (
    BookingForm,
    CancelForm,
    CodeForm,
    LookupForm,
    RescheduleForm,
    StaffFilterForm,
)
from .models import Appointment, AppointmentStatus
from .slots import has_begun, is_slot_full, station_slots

PENDING = "appointments_pending"  # the booking waiting for its SMS code
DEMO_CODE = "appointments_demo_code"
DONE = "appointments_done"
UNLOCKED = "appointments_unlocked"
PAGE_SIZE = 25


def _add_errors(form, invalid: ValidationError) -> None:
    if not hasattr(invalid, "error_dict"):
        form.add_error(None, invalid.messages)
        return
    for field, errors in invalid.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- booking --------------------------------------------------------------------------------


@never_cache
def book(request, code):
    """预约接待 — pick a slot (and a deputy on duty), topic, name, mobile."""
    station = directory.public_station_or_404(code)
    slots = station_slots(station)
    form = BookingForm(request.POST or None, slots=slots, station=station)
    status, problem = 200, ""
    if request.method == "POST":
        status = 400
        if form.is_robot:
            problem = _("Your booking could not be sent. Please try again.")
        elif form.is_valid():
            try:
                appointment, sms_code = appointments.book(
                    ip=ratelimit.client_ip(request), **form.booking()
                )
            except appointments.TooManyBookings as refused:
                problem, status = refused.message, 429
            except ValidationError as invalid:
                _add_errors(form, invalid)
                status = 409 if is_slot_full(invalid) else 400
            else:
                request.session[PENDING] = appointment.pk
                _remember_demo_code(request, sms_code)
                return redirect("appointments:confirm")
    context = {"station": station, "form": form, "slots": slots, "problem": problem}
    return render(request, "appointments/public/book.html", context, status=status)


def _remember_demo_code(request, code: str) -> None:
    # Demo mode shows the code on screen instead of waiting for an SMS that nobody receives.
    if settings.DEMO_MODE:
        request.session[DEMO_CODE] = code


@never_cache
def confirm(request):
    """Type the SMS code; or ask for a new one after a minute."""
    pk = request.session.get(PENDING)
    appointment = (
        Appointment.objects.filter(pk=pk).select_related("station").first() if pk else None
    )
    if appointment is None:
        return render(request, "appointments/public/nothing_pending.html", status=404)
    form, status, problem, full = CodeForm(), 200, "", False
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            _remember_demo_code(request, appointments.send_code(appointment))
        except ValidationError as invalid:
            problem, status = " ".join(invalid.messages), 400
        else:
            messages.success(request, _("A new code has been sent."))
            return redirect("appointments:confirm")
    elif request.method == "POST":
        form = CodeForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                appointments.verify_appointment(appointment, form.cleaned_data["code"])
            except TransitionRefused:  # confirmed meanwhile in another tab
                return _done(request, appointment)
            except ValidationError as invalid:
                if "code" in invalid.message_dict:
                    form.add_error("code", invalid.message_dict["code"])
                else:  # the slot went meanwhile, or its day was closed
                    problem, full, status = " ".join(invalid.messages), True, 409
            else:
                return _done(request, appointment)
    context = {
        "appointment": appointment,
        "form": form,
        "problem": problem,
        "slot_gone": full,
        "demo_code": request.session.get(DEMO_CODE) if settings.DEMO_MODE else None,
        "wait": appointments.seconds_until_resend(appointment),
    }
    return render(request, "appointments/public/confirm.html", context, status=status)


def _done(request, appointment):
    for key in (PENDING, DEMO_CODE):
        request.session.pop(key, None)
    request.session[DONE] = appointment.pk
    _unlock(request, appointment)
    return redirect("appointments:done")


@never_cache
def done(request):
    pk = request.session.get(DONE)
    appointment = (
        Appointment.objects.exclude(status=AppointmentStatus.PENDING)
        .select_related("station", "deputy")
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if appointment is None:
        return render(request, "appointments/public/nothing_pending.html", status=404)
    return render(request, "appointments/public/done.html", {"appointment": appointment})


# --- my booking -------------------------------------------------------------------------------


def _unlock(request, appointment) -> None:
    unlocked = set(request.session.get(UNLOCKED, []))
    unlocked.add(appointment.code)
    request.session[UNLOCKED] = sorted(unlocked)


def lookup_blocked(request, code: str) -> bool:
    """Too many failed look-ups from this address or for this code (the web page and the API)."""
    return appointments.LOOKUP_FAILURES_PER_IP.exceeded(
        ratelimit.client_ip(request)
    ) or appointments.LOOKUP_FAILURES_PER_CODE.exceeded(code)


@never_cache
def lookup(request):
    """我的预约 — the booking code and the phone's last 4 digits."""
    form = LookupForm(request.POST or None)
    if request.method != "POST":
        return render(request, "appointments/public/lookup.html", {"form": form})
    code = "".join(ch for ch in request.POST.get("code", "") if ch.isdigit())
    if lookup_blocked(request, code):
        return render(request, "cases/public/too_many.html", status=429)
    if form.is_valid():
        appointment = appointments.find_booking(
            form.cleaned_data["code"], form.cleaned_data["last4"]
        )
        if appointment is not None:
            _unlock(request, appointment)
            return redirect("appointments:manage", code=appointment.code)
        appointments.LOOKUP_FAILURES_PER_IP.hit(ratelimit.client_ip(request))
        appointments.LOOKUP_FAILURES_PER_CODE.hit(code)
        form.add_error(
            None,
            _("The booking code and the digits do not match. Please check both and try again."),
        )
    return render(request, "appointments/public/lookup.html", {"form": form}, status=400)


@never_cache
def manage(request, code):
    """The citizen's booking: cancel it, or move it to another slot with places left."""
    if code not in request.session.get(UNLOCKED, []):
        return redirect("appointments:lookup")
    appointment = (
        Appointment.objects.exclude(status=AppointmentStatus.PENDING)
        .select_related("station", "deputy")
        .filter(code=code)
        .first()
    )
    if appointment is None:
        raise Http404(_("No booking with this code."))
    slots = station_slots(appointment.station, exclude=appointment)
    form = RescheduleForm(slots=slots, station=appointment.station)
    status, problem, confirming = 200, "", False
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            changeable = appointment.status in appointments.OPEN and not has_begun(appointment)
            if action == "cancel" and request.POST.get("confirmed") != "1" and changeable:
                # Cannot be undone: one screen says what happens and who is told (issue 16).
                confirming, action = True, ""
            elif action == "cancel":
                appointments.cancel_by_citizen(appointment, seen_status=_seen(request))
                messages.success(request, _("Your booking is cancelled. We sent you a text."))
                return redirect(request.path)
            if action == "reschedule":
                form = RescheduleForm(request.POST, slots=slots, station=appointment.station)
                if form.is_valid():
                    day, start = form.cleaned_data["slot"]
                    appointments.reschedule_by_citizen(
                        appointment, day=day, start_time=start, deputy=form.cleaned_data["deputy"]
                    )
                    messages.success(request, _("Your booking is moved. We sent you a text."))
                    return redirect(request.path)
            if action:
                status = 400
        except TransitionRefused as refused:
            problem, status = str(refused.message), 409
        except ValidationError as invalid:
            status = 409 if is_slot_full(invalid) else 400
            if action == "reschedule":
                _add_errors(form, invalid)
            else:
                problem = " ".join(invalid.messages)
        appointment.refresh_from_db()
    context = {
        "appointment": appointment,
        "form": form,
        "slots": slots,
        "problem": problem,
        "changeable": appointment.status in appointments.OPEN and not has_begun(appointment),
        "confirming_cancel": confirming,
    }
    return render(request, "appointments/public/manage.html", context, status=status)


def _seen(request) -> str | None:
    """The booking's status the confirmation screen was drawn with; anything else is ignored
    (the service then reads the status anew)."""
    seen = request.POST.get("seen_status", "")
    return seen if seen in AppointmentStatus.values else None


# --- the station's side -----------------------------------------------------------------------


def _staff_stations(user):
    stations = restrict(Station.objects.all(), user, "change").order_by("name")
    if not stations.exists():
        raise PermissionDenied(_("Only station and committee staff manage bookings."))
    return stations


@login_required
def staff_list(request):
    stations = _staff_stations(request.user)
    form = StaffFilterForm(request.GET or None, stations=stations)
    data = form.cleaned_data if form.is_valid() else {}
    bookings = selectors.filtered(
        selectors.visible_appointments(request.user),
        station=data.get("station"),
        day=data.get("day"),
        status=data.get("status", ""),
        q=data.get("q", ""),
        sort=data.get("sort") or "date",
    )
    page = Paginator(bookings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "querystring": query.urlencode(),
        "today": today(),
    }
    return render(request, "appointments/staff/list.html", context)


def _booking_or_404(user, pk):
    appointment = selectors.visible_appointments(user).filter(pk=pk).first()
    if appointment is None:
        raise Http404(_("No booking with this number in your scope."))
    return appointment


@login_required
def staff_detail(request, pk):
    _staff_stations(request.user)
    appointment = _booking_or_404(request.user, pk)
    return _detail(request, appointment)


def _detail(
    request,
    appointment,
    *,
    status=200,
    error="",
    cancel_form=None,
    move_form=None,
    phone=None,
    confirming=False,
):
    slots = station_slots(appointment.station, exclude=appointment)
    context = {
        "appointment": appointment,
        "phone": phone or appointment.masked_phone,
        "may_see_phone": may(request.user, "appointment.see_full_phone", appointment),
        "cancel_form": cancel_form or CancelForm(),
        "move_form": move_form or RescheduleForm(slots=slots, station=appointment.station),
        "is_open": appointment.status in appointments.OPEN,
        "has_begun": has_begun(appointment),
        "may_register": appointment.date == today()
        and appointment.status in (*appointments.OPEN, AppointmentStatus.NO_SHOW),
        "register_url": reverse("receptions:visit-new")
        + "?"
        + urlencode({"appointment": appointment.pk}),
        "error": error,
        "confirming_cancel": confirming,
    }
    return render(request, "appointments/staff/detail.html", context, status=status)


@login_required
@require_POST
def staff_action(request, pk):
    user = request.user
    _staff_stations(user)
    appointment = _booking_or_404(user, pk)
    action = request.POST.get("action")
    cancel_form = move_form = None
    try:
        if action == "reveal":
            phone = selectors.citizen_phone(appointment, user, surface=Surface.STAFF_PAGE)
            return _detail(request, appointment, phone=phone)
        if action == "confirm":
            appointments.confirm_appointment(appointment, actor=user)
            messages.success(request, _("Booking confirmed; the citizen was told by SMS."))
        elif action == "no_show":
            appointments.mark_no_show(appointment, actor=user)
            messages.success(request, _("Recorded as not come."))
        elif action == "cancel":
            cancel_form = CancelForm(request.POST)
            if not cancel_form.is_valid():
                return _detail(request, appointment, status=400, cancel_form=cancel_form)
            if request.POST.get("confirmed") != "1" and appointment.status in appointments.OPEN:
                # Cannot be undone: one screen says what happens and who is told (issue 16).
                return _detail(request, appointment, cancel_form=cancel_form, confirming=True)
            appointments.cancel_appointment(
                appointment,
                actor=user,
                reason=cancel_form.cleaned_data["reason"],
                seen_status=_seen(request),
            )
            messages.success(request, _("Booking cancelled; the citizen was told why by SMS."))
        elif action == "move":
            slots = station_slots(appointment.station, exclude=appointment)
            move_form = RescheduleForm(request.POST, slots=slots, station=appointment.station)
            if not move_form.is_valid():
                return _detail(request, appointment, status=400, move_form=move_form)
            day, start = move_form.cleaned_data["slot"]
            appointments.move_appointment(
                appointment,
                actor=user,
                day=day,
                start_time=start,
                deputy=move_form.cleaned_data["deputy"],
            )
            messages.success(request, _("Booking moved; the citizen was told by SMS."))
        else:
            return _detail(request, appointment, status=400, error=_("Unknown action."))
    except NotAllowed as refused:
        raise PermissionDenied(str(refused.message)) from refused
    except TransitionRefused as refused:
        fresh = _booking_or_404(user, pk)
        return _detail(request, fresh, status=409, error=str(refused.message))
    except ValidationError as invalid:
        form = cancel_form if action == "cancel" else move_form
        if form is not None:
            _add_errors(form, invalid)
            error = ""
        else:
            error = " ".join(invalid.messages)
        return _detail(
            request,
            appointment,
            status=409 if is_slot_full(invalid) else 400,
            error=error,
            cancel_form=cancel_form,
            move_form=move_form,
        )
    return redirect("appointments:staff-detail", pk=appointment.pk)


# --- registering the visit from a booking (used by views.visit_new) ---------------------------
