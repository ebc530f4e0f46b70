from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Choice, Progress


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos; each is checked by content and re-encoded by the service."""

    widget = MultipleFileInput(attrs={"accept": "image/*"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(f, initial) for f in files]


class OpenVoteForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=_("The vote closes at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Date and time, Beijing time."),
    )


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=Choice.choices, widget=forms.RadioSelect
    )


class ProgressForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=Progress._meta.get_field("period").max_length,
        help_text=_("e.g. 2026 Q2"),
    )
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 5}))
    photos = PhotosField(label=_("Photos"), required=False)


class AcceptForm(forms.Form):
    text = forms.CharField(label=_("Acceptance report"), widget=forms.Textarea(attrs={"rows": 5}))
    photos = PhotosField(label=_("Photos"), required=False)


class LinkForm(forms.Form):
    tracking_number = forms.CharField(
        label=_("Case tracking number"), max_length=20, required=False
    )
    suggestion_number = forms.CharField(label=_("Suggestion number"), max_length=16, required=False)


class RatePhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Your mobile phone"),
        max_length=20,
        help_text=_("We text you a code: one rating per phone. The number itself is not kept."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class RateForm(forms.Form):
    phone = forms.CharField(label=_("Your mobile phone"), widget=forms.HiddenInput, max_length=20)
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    score = forms.ChoiceField(
        label=_("Your rating"),
        choices=[(str(n), _("%(n)d of 5") % {"n": n}) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
