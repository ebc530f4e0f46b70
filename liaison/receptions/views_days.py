"""Staff pages of reception days (接待日) and duty rosters (值班), under /staff/receptions/."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from liaison.accounts.models import Role
from liaison.accounts.scoping import restrict
from liaison.cases.workflow import NotAllowed
from liaison.directory.models import Deputy, Station

from . import services
from .forms_days import AssignForm, RuleForm, SwapForm
from .models import Duty, ReceptionRule, today
from .schedule import upcoming_receptions

DAYS = 30


def _add_errors(form, invalid: ValidationError):
    if hasattr(invalid, "error_dict"):
        for field, errors in invalid.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, invalid.messages)


@login_required
def reception_days(request):
    user = request.user
    stations = restrict(Station.objects.all(), user, "change").order_by("name")
    if user.role not in (Role.STATION_STAFF, Role.COMMITTEE_STAFF) and not user.is_administrator:
        raise PermissionDenied(gettext("Only station and committee staff manage reception days."))
    station = stations.filter(pk=request.GET.get("station") or None).first() or stations.first()
    if station is None:
        raise PermissionDenied(gettext("No station in your scope."))
    start = today()
    deputies = Deputy.objects.filter(stations=station, is_active=True).order_by("name")
    duties = (
        restrict(Duty.objects.all(), user, "change")
        .filter(station=station, date__gte=start)
        .select_related("deputy")
    )
    rule_form = RuleForm(prefix="rule")
    assign_form = AssignForm(prefix="assign", deputies=deputies)
    swap_form = SwapForm(prefix="swap", duties=duties, deputies=deputies)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rule":
                rule_form = RuleForm(request.POST, prefix="rule")
                if rule_form.is_valid():
                    rule = rule_form.save(commit=False)
                    rule.station = station
                    services.save_rule(rule, actor=user)
                    messages.success(request, gettext("Reception rule saved."))
                    return redirect(f"{request.path}?station={station.pk}")
            elif action == "assign":
                assign_form = AssignForm(request.POST, prefix="assign", deputies=deputies)
                if assign_form.is_valid():
                    services.assign_duty(station=station, actor=user, **assign_form.cleaned_data)
                    messages.success(request, gettext("Deputy put on duty."))
                    return redirect(f"{request.path}?station={station.pk}")
            elif action == "swap":
                swap_form = SwapForm(request.POST, prefix="swap", duties=duties, deputies=deputies)
                if swap_form.is_valid():
                    data = swap_form.cleaned_data
                    services.swap_duty(data["duty"], data["to_deputy"], actor=user)
                    messages.success(request, gettext("Duty handed over."))
                    return redirect(f"{request.path}?station={station.pk}")
        except NotAllowed as refused:
            raise PermissionDenied(str(refused.message)) from refused
        except ValidationError as invalid:
            form = {"rule": rule_form, "assign": assign_form, "swap": swap_form}[action]
            _add_errors(form, invalid)
        status = 400
    context = {
        "station": station,
        "stations": stations,
        "occurrences": upcoming_receptions(station, start=start, days=DAYS),
        "rules": ReceptionRule.objects.filter(station=station).order_by("-is_active", "pk"),
        "rule_form": rule_form,
        "assign_form": assign_form,
        "swap_form": swap_form,
        "until": start + timedelta(days=DAYS - 1),
    }
    return render(request, "receptions/staff/days.html", context, status=status)


@login_required
def my_duties(request):
    user = request.user
    if user.role != Role.DEPUTY:
        raise PermissionDenied(gettext("This page lists a deputy's own duties."))
    duties = (
        restrict(Duty.objects.all(), user)
        .filter(deputy_id=user.deputy_id, date__gte=today())
        .select_related("station")
        .order_by("date", "start_time")
    )
    return render(request, "receptions/staff/my_duties.html", {"duties": duties})
