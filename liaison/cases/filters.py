"""The one filter of the case lists: the staff queues, the staff API's list and the export
(docs/cases.md, "Filters"). A Django form over the query string, so that the three read the same
names, refuse the same bad input with the same messages, and narrow the same queryset.

Every row a filter names (station, department, category, deputy) is looked up among the rows the
viewer may see (`restrict()`, docs/design.md, rule 4): an id from outside the scope, typed into
the URL, is a form error, never a way to learn anything about that row or its cases. And the
cases themselves always start from `queues.scoped_cases(user)`.
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.permissions import may_at_all, restrict
from liaison.directory.models import Category, Department, Deputy, Region, Station

from . import queues
from .models import Channel
from .workflow import Status

MAX_RANGE_YEARS = 10
# Far outside any case, and far from the ends of the calendar, where turning a local midnight
# into UTC would overflow (a 500 on 0001-01-01 or 9999-12-31).
FIRST_DAY, LAST_DAY = date(1949, 10, 1), date(2999, 12, 31)

# The API names rows by their public codes instead of database ids (liaison/api/cases_staff.py).
CODES = {
    "station": "public_code",
    "deputy": "public_code",
    "category": "code",
    "department": "code",
}

OUT_OF_SCOPE = {
    "station": _("No such station in your scope."),
    "deputy": _("No such deputy in your scope."),
    "category": _("No such category."),
    "department": _("No such department in your scope."),
}


class DateInput(forms.DateInput):
    input_type = "date"  # the phone's own date picker; the value is ISO (2026-03-01)

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


def years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def region_in_scope(user, code: str | None) -> Region | None:
    """The region of a division code typed into a list's URL, if the viewer may choose it (the
    statistics' region choice, `region.view_stats`): another township's code is an error, never
    its rows. Shared by every list the statistics link to."""
    code = (code or "").strip()
    if not code:
        return None
    found = restrict(Region.objects.all(), user, "region.view_stats").filter(code=code).first()
    if found is None:
        raise forms.ValidationError(_("No such region in your scope."), code="invalid_choice")
    return found


def check_date_range(form: forms.Form, start_name: str, end_name: str) -> None:
    """Form errors for a date range that is out of the calendar, inverted or wider than
    `MAX_RANGE_YEARS` (call from `clean()`)."""
    data = form.cleaned_data
    for name in (start_name, end_name):
        day = data.get(name)
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            form.add_error(
                name,
                _("Choose a day between %(first)s and %(last)s.")
                % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
            )
    start, end = data.get(start_name), data.get(end_name)
    if start and end and start_name not in form.errors and end_name not in form.errors:
        if end < start:
            form.add_error(end_name, _("The end of the date range is before its start."))
        elif end > years_later(start, MAX_RANGE_YEARS):
            form.add_error(
                end_name,
                _("The date range is wider than %(years)s years: choose a shorter one.")
                % {"years": MAX_RANGE_YEARS},
            )


# What happened to a case in the date range (the statistics' counts link here, docs/statistics.md):
# with an event chosen, the range is the day of that event instead of the day received.
EVENTS = [
    ("received", _("Received")),
    ("accepted", _("Accepted")),
    ("rejected", _("Not accepted")),
    ("referred", _("Referred to other channels")),
    ("merged", _("Merged")),
    ("withdrawn", _("Withdrawn")),
    ("replied", _("Replied by the deputy")),
    ("assigned", _("Assigned to a department")),
    ("answered", _("Answered")),
    ("rated", _("Rated")),
    ("resolved", _("Resolved (closed)")),
]

STATES = [
    ("open", _("Open")),
    ("final", _("Closed or ended")),
]


AMBIGUOUS = {
    "station": _("Several stations in your scope are named “%(name)s”: type the station's code."),
    "deputy": _("Several deputies in your scope are named “%(name)s”: type the deputy's code."),
}
# The choices endpoint (`filter_choices`) answers with at most this many rows.
MAX_CHOICES = 20


class TypedRowField(forms.ModelChoiceField):
    """A station or a deputy, typed instead of picked from a list (issue 17): a county has
    hundreds of stations and thousands of deputies, a city tens of thousands, and a select
    listing them all cost ≈ 600 ms per queue page and a long page on a phone. The text box takes
    the row's public code (as the tracking and QR pages show it) or its exact name, and also its
    database id — the form the dashboards', exports' and older queue links carry. Each is one
    indexed look-up among the rows the viewer may see; a name two rows share is a precise error
    asking for the code. With JavaScript, `case-filter-choices.js` offers up to 20 matches from
    `staff:case-filter-choices` as a datalist; without it the box works as it is."""

    def __init__(self, kind: str, **kwargs):
        self.kind = kind
        attrs = {"autocomplete": "off", "data-choices": kind, "list": f"{kind}-choices"}
        super().__init__(
            queryset=Station.objects.none(), widget=forms.TextInput(attrs=attrs), **kwargs
        )

    def to_python(self, value):
        value = str(value or "").strip()
        if value in self.empty_values or self.to_field_name:
            return super().to_python(value)  # the API names rows by their codes only
        if value.isdigit():
            rows = self.queryset.filter(pk=int(value))
        else:
            rows = self.queryset.filter(Q(public_code=value.lower()) | Q(name=value))
        found = list(rows[:2])
        if not found:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        if len(found) > 1:
            raise ValidationError(AMBIGUOUS[self.kind] % {"name": value}, code="ambiguous")
        return found[0]


class CaseFilter(forms.Form):
    """The queue's filters. `by_code=True` takes the rows' codes instead of ids (the API)."""

    tab = forms.ChoiceField(label=_("Queue"), choices=queues.TABS, required=False)
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DateInput())
    received_to = forms.DateField(label=_("Received until"), required=False, widget=DateInput())
    station = TypedRowField(
        "station",
        label=_("Station"),
        required=False,
        help_text=_("The station's code or its full name."),
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    deputy = TypedRowField(
        "deputy",
        label=_("Deputy"),
        required=False,
        help_text=_("The deputy's code or full name."),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    state = forms.ChoiceField(
        label=_("Open or closed"), choices=[("", _("Any")), *STATES], required=False
    )
    region = forms.CharField(label=_("Region (division code)"), max_length=12, required=False)
    event = forms.ChoiceField(
        label=_("Dates are of"),
        choices=[("", _("Creation")), *EVENTS],
        required=False,
        help_text=_("What happened to the case between the two dates."),
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=queues.SORT_CHOICES, required=False)

    def __init__(self, *args, user, by_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        any_ = [("", _("Any"))]
        self.fields["status"].choices = any_ + list(Status.choices)
        self.fields["channel"].choices = any_ + list(Channel.choices)
        rows = {
            "station": restrict(Station.objects.all(), user),
            "department": restrict(Department.objects.all(), user).order_by("level", "name"),
            "category": restrict(Category.objects.all(), user),
            "deputy": restrict(Deputy.objects.all(), user),
        }
        for name, queryset in rows.items():
            field = self.fields[name]
            field.queryset = queryset
            field.empty_label = _("Any")
            field.error_messages["invalid_choice"] = OUT_OF_SCOPE[name]
            if by_code:
                field.to_field_name = CODES[name]
        # Only who may see departments filters by one (committees, departments, administrators).
        if not may_at_all(user, "department.view"):
            del self.fields["department"]

    def clean_region(self) -> Region | None:
        return region_in_scope(self.user, self.cleaned_data.get("region"))

    def clean(self):
        data = super().clean()
        # The box shows the code of the row found, whatever was typed (a name, an id from a link).
        typed = {n: r.public_code for n in ("station", "deputy") if (r := data.get(n)) is not None}
        if typed:
            self.data = self.data.copy()
            for name, code in typed.items():
                self.data[name] = code
        if "department" not in self.fields and self.data.get("department"):
            self.add_error(None, _("Your role does not filter cases by department."))
        check_date_range(self, "received_from", "received_to")
        return data

    def query(self) -> queues.Query:
        data = self.cleaned_data
        return queues.Query(
            tab=data.get("tab") or "mine",
            status=data.get("status") or "",
            category=data.get("category"),
            deputy=data.get("deputy"),
            station=data.get("station"),
            department=data.get("department"),
            channel=data.get("channel") or "",
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            overdue=bool(data.get("overdue")),
            state=data.get("state") or "",
            region=data.get("region"),
            event=data.get("event") or "",
            q=(data.get("q") or "").strip(),
            sort=data.get("sort") or "due",
        )

    def cases(self, now=None, cutoff=None):
        """The filtered cases in the queue's order (call after is_valid())."""
        return queues.queue(self.user, self.query(), now=now or timezone.now(), cutoff=cutoff)

    def described(self) -> dict[str, str]:
        """The filters in use, as the audit trail keeps them (ids and codes, no personal data)."""
        described = {}
        for name, value in self.cleaned_data.items():
            if value in (None, "", False):
                continue
            if hasattr(value, "pk"):
                value = getattr(value, CODES.get(name, "code"), value.pk)
            described[name] = value.isoformat() if isinstance(value, date) else str(value)
        return described
