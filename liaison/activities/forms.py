from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Department, Deputy

from .models import Activity, ActivityKind
from .selectors import manageable_stations

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "station",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "deputies",
            "departments",
        ]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = manageable_stations(user)
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
    name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        help_text=_("We send a confirmation by SMS."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    # A honeypot: hidden from people, filled in by form-filling robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def is_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())
