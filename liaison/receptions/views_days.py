"""Staff pages of reception days (接待日) and duty rosters (值班), under /staff/receptions/."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from liaison.accounts.models import Role
from liaison.core.errors import NotAllowed
from liaison.core.inputs import ascii_int
from liaison.core.permissions import may_at_all, restrict
from liaison.directory.models import Deputy, Station

from . import services
from .forms_days import AssignForm, AttendanceForm, GuestForm, RuleForm, SwapForm
from .models import Duty, ReceptionGuest, ReceptionRule, Visit, today
from .schedule import Occurrence, occurrences, upcoming_receptions

DAYS = 30
PAGE_SIZE = 25


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
    if not may_at_all(user, "receptionrule.change"):
        raise PermissionDenied(gettext("Only station and committee staff manage reception days."))
    # Another station's number (or garbage, which used to be a 500) shows the first of the scope.
    wanted = request.GET.get("station", "")
    wanted = ascii_int(wanted)
    station = (
        stations.filter(pk=wanted).first() if wanted is not None else None
    ) or stations.first()
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
    guest_form = GuestForm(prefix="guest")
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
            elif action == "guest":
                guest_form = GuestForm(request.POST, prefix="guest")
                if guest_form.is_valid():
                    services.add_reception_guest(
                        station=station, actor=user, **guest_form.cleaned_data
                    )
                    messages.success(request, gettext("Guest added to the reception."))
                    return redirect(f"{request.path}?station={station.pk}")
            elif action == "remove_guest":
                guest = (
                    restrict(ReceptionGuest.objects.all(), user, "change")
                    .filter(station=station, pk=ascii_int(request.POST.get("guest", "")))
                    .first()
                )
                if guest is None:
                    raise Http404(gettext("No such guest at this station."))
                services.remove_reception_guest(guest, actor=user)
                messages.success(request, gettext("Guest removed from the reception."))
                return redirect(f"{request.path}?station={station.pk}")
            else:
                messages.error(request, gettext("Unknown action."))
        except NotAllowed as refused:
            raise PermissionDenied(str(refused.message)) from refused
        except ValidationError as invalid:
            form = {
                "rule": rule_form,
                "assign": assign_form,
                "swap": swap_form,
                "guest": guest_form,
            }[action]
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
        "guest_form": guest_form,
        "until": start + timedelta(days=DAYS - 1),
    }
    return render(request, "receptions/staff/days.html", context, status=status)


@login_required
def my_duties(request):
    """A deputy's own duties: the upcoming ones, and the past ones with the attendance recorded
    by the station and how many visitors the station registered that day (接待人次)."""
    user = request.user
    if user.role != Role.DEPUTY:
        raise PermissionDenied(gettext("This page lists a deputy's own duties."))
    mine = restrict(Duty.objects.all(), user).filter(deputy_id=user.deputy_id)
    start = today()
    duties = mine.filter(date__gte=start).select_related("station").order_by("date", "start_time")
    past = mine.filter(date__lt=start).select_related("station").order_by("-date", "-start_time")
    page = Paginator(past, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = _visit_counts(page.object_list)
    for duty in page.object_list:
        duty.visit_count = counts.get((duty.station_id, duty.date), 0)
    year = mine.filter(date__lt=start, date__year=start.year, attended=True)
    attended_days = list(year.values_list("station_id", "date").distinct())
    received = _visit_counts_for(attended_days)
    context = {
        "duties": duties,
        "page_obj": page,
        "year": start.year,
        "attended_count": year.count(),
        "received_count": sum(received.values()),
    }
    return render(request, "receptions/staff/my_duties.html", context)


def _visit_counts(duties) -> dict:
    return _visit_counts_for({(d.station_id, d.date) for d in duties})


def _visit_counts_for(pairs) -> dict:
    """Visits registered per (station, day), for these pairs (one query)."""
    pairs = set(pairs)
    if not pairs:
        return {}
    rows = (
        Visit.objects.filter(
            station_id__in={s for s, _ in pairs}, received_on__in={d for _, d in pairs}
        )
        .values_list("station_id", "received_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(s, d): n for s, d, n in rows if (s, d) in pairs}


# --- Reception rules (接待日规则) --------------------------------------------------------------


def _station_for(request, value=None) -> tuple[Station, object]:
    """The station asked for (or the first in scope) and every station the account manages.
    Deputies and departments get 403, and so does a station outside the account's scope."""
    user = request.user
    if not may_at_all(user, "receptionrule.change"):
        raise PermissionDenied(gettext("Only station and committee staff manage reception days."))
    stations = restrict(Station.objects.all(), user, "change").order_by("name")
    value = value if value is not None else request.GET.get("station")
    if value:
        pk = ascii_int(value)
        station = stations.filter(pk=pk).first() if pk is not None else None
        if station is None:
            raise PermissionDenied(gettext("This station is not in your scope."))
    else:
        station = stations.first()
    if station is None:
        raise PermissionDenied(gettext("No station in your scope."))
    return station, stations


