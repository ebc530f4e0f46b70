"""The choice of period and region on the statistics pages, read from the URL (GET), so that a
page of figures can be bookmarked and shared. Bad input gets a precise message, never a 500."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.inputs import ascii_int
from liaison.directory.models import Region, Station

from . import compare, reports
from .models import StatsReport

MAX_YEARS = 10
# The days the statistics can count: a day near year 1 or 9999 overflowed the date arithmetic of
# the previous period and the time-zone bounds (a 500 that schemathesis found on /api/v1/stats/).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def _in_range(*days) -> None:
    if any(day is not None and not FIRST_DAY <= day <= LAST_DAY for day in days):
        raise forms.ValidationError(
            _("Choose days between %(first)s and %(last)s.")
            % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
        )


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))
    region = forms.CharField(
        label=_("Region (division code)"),
        required=False,
        max_length=12,
        help_text=_("Empty: everything you may see."),
    )
    station = forms.CharField(label=_("Station number"), required=False, max_length=32)
    compare = forms.ChoiceField(
        label=_("Compare with"),
        required=False,
        choices=[
            ("", _("No comparison, or the days below")),
            ("previous", _("The previous period")),
            ("last_year", _("The same period last year")),
        ],
    )
    compare_start = forms.DateField(
        label=_("Comparison from"), required=False, widget=forms.DateInput({"type": "date"})
    )
    compare_end = forms.DateField(
        label=_("Comparison to"), required=False, widget=forms.DateInput({"type": "date"})
    )

    def clean_region(self) -> Region | None:
        code = self.cleaned_data["region"].strip()
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(
                _("There is no region with this division code."), code="unknown"
            )
        return region

    def clean_station(self) -> Station | None:
        code = self.cleaned_data["station"].strip()
        if not code:
            return None
        station = Station.objects.filter(code=code).first()
        if station is None:
            raise forms.ValidationError(_("There is no station with this number."), code="unknown")
        return station

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if (start is None) != (end is None):
            raise forms.ValidationError(_("Give both the first and the last day, or neither."))
        _in_range(start, end, data.get("compare_start"), data.get("compare_end"))
        if start is None:
            # The year so far: what a committee reports on.
            end = timezone.localdate()
            start = date(end.year, 1, 1)
        if start > end:
            raise forms.ValidationError(_("The first day comes after the last day."))
        if end - start > timedelta(days=366 * MAX_YEARS):
            raise forms.ValidationError(
                _("Choose a period of at most %(years)d years.") % {"years": MAX_YEARS}
            )
        data["start"], data["end"] = start, end
        data["compared"] = self._compared(data, start, end)
        return data

    def _compared(self, data, start: date, end: date) -> tuple[date, date] | None:
        """The comparison period: a shortcut or two days, checked like the period itself."""
        kind = data.get("compare")
        first, last = data.get("compare_start"), data.get("compare_end")
        if kind and (first or last):
            raise forms.ValidationError(
                _("Choose a comparison shortcut or the comparison days, not both.")
            )
        if kind:
            return compare.shortcut(kind, start, end)
        if first is None and last is None:
            return None
        if (first is None) != (last is None):
            raise forms.ValidationError(
                _("Give both the first and the last day of the comparison, or neither.")
            )
        if first > last:
            raise forms.ValidationError(_("The comparison's first day comes after its last day."))
        if last - first > timedelta(days=366 * MAX_YEARS):
            raise forms.ValidationError(
                _("Choose a comparison period of at most %(years)d years.") % {"years": MAX_YEARS}
            )
        return first, last


class AsciiIntegerField(forms.IntegerField):
    """int() reads "２０２６" as 2026; a number in a form is ASCII digits (docs/design.md)."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and ascii_int(value.strip()) is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class ReportForm(forms.Form):
    """A PDF report on demand: a region, and a month, a quarter or a year that has begun."""

    region = forms.CharField(label=_("Region (division code)"), max_length=12)
    period = forms.ChoiceField(label=_("Period"), choices=StatsReport.Period.choices)
    year = AsciiIntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = AsciiIntegerField(
        label=_("Month or quarter"),
        required=False,
        min_value=1,
        max_value=12,
        help_text=_("1–12 for a month, 1–4 for a quarter; empty for a year."),
    )

    clean_region = PeriodForm.clean_region

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        period, number = data["period"], data.get("number")
        if period == StatsReport.Period.YEAR:
            data["number"] = 1
        elif number is None:
            self.add_error("number", _("Give the month (1–12) or the quarter (1–4)."))
            return data
        elif period == StatsReport.Period.QUARTER and number > 4:
            self.add_error("number", _("A quarter is 1, 2, 3 or 4."))
            return data
        start, _end = reports.bounds(period, data["year"], data["number"])
        if start > timezone.localdate():
            raise forms.ValidationError(_("This period has not begun yet."))
        return data
