import re
from calendar import monthrange
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.cases.models import Case
from liaison.cases.public_forms import privacy_accepted_field
from liaison.core.permissions import restrict
from liaison.directory.models import Category, Department, Deputy, Region, Station

from . import selectors
from .models import Activity, ActivityKind, ActivityStatus

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "station",
            "region",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "deputies",
            "departments",
            "allow_walk_ins",
        ]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = selectors.staff_stations(user, active=True)
        # 区级活动: the regions whose committee the account is (none for station staff).
        regions = restrict(Region.objects.all(), user, "region.add_activity")
        self.fields["region"].queryset = regions.order_by("path")
        self.fields["region"].help_text = _(
            "Only for an activity held by the committee without a station (区级活动); leave the "
            "station empty then."
        )
        self.fields["kind"].queryset = ActivityKind.objects.filter(is_active=True)
        self.fields["deputies"].queryset = Deputy.objects.filter(is_active=True).order_by("name")
        self.fields["departments"].queryset = Department.objects.order_by("name")
        self.fields["deputies"].widget = forms.CheckboxSelectMultiple(
            choices=self.fields["deputies"].choices
        )
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def _post_clean(self):
        # Validation is the service's job (it reports precise, scoped errors).
        pass


class SignUpForm(forms.Form):
    """报名: a phone confirmed by an SMS code and the privacy notice, as for a new message."""

    name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        help_text=_("We send a code to confirm it, then a confirmation by SMS."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("Please give your mobile number.")},
    )
    privacy_accepted = privacy_accepted_field()
    # A honeypot: hidden from people, filled in by form-filling robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def is_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class CheckInForm(forms.Form):
    """签到 at the venue: the phone that signed up (or, for a walk-in, a phone and a name)."""

    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        help_text=_("The number you signed up with."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=50,
        required=False,
        help_text=_("Only if you did not sign up beforehand."),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files; the service checks each by content and re-encodes it."""

    widget = MultipleFileInput(attrs={"accept": "image/*", "multiple": True})

    def clean(self, data, initial=None):
        return [f for f in (data or []) if f]


class HoldForm(forms.Form):
    """记录活动 — who attended, what was said and decided, photos, citizens present."""

    attended_deputies = forms.ModelMultipleChoiceField(
        label=_("Deputies who attended"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    present = forms.TypedMultipleChoiceField(
        label=_("Citizens present"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Citizens who checked in are ticked; tick those who came without scanning."),
    )
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}))
    outcomes = forms.CharField(
        label=_("Outcomes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    photos = PhotosField(
        label=_("Add photos"),
        required=False,
        help_text=_("JPEG or PNG; each photo is checked and re-encoded."),
    )

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        # Invited deputies and every deputy of the station (someone may come uninvited).
        if activity.station_id:
            of_the_place = Deputy.objects.filter(is_active=True, stations=activity.station)
        else:  # 区级活动: the deputies of the region
            path = activity.region.path
            of_the_place = Deputy.objects.filter(
                is_active=True, region__path__startswith=path
            ) | Deputy.objects.filter(is_active=True, stations__region__path__startswith=path)
        self.fields["attended_deputies"].queryset = (
            (of_the_place | Deputy.objects.filter(pk__in=activity.deputies.values("pk")))
            .distinct()
            .order_by("name")
        )
        self.fields["present"].choices = [
            (s.pk, f"{s.name or '—'} {s.masked_phone}") for s in activity.signups.all()
        ]
        if not self.is_bound:
            held = activity.status == "held"
            attended = activity.attended_deputies.all() if held else activity.deputies.all()
            self.initial.update(
                attended_deputies=list(attended),
                present=[s.pk for s in activity.signups.all() if s.checked_in_at],
                minutes=activity.minutes,
                outcomes=activity.outcomes,
            )


class OpinionForm(forms.Form):
    """An opinion raised at the activity, registered as a case (like the reception form)."""

    citizen_name = forms.CharField(label=_("Citizen's name"), max_length=50)
    citizen_phone = forms.CharField(
        label=_("Citizen's mobile phone"),
        max_length=20,
        help_text=_("The answer is sent to this number by SMS."),
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True)
    )
    title = forms.CharField(label=_("Title"), max_length=Case._meta.get_field("title").max_length)
    description = forms.CharField(
        label=_("What was raised"), widget=forms.Textarea(attrs={"rows": 3})
    )
    deputy = forms.ModelChoiceField(
        label=_("Deputy to answer"),
        queryset=Deputy.objects.none(),
        required=False,
        help_text=_("Leave empty to address the station as a whole."),
    )
    privacy_accepted = forms.BooleanField(
        label=_("The citizen agreed to the privacy notice"), required=False
    )

    station = forms.ModelChoiceField(
        label=_("Station that takes the case"),
        queryset=Station.objects.none(),
        required=False,
        help_text=_("An activity without a station: the station of the region the case goes to."),
    )

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        if activity.station_id:
            del self.fields["station"]
            deputies = Deputy.objects.filter(is_active=True, stations=activity.station)
        else:
            path = activity.region.path
            stations = Station.objects.filter(is_active=True, region__path__startswith=path)
            self.fields["station"].queryset = stations.order_by("name")
            self.fields["station"].required = True
            deputies = Deputy.objects.filter(
                is_active=True, stations__region__path__startswith=path
            ).distinct()
        self.fields["deputy"].queryset = deputies.order_by("name")


MONTH_VALUE = re.compile(r"^(\d{4})-(\d{1,2})$")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffListForm(forms.Form):
    """The staff list's search, filters and sorting (GET). A month, or a date range, not both."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    station = forms.ModelChoiceField(
        label=_("Station"), queryset=Station.objects.none(), required=False
    )
    kind = forms.ModelChoiceField(
        label=_("Kind"), queryset=ActivityKind.objects.none(), required=False
    )
    month = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text=_("Year and month, e.g. 2026-11."),
    )
    starts_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    starts_until = forms.DateField(label=_("Until"), required=False, widget=DATE)
    sort = forms.ChoiceField(label=_("Sort by"), choices=selectors.STAFF_SORTS, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any")), *ActivityStatus.choices]
        # The same scope as the list: a station outside it is not a valid choice (400).
        self.fields["station"].queryset = selectors.staff_stations(user)
        # Inactive kinds too: older activities keep theirs.
        self.fields["kind"].queryset = ActivityKind.objects.all()
        for name in ("station", "kind"):
            self.fields[name].empty_label = _("Any")

    def clean_month(self) -> tuple[date, date] | None:
        raw = (self.cleaned_data.get("month") or "").strip()
        if not raw:
            return None
        match = MONTH_VALUE.match(raw)
        year, month = (int(match[1]), int(match[2])) if match else (0, 0)
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise forms.ValidationError(_("Give the month as year-month, e.g. 2026-11."))
        return date(year, month, 1), date(year, month, monthrange(year, month)[1])

    def clean(self):
        data = super().clean()
        month, start, until = data.get("month"), data.get("starts_from"), data.get("starts_until")
        if month and (start or until):
            raise forms.ValidationError(_("Choose either a month or a date range, not both."))
        if start and until and start > until:
            self.add_error("starts_until", _("The end of the range is before its start."))
        return data

    def query(self) -> selectors.StaffQuery:
        data = self.cleaned_data
        start, until = data.get("month") or (data.get("starts_from"), data.get("starts_until"))
        return selectors.StaffQuery(
            status=data.get("status") or "",
            q=(data.get("q") or "").strip(),
            station=data.get("station"),
            kind=data.get("kind"),
            starts_from=start,
            starts_until=until,
            sort=data.get("sort") or "upcoming",
        )