def _rule_in_scope(request, pk) -> ReceptionRule:
    rule = ReceptionRule.objects.select_related("station").filter(pk=pk).first()
    if rule is None:
        raise Http404(gettext("No reception rule with this number."))
    _station_for(request, rule.station_id)
    return rule


def _rules_url(station) -> str:
    return f"{reverse('receptions:rule-list')}?station={station.pk}"


@login_required
def rule_list(request):
    """The station's reception rules, active first, with edit and (de)activate buttons."""
    station, stations = _station_for(request)
    rules = ReceptionRule.objects.filter(station=station).order_by("-is_active", "start_time", "pk")
    context = {"station": station, "stations": stations, "rules": rules}
    return render(request, "receptions/staff/rules.html", context)


@login_required
def rule_new(request):
    station, _ = _station_for(request, request.POST.get("station"))
    return _rule_form(request, station, ReceptionRule(station=station))


@login_required
def rule_edit(request, pk):
    rule = _rule_in_scope(request, pk)
    return _rule_form(request, rule.station, rule)


def _rule_form(request, station, rule):
    form = RuleForm(instance=rule)
    status = 200
    if request.method == "POST":
        form = RuleForm(request.POST, instance=rule)
        if form.is_valid():
            try:
                services.save_rule(form.save(commit=False), actor=request.user)
            except NotAllowed as refused:
                raise PermissionDenied(str(refused.message)) from refused
            except ValidationError as invalid:
                _add_errors(form, invalid)
            else:
                messages.success(request, gettext("Reception rule saved."))
                return redirect(_rules_url(station))
        status = 400
    context = {"station": station, "rule": rule, "form": form}
    return render(request, "receptions/staff/rule_form.html", context, status=status)


@login_required
@require_POST
def rule_active(request, pk):
    """Deactivate a rule (its future days disappear, duties stay on record) or re-activate it
    (refused when it now overlaps another active rule)."""
    rule = _rule_in_scope(request, pk)
    rule.is_active = request.POST.get("active") == "1"
    try:
        services.save_rule(rule, actor=request.user)
    except NotAllowed as refused:
        raise PermissionDenied(str(refused.message)) from refused
    except ValidationError as invalid:
        for message in invalid.messages:
            messages.error(request, message)
        rules = ReceptionRule.objects.filter(station=rule.station).order_by(
            "-is_active", "start_time", "pk"
        )
        context = {"station": rule.station, "stations": [], "rules": rules}
        return render(request, "receptions/staff/rules.html", context, status=409)
    if rule.is_active:
        messages.success(request, gettext("Reception rule re-activated."))
    else:
        messages.success(request, gettext("Reception rule deactivated."))
    return redirect(_rules_url(rule.station))


# --- Attendance (出勤) ---------------------------------------------------------------------------


def _month(value: str | None, start: date) -> date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        chosen = date(year, month, 1)
    except ValueError:
        return start.replace(day=1)
    return min(chosen, start.replace(day=1))


