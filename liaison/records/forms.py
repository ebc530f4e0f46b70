from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role
from liaison.cases.public_forms import MultipleFileInput
from liaison.core.permissions import restrict
from liaison.directory.models import Deputy, Station

from . import three, years
from .models import EntryKind
from .services import MAX_PHOTOS


def year_choices() -> list[tuple[int, str]]:
    """The years that have data and the current one, newest first (years.py)."""
    return [(year, str(year)) for year in years.years_with_data()]


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()

    def chosen_year(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return three.today().year


SORTS = [
    ("name", _("Name")),
    ("level", _("Level")),
    ("behind", _("Most behind first")),
    ("contact", _("Fewest months with contact first")),
]


class OverviewForm(YearForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=50)
    station = forms.ModelChoiceField(
        label=_("Station"), queryset=Station.objects.none(), required=False
    )
    behind = forms.BooleanField(label=_("Only those behind"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = restrict(
            Station.objects.filter(is_active=True), user
        ).order_by("name")


class PhotosField(forms.FileField):
    """The files as uploaded; the service checks each by content and re-encodes it."""

    widget = MultipleFileInput(attrs={"accept": "image/*", "multiple": True})

    def clean(self, data, initial=None):
        files = [f for f in (data or []) if f]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("At most %(count)d photos per entry.") % {"count": MAX_PHOTOS}
            )
        return files


class EntryForm(forms.Form):
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=Deputy.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=EntryKind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    photos = PhotosField(
        label=_("Evidence photos"),
        required=False,
        help_text=_("Up to 9 photos (JPEG or PNG)."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role == Role.DEPUTY:
            # A deputy writes their own record only: no choice to make.
            del self.fields["deputy"]
        else:
            # The deputies the account writes for (station staff: those of their station).
            deputies = restrict(Deputy.objects.filter(is_active=True), user, "deputy.speak_for")
            self.fields["deputy"].queryset = deputies.order_by("name")


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )
