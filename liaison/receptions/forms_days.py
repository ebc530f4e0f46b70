"""Forms of the reception-days page: a rule, a duty, a swap. The services check the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReceptionRule


class RuleForm(forms.ModelForm):
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


class SwapForm(forms.Form):
    duty = forms.ModelChoiceField(label=_("Duty"), queryset=None)
    to_deputy = forms.ModelChoiceField(label=_("Hand over to"), queryset=None)

    def __init__(self, *args, duties, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duty"].queryset = duties
        self.fields["to_deputy"].queryset = deputies