def _past_receptions(station, first: date, last: date) -> list[Occurrence]:
    """The receptions held from first to last (newest first), each with its duties; a duty whose
    rule has since changed still shows, at its own time."""
    if first > last:
        return []
    rules = list(ReceptionRule.objects.filter(station=station, is_active=True))
    found = {(o.date, o.start_time): o for o in occurrences(rules, first, last)}
    duties = (
        Duty.objects.filter(station=station, date__range=(first, last))
        .select_related("deputy")
        .order_by("deputy__name")
    )
    for duty in duties:
        key = (duty.date, duty.start_time)
        if key not in found:
            found[key] = Occurrence(
                date=duty.date, start_time=duty.start_time, end_time=None, place="", rule=None
            )
        found[key].duties.append(duty)
    return [found[key] for key in sorted(found, reverse=True)]


@login_required
def attendance(request):
    """出勤登记: the past receptions of a station month by month, the deputies on duty at each
    with a form to record who came, and the visits registered that day."""
    user = request.user
    station, stations = _station_for(request, request.POST.get("station"))
    start = today()
    month = _month(request.GET.get("month") or request.POST.get("month"), start)
    following = (month + timedelta(days=32)).replace(day=1)
    last = min(following - timedelta(days=1), start)
    receptions = _past_receptions(station, month, last)
    counts = dict(
        Visit.objects.filter(station=station, received_on__range=(month, last))
        .values_list("received_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for reception in receptions:
        reception.key = f"{reception.date.isoformat()}T{reception.start_time:%H:%M}"
        reception.visit_count = counts.get(reception.date, 0)
        reception.form = AttendanceForm(duties=reception.duties, auto_id=f"id_{reception.key}_%s")
    errors, status = [], 200
    if request.method == "POST":
        status = 400
        chosen = request.POST.get("reception", "")
        target = next((r for r in receptions if r.key == chosen), None)
        if target is None:
            target = _reception_elsewhere(station, chosen)
        if target is None:
            errors.append(gettext("No reception of this station at that time."))
        else:
            form = AttendanceForm(request.POST, duties=target.duties, auto_id=f"id_{target.key}_%s")
            target.form = form
            if form.is_valid():
                try:
                    with transaction.atomic():
                        changed = [
                            services.record_attendance(duty, came, actor=user)
                            for duty, came in form.changes()
                        ]
                except NotAllowed as refused:
                    raise PermissionDenied(str(refused.message)) from refused
                except ValidationError as invalid:
                    errors.extend(invalid.messages)
                else:
                    messages.success(
                        request,
                        gettext("Attendance recorded for %(count)d deputies.")
                        % {"count": len(changed)},
                    )
                    return redirect(
                        f"{request.path}?station={station.pk}&month={month:%Y-%m}#r-{target.key}"
                    )
    unrecorded = Duty.objects.filter(station=station, date__lt=start, attended__isnull=True)
    context = {
        "station": station,
        "stations": stations,
        "receptions": receptions,
        "month": month,
        "previous_month": (month - timedelta(days=1)).replace(day=1),
        "next_month": following if following <= start else None,
        "errors": errors,
        "unrecorded": unrecorded.count(),
    }
    return render(request, "receptions/staff/attendance.html", context, status=status)


def _reception_elsewhere(station, key: str):
    """A reception outside the month shown (e.g. a future one posted by hand): its duties, so
    that the service gives its own answer."""
    day, _, start = key.partition("T")
    try:
        day = date.fromisoformat(day)
        hour, minute = (int(part) for part in start.split(":"))
        duties = list(
            Duty.objects.filter(
                station=station, date=day, start_time=f"{hour:02d}:{minute:02d}"
            ).select_related("deputy")
        )
    except ValueError:
        return None
    if not duties:
        return None
    reception = Occurrence(
        date=day, start_time=duties[0].start_time, end_time=None, place="", rule=None, duties=duties
    )
    reception.key = key
    return reception
