"""Forms of the reception-days page: a rule, a duty, a swap. The services check the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import GuestKind, ReceptionRule


class RuleForm(forms.ModelForm):
    # 线上预约 (liaison/appointments/slots.py): an empty box means 30 minutes and no online booking.
    slot_minutes = forms.IntegerField(
        label=_("Slot length (minutes)"), min_value=5, max_value=480, required=False
    )
    slot_capacity = forms.IntegerField(
        label=_("Places per slot for online booking"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("0 = no online booking for this reception."),
    )

    def clean_slot_minutes(self):
        return self.cleaned_data["slot_minutes"] or 30

    def clean_slot_capacity(self):
        return self.cleaned_data["slot_capacity"] or 0

    class Meta:
        model = ReceptionRule
        fields = [
            "kind",
            "weekday",
            "day_of_month",
            "date",
            "start_time",
            "end_time",
            "place",
            "valid_from",
            "valid_until",
            "on_holiday",
            "slot_minutes",
            "slot_capacity",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class AssignForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=None)

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies


class GuestFields(forms.Form):
    """联合接待: who comes beside the deputies (the services check the rest)."""

    kind = forms.ChoiceField(label=_("Kind of guest"), choices=GuestKind.choices)
    name = forms.CharField(label=_("Name"), max_length=50)
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=100,
        help_text=_("e.g. District housing bureau, Beishan police station, a law firm"),
    )
    role = forms.CharField(label=_("Role"), max_length=50, required=False)


class GuestForm(GuestFields):
    """A guest at one reception of the station: its day and start time, like a duty."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    field_order = ["date", "start_time", "kind", "name", "organisation", "role"]


class SwapForm(forms.Form):
    duty = forms.ModelChoiceField(label=_("Duty"), queryset=None)
    to_deputy = forms.ModelChoiceField(label=_("Hand over to"), queryset=None)

    def __init__(self, *args, duties, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duty"].queryset = duties
        self.fields["to_deputy"].queryset = deputies


class AttendanceForm(forms.Form):
    """出勤: one choice per duty of a past reception — came / did not come (blank: unchanged)."""

    CAME, ABSENT = "came", "absent"

    def __init__(self, *args, duties, **kwargs):
        super().__init__(*args, **kwargs)
        self.duties = list(duties)
        for duty in self.duties:
            initial = {True: self.CAME, False: self.ABSENT}.get(duty.attended, "")
            self.fields[f"duty-{duty.pk}"] = forms.ChoiceField(
                label=duty.deputy.name,
                choices=[(self.CAME, _("Came")), (self.ABSENT, _("Did not come"))],
                widget=forms.RadioSelect,
                required=False,
                initial=initial,
            )

    def changes(self):
        """(duty, attended) for every duty whose answer differs from what is recorded."""
        for duty in self.duties:
            value = self.cleaned_data.get(f"duty-{duty.pk}")
            if value and (value == self.CAME) is not duty.attended:
                yield duty, value == self.CAME
