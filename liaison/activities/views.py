"""Activity pages (thin). Staff: /staff/activities/ (scoped via selectors → restrict()).
Public: /activities/, /a/<code>/ with the sign-up form, /a/<code>/check-in/<token>/ (the venue's
QR code), calendars, programmes and .ics feeds per station (/s/<code>/…) and region
(/regions/<code>/…)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from liaison.cases.public_forms import CodeForm
from liaison.cases.staff_entry import grouped
from liaison.core import ratelimit
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.inputs import ascii_int
from liaison.core.permissions import may, may_at_all
from liaison.directory import qr
from liaison.directory.models import Region, Station
from liaison.receptions.forms_days import GuestFields

from . import calendars, ics, selectors, services, signups
from .forms import ActivityForm, CheckInForm, HoldForm, OpinionForm, SignUpForm, StaffListForm
from .models import Activity, ActivityGuest, ActivityPhoto, ActivityStatus, PendingSignUp
from .workflow import recording_open


def _staff_only(user):
    """The staff pages are for the roles of the "activity.view" row (which activities: the
    row's scope, `selectors.visible_activities`)."""
    if not may_at_all(user, "activity.view"):
        raise PermissionDenied(gettext("Only station and committee staff manage activities."))


def _activity_or_404(user, pk):
    activity = selectors.visible_activities(user).filter(pk=pk).first()
    if activity is None:
        raise Http404(gettext("No activity with this number in your scope."))
    return activity


def _apply_errors(invalid: ValidationError | TransitionRefused, form):
    if isinstance(invalid, TransitionRefused):  # the status refused it (workflow.py)
        form.add_error(None, str(invalid.message))
    elif hasattr(invalid, "error_dict"):
        for field, errors in invalid.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, invalid.messages)


# The session keys of the sign-up waiting for its SMS code.
SIGNUP_PENDING = "activity_signup_pending"
SIGNUP_DEMO_CODE = "activity_signup_demo_code"

STATUS_TABS = [("", _("All")), *((s.value, s.label) for s in selectors.STATUS_ORDER)]


