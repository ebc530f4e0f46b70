"""Activity pages (thin). Staff: /staff/activities/ (scoped via selectors → restrict()).
Public: /activities/, /a/<code>/ with the sign-up form, /s/<station code>/activities.ics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from liaison.cases.staff_entry import may_enter_cases
from liaison.cases.workflow import NotAllowed
from liaison.directory.models import Station

from . import ics, selectors, services
from .forms import ActivityForm, SignUpForm
from .models import Activity, ActivityStatus


def _staff_only(user):
    if not may_enter_cases(user):
        raise PermissionDenied(gettext("Only station and committee staff manage activities."))


def _activity_or_404(user, pk):
    activity = selectors.visible_activities(user).filter(pk=pk).first()
    if activity is None:
        raise Http404(gettext("No activity with this number in your scope."))
    return activity


def _apply_errors(invalid: ValidationError, form):
    if hasattr(invalid, "error_dict"):
        for field, errors in invalid.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, invalid.messages)


@login_required
def staff_list(request):
    _staff_only(request.user)
    activities = selectors.visible_activities(request.user).order_by("-starts_at", "-id")
    return render(request, "activities/staff/list.html", {"activities": activities[:200]})


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
                    kind=data["kind"],
                    title=data["title"],
                    description=data["description"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    place=data["place"],
                    capacity=data["capacity"],
                    deputies=list(data["deputies"]),
                    departments=list(data["departments"]),
                )
            except NotAllowed as refused:
                raise PermissionDenied(str(refused.message)) from refused
            except ValidationError as invalid:
                _apply_errors(invalid, form)
            else:
                messages.success(request, gettext("Activity saved."))
                return redirect("activities:staff-detail", pk=activity.pk)
        return render(
            request, "activities/staff/edit.html", {"form": form, "activity": activity}, status=400
        )
    return render(request, "activities/staff/edit.html", {"form": form, "activity": activity})


@login_required
def staff_detail(request, pk):
    _staff_only(request.user)
    activity = _activity_or_404(request.user, pk)
    context = {
        "activity": activity,
        "signups": activity.signups.all(),
        "places_left": services.places_left(activity),
        "Status": ActivityStatus,
    }
    return render(request, "activities/staff/detail.html", context)


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
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
        return redirect("activities:staff-detail", pk=activity.pk)
    return redirect("activities:staff-detail", pk=activity.pk)


def public_list(request):
    station = None
    code = request.GET.get("station", "").strip()
    if code:
        station = Station.objects.filter(public_code=code, is_active=True).first()
        if station is None:
            raise Http404(gettext("No station with this code."))
    context = {"activities": selectors.upcoming_public(station), "station": station}
    return render(request, "activities/public/list.html", context)


def public_detail(request, code):
    activity = get_object_or_404(
        Activity.objects.select_related("station", "kind").exclude(status=ActivityStatus.DRAFT),
        public_code=code,
    )
    form = SignUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_robot():
            # Tell the robot nothing; store nothing.
            messages.success(request, gettext("You are signed up. We have sent you an SMS."))
            return redirect("activities_public:public-detail", code=code)
        if form.is_valid():
            try:
                services.sign_up(
                    activity, name=form.cleaned_data["name"], phone=form.cleaned_data["phone"]
                )
            except ValidationError as invalid:
                _apply_errors(invalid, form)
            else:
                messages.success(request, gettext("You are signed up. We have sent you an SMS."))
                return redirect("activities_public:public-detail", code=code)
        status = 400
    context = {
        "activity": activity,
        "form": form,
        "places_left": services.places_left(activity),
        "deputies": activity.deputies.filter(is_active=True).order_by("name"),
        "departments": activity.departments.order_by("name"),
        "open": activity.status == ActivityStatus.ANNOUNCED,
    }
    return render(request, "activities/public/detail.html", context, status=status)


def station_ics(request, code):
    station = get_object_or_404(Station, public_code=code, is_active=True)
    body = ics.calendar(station.name, selectors.upcoming_public(station))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="activities-{station.public_code}.ics"'
    return response
