"""年度活动计划 — the staff page of a station's annual plan: planned against held, add and remove
lines. /staff/activities/plan/?station=<id>&year=YYYY"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.core.errors import NotAllowed
from liaison.core.inputs import ascii_int

from . import plans, selectors, services
from .models import ActivityKind, PlannedActivity

MONTHS = [(m, m) for m in range(1, 13)]


class PlanForm(forms.Form):
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTHS, coerce=int)
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = ActivityKind.objects.filter(is_active=True)


@login_required
def staff_plan(request):
    user = request.user
    stations = selectors.staff_stations(user, active=True)
    wanted = ascii_int(request.GET.get("station", ""))
    station = (stations.filter(pk=wanted).first() if wanted is not None else None) or (
        stations.first()
    )
    if station is None:
        raise PermissionDenied(gettext("Your account plans no station's activities."))
    this_year = timezone.localdate().year
    status = 200
    raw_year = request.GET.get("year", "")
    year = ascii_int(raw_year) if raw_year else this_year
    if year is None or not 2000 <= year <= 2100:
        messages.error(request, gettext("That is not a year; this year's plan is shown."))
        year, status = this_year, 400
    here = f"{request.path}?station={station.pk}&year={year}"
    form = PlanForm(prefix="plan")
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove_plan":
                plan = PlannedActivity.objects.filter(
                    station=station, pk=ascii_int(request.POST.get("plan", ""))
                ).first()
                if plan is None:
                    raise Http404(gettext("No such line in this station's plan."))
                services.remove_planned_activity(plan, actor=user)
                messages.success(request, gettext("Removed from the plan."))
                return redirect(here)
            form = PlanForm(request.POST, prefix="plan")
            if form.is_valid():
                services.add_planned_activity(
                    station=station, year=year, actor=user, **form.cleaned_data
                )
                messages.success(request, gettext("Added to the plan."))
                return redirect(here)
        except NotAllowed as refused:
            raise PermissionDenied(str(refused.message)) from refused
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        status = 400
    context = {
        "station": station,
        "stations": stations,
        "year": year,
        "years": [this_year - 1, this_year, this_year + 1],
        "plan": plans.year_plan(station, year),
        "form": form,
    }
    return render(request, "activities/staff/plan.html", context, status=status)