@login_required
def staff_list(request):
    """活动列表 — the scope's activities by status tab, searched, filtered, sorted, paginated."""
    user = request.user
    _staff_only(user)
    form = StaffListForm(request.GET, user=user)
    status = 200
    if form.is_valid():
        query = form.query()
        activities = selectors.staff_activities(user, query)
    else:
        query, activities, status = selectors.StaffQuery(), Activity.objects.none(), 400
    page = Paginator(activities, selectors.STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    kept = [(k, v) for k, v in request.GET.items() if k != "page" and v]
    counts = selectors.status_counts(user)
    tabs = [
        (key, label, counts[key or "all"], urlencode({"status": key, "sort": query.sort}))
        for key, label in STATUS_TABS
    ]
    context = {
        "form": form,
        "query": query,
        "page_obj": page,
        "activities": page.object_list,
        "tabs": tabs,
        "querystring": urlencode(kept),
        "filtered": any(k not in ("status", "sort") for k, _v in kept),
        "now": timezone.now(),
    }
    return render(request, "activities/staff/list.html", context, status=status)


@login_required
def staff_edit(request, pk=None):
    user = request.user
    _staff_only(user)
    activity = _activity_or_404(user, pk) if pk else None
    form = ActivityForm(request.POST or None, instance=activity, user=user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                activity = services.save_activity(
                    actor=user,
                    activity=activity,
                    station=data["station"],
                    region=data.get("region"),
                    kind=data["kind"],
                    title=data["title"],
                    description=data["description"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    place=data["place"],
                    capacity=data["capacity"],
                    deputies=list(data["deputies"]),
                    departments=list(data["departments"]),
                    allow_walk_ins=data["allow_walk_ins"],
                )
            except NotAllowed as refused:
                raise PermissionDenied(str(refused.message)) from refused
            except (ValidationError, TransitionRefused) as invalid:
                _apply_errors(invalid, form)
            else:
                messages.success(request, gettext("Activity saved."))
                return redirect("activities:staff-detail", pk=activity.pk)
        return render(
            request, "activities/staff/edit.html", {"form": form, "activity": activity}, status=400
        )
    return render(request, "activities/staff/edit.html", {"form": form, "activity": activity})


def _detail_context(activity, *, opinion_form=None, guest_form=None):
    opinions = activity.opinions.select_related("case", "case__category").order_by("id")
    return {
        "activity": activity,
        "signups": activity.signups.all(),
        "checked_in": sum(1 for s in activity.signups.all() if s.checked_in_at),
        "places_left": services.places_left(activity),
        "Status": ActivityStatus,
        "attended": activity.attended_deputies.order_by("name"),
        "photos": activity.photos.all(),
        "opinions": [(o, grouped(o.case.tracking_number)) for o in opinions],
        "may_record": recording_open(activity),
        "opinion_form": opinion_form or OpinionForm(activity=activity),
        "guests": activity.guests.all(),
        "may_invite": activity.status in (ActivityStatus.DRAFT, ActivityStatus.ANNOUNCED),
        "guest_form": guest_form or GuestFields(prefix="guest"),
    }


@login_required
def staff_detail(request, pk):
    _staff_only(request.user)
    activity = _activity_or_404(request.user, pk)
    return render(request, "activities/staff/detail.html", _detail_context(activity))


@login_required
def staff_checkin_sheet(request, pk):
    """The printable A4 sheet with the check-in QR code, put up at the venue's entrance."""
    _staff_only(request.user)
    activity = _activity_or_404(request.user, pk)
    url = _checkin_url(activity)
    context = {"activity": activity, "url": url, "svg": qr.qr_svg(url)}
    return render(request, "activities/staff/checkin_sheet.html", context)


@login_required
def staff_checkin_png(request, pk):
    _staff_only(request.user)
    activity = _activity_or_404(request.user, pk)
    response = HttpResponse(qr.qr_png(_checkin_url(activity)), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="check-in-{activity.public_code}.png"'
    return response


def _checkin_url(activity) -> str:
    path = reverse("activities_public:check-in", args=[activity.public_code, activity.checkin_code])
    return settings.SITE_URL.rstrip("/") + path


@login_required
def staff_hold(request, pk):
    """记录活动 — mark it held and record attendance, minutes, outcomes and photos."""
    user = request.user
    _staff_only(user)
    activity = _activity_or_404(user, pk)
    if not may(user, "activity.change", activity):
        raise PermissionDenied(gettext("Your account may not manage activities of this station."))
    form = HoldForm(request.POST or None, request.FILES or None, activity=activity)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.hold_activity(
                    activity,
                    actor=user,
                    attended_deputies=list(data["attended_deputies"]),
                    minutes=data["minutes"],
                    outcomes=data["outcomes"],
                    present_signups=data["present"],
                    photos=request.FILES.getlist("photos"),
                )
            except NotAllowed as refused:
                raise PermissionDenied(str(refused.message)) from refused
            except (ValidationError, TransitionRefused) as invalid:
                _apply_errors(invalid, form)
            else:
                messages.success(request, gettext("The activity record is saved."))
                return redirect("activities:staff-detail", pk=activity.pk)
        status = 400
    context = {"activity": activity, "form": form, "may_record": recording_open(activity)}
    return render(request, "activities/staff/hold.html", context, status=status)


@login_required
def staff_photo(request, pk, photo):
    _staff_only(request.user)
    activity = _activity_or_404(request.user, pk)
    picture = get_object_or_404(ActivityPhoto, pk=photo, activity=activity)
    response = FileResponse(picture.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def staff_photo_remove(request, pk, photo):
    _staff_only(request.user)
    activity = _activity_or_404(request.user, pk)
    picture = get_object_or_404(ActivityPhoto, pk=photo, activity=activity)
    try:
        services.remove_photo(picture, actor=request.user)
    except NotAllowed as refused:
        raise PermissionDenied(str(refused.message)) from refused
    messages.success(request, gettext("Photo removed."))
    return redirect("activities:staff-detail", pk=activity.pk)


@login_required
@require_POST
def staff_opinion(request, pk):
    """An opinion raised at the activity → a case linked to it (both saved, or neither)."""
    user = request.user
    _staff_only(user)
    activity = _activity_or_404(user, pk)
    form = OpinionForm(request.POST, activity=activity)
    if form.is_valid():
        data = form.cleaned_data
        opinion = services.Opinion(
            citizen_name=data["citizen_name"],
            citizen_phone=data["citizen_phone"],
            category=data["category"],
            title=data["title"],
            description=data["description"],
            deputy=data["deputy"],
            station=data.get("station"),
        )
        try:
            link = services.register_opinion(
                activity, actor=user, opinion=opinion, privacy_accepted=data["privacy_accepted"]
            )
        except NotAllowed as refused:
            raise PermissionDenied(str(refused.message)) from refused
        except ValidationError as invalid:
            _apply_errors(invalid, form)
        else:
            messages.success(
                request,
                gettext("Opinion registered as case %(number)s.")
                % {"number": grouped(link.case.tracking_number)},
            )
            return redirect("activities:staff-detail", pk=activity.pk)
    context = _detail_context(activity, opinion_form=form)
    return render(request, "activities/staff/detail.html", context, status=400)


@login_required
@require_POST
def staff_guests(request, pk):
    """联合接待 — invite an outside participant, or take one off the list."""
    user = request.user
    _staff_only(user)
    activity = _activity_or_404(user, pk)
    form = GuestFields(request.POST, prefix="guest")
    try:
        if request.POST.get("action") == "remove_guest":
            guest = get_object_or_404(
                ActivityGuest, activity=activity, pk=ascii_int(request.POST.get("guest", ""))
            )
            services.remove_activity_guest(guest, actor=user)
            messages.success(request, gettext("Guest removed."))
            return redirect("activities:staff-detail", pk=activity.pk)
        if form.is_valid():
            services.add_activity_guest(activity, actor=user, **form.cleaned_data)
            messages.success(request, gettext("Guest invited."))
            return redirect("activities:staff-detail", pk=activity.pk)
    except NotAllowed as refused:
        raise PermissionDenied(str(refused.message)) from refused
    except TransitionRefused as refused:
        form.add_error(None, str(refused.message))
    except ValidationError as invalid:
        _apply_errors(invalid, form)
    context = _detail_context(activity, guest_form=form)
    return render(request, "activities/staff/detail.html", context, status=400)


@login_required
@require_POST
def staff_action(request, pk, action):
    _staff_only(request.user)
    activity = _activity_or_404(request.user, pk)
    try:
        if action == "announce":
            services.announce_activity(activity, actor=request.user)
            messages.success(request, gettext("Activity announced."))
        elif action == "cancel":
            services.cancel_activity(
                activity, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, gettext("Activity cancelled."))
        else:
            raise Http404()
    except NotAllowed as refused:
        raise PermissionDenied(str(refused.message)) from refused
    except TransitionRefused as refused:
        messages.error(request, str(refused.message))
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    return redirect("activities:staff-detail", pk=activity.pk)


def public_list(request):
    station = None
    code = request.GET.get("station", "").strip()
    if code:
        station = Station.objects.filter(public_code=code, is_active=True).first()
        if station is None:
            raise Http404(gettext("No station with this code."))
    context = {"activities": selectors.upcoming_public(station), "station": station}
    if station is None:
        # The calendars of the top regions that have stations (a county, usually).
        context["regions"] = Region.objects.filter(level__lte=3).order_by("path")[:20]
    return render(request, "activities/public/list.html", context)


def public_detail(request, code):
    activity = get_object_or_404(selectors.public_activities(), public_code=code)
    form = SignUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_robot():
            # Tell the robot nothing; store nothing.
            messages.success(request, gettext("We have sent you a code by SMS."))
            return redirect("activities_public:public-detail", code=code)
        if form.is_valid():
            data = form.cleaned_data
            try:
                pending, sms_code = signups.request_sign_up(
                    activity,
                    name=data["name"],
                    phone=data["phone"],
                    privacy_accepted=data["privacy_accepted"],
                    ip=ratelimit.client_ip(request),
                )
            except signups.TooManySignUps as refused:
                form.add_error(None, str(refused.message))
                status = 429
            except ValidationError as invalid:
                _apply_errors(invalid, form)
            else:
                request.session[SIGNUP_PENDING] = pending.pk
                _remember_demo_code(request, sms_code)
                return redirect("activities_public:sign-up-confirm", code=code)
        status = 400 if status == 200 else status
    context = {
        "activity": activity,
        "form": form,
        "places_left": services.places_left(activity),
        "deputies": activity.deputies.filter(is_active=True).order_by("name"),
        "departments": activity.departments.order_by("name"),
        "guests": activity.guests.all(),
        "open": activity.status == ActivityStatus.ANNOUNCED,
    }
    return render(request, "activities/public/detail.html", context, status=status)


def _remember_demo_code(request, code: str) -> None:
    # Demo mode shows the code on screen instead of waiting for an SMS that nobody receives.
    if settings.DEMO_MODE:
        request.session[SIGNUP_DEMO_CODE] = code


@never_cache
def public_sign_up_confirm(request, code):
    """Type the SMS code (or ask for a new one after a minute): only then is the place taken."""
    pk = request.session.get(SIGNUP_PENDING)
    pending = (
        PendingSignUp.objects.filter(pk=pk, activity__public_code=code)
        .select_related("activity")
        .first()
        if pk
        else None
    )
    if pending is None:
        return render(request, "activities/public/nothing_pending.html", status=404)
    form, status, problem = CodeForm(), 200, ""
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            _remember_demo_code(request, signups.send_code(pending))
        except ValidationError as invalid:
            problem, status = " ".join(invalid.messages), 400
        else:
            messages.success(request, gettext("A new code has been sent."))
            return redirect("activities_public:sign-up-confirm", code=code)
    elif request.method == "POST":
        form = CodeForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                signups.verify_sign_up(pending, form.cleaned_data["code"])
            except ValidationError as invalid:
                if "code" in getattr(invalid, "message_dict", {}):
                    form.add_error("code", invalid.message_dict["code"])
                else:  # full, closed or signed up meanwhile: the code cannot help
                    problem, status = " ".join(invalid.messages), 409
            else:
                for key in (SIGNUP_PENDING, SIGNUP_DEMO_CODE):
                    request.session.pop(key, None)
                messages.success(request, gettext("You are signed up. We have sent you an SMS."))
                return redirect("activities_public:public-detail", code=code)
    context = {
        "activity": pending.activity,
        "pending": pending,
        "form": form,
        "problem": problem,
        "demo_code": request.session.get(SIGNUP_DEMO_CODE) if settings.DEMO_MODE else None,
        "wait": signups.seconds_until_resend(pending),
    }
    return render(request, "activities/public/confirm.html", context, status=status)


def _ics_response(name: str, activities, filename: str) -> HttpResponse:
    response = HttpResponse(
        ics.calendar(name, activities), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


def station_ics(request, code):
    station = get_object_or_404(Station, public_code=code, is_active=True)
    activities = selectors.upcoming_public(station)
    return _ics_response(station.name, activities, f"activities-{station.public_code}")


def region_ics(request, code):
    """The feed of a region's whole subtree (every station below it)."""
    region = get_object_or_404(Region, code=code)
    activities = selectors.upcoming_in(selectors.public_stations(region=region), region=region)
    return _ics_response(region.name, activities, f"activities-{region.code}")


# ---------------------------------------------------------------------------------------------
# Check-in at the venue


def public_check_in(request, code, token):
    """The page the venue's QR code opens: no JavaScript, one field (two for a walk-in)."""
    try:
        activity = services.checkin_activity(code, token)
        services.check_window(activity)
    except services.CheckInRefused as refused:
        status = 404 if refused.code == "unknown" else 409
        context = {"refusal": refused.message, "refusal_code": refused.code}
        return render(request, "activities/public/check_in.html", context, status=status)
    form = CheckInForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.check_in(
                    activity,
                    token=token,
                    phone=form.cleaned_data["phone"],
                    name=form.cleaned_data["name"],
                )
            except services.CheckInRefused as refused:
                context = {
                    "activity": activity,
                    "refusal": refused.message,
                    "refusal_code": refused.code,
                }
                return render(request, "activities/public/check_in.html", context, status=409)
            except ValidationError as invalid:
                _apply_errors(invalid, form)
            else:
                messages.success(request, gettext("You are checked in. Welcome!"))
                return redirect("activities_public:public-detail", code=activity.public_code)
        status = 400
    context = {"activity": activity, "form": form}
    return render(request, "activities/public/check_in.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# Calendars and the printable monthly programme (月度活动安排, calendars.py)


def _with_month(view):
    def wrapped(request, code):
        request.month = calendars.parse_month(request.GET.get("month", ""))
        if request.month is None:
            body = gettext("Give the month as year-month, e.g. 2026-11.")
            context = {"message": body}
            return render(request, "activities/public/bad_month.html", context, status=400)
        return view(request, code)

    wrapped.__name__ = view.__name__
    return wrapped


def _month(request, **place):
    return calendars.month_context(*request.month, **place)


@_with_month
def station_calendar(request, code):
    station = get_object_or_404(Station, public_code=code, is_active=True)
    return render(request, "activities/public/calendar.html", _month(request, station=station))


@_with_month
def region_calendar(request, code):
    region = get_object_or_404(Region, code=code)
    context = _month(request, region=region)
    context["children"] = region.children.order_by("code")
    return render(request, "activities/public/calendar.html", context)


@_with_month
def station_programme(request, code):
    station = get_object_or_404(Station, public_code=code, is_active=True)
    return render(request, "activities/public/programme.html", _month(request, station=station))


@_with_month
def region_programme(request, code):
    region = get_object_or_404(Region, code=code)
    return render(request, "activities/public/programme.html", _month(request, region=region))
