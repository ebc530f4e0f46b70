"""The choice of period and region on the statistics pages, read from the URL (GET), so that a
page of figures can be bookmarked and shared. Bad input gets a precise message, never a 500."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Region, Station

MAX_YEARS = 10


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
        return data
