from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ConsentHow, Outcome


class TransferForm(forms.Form):
    organisation = forms.CharField(
        label=_("Receiving organisation"),
        max_length=100,
        initial="人民检察院公益诉讼检察部门",
    )
    summary = forms.CharField(label=_("What is forwarded"), widget=forms.Textarea, max_length=5000)
    consent_how = forms.ChoiceField(
        label=_("How the consent was obtained"), choices=ConsentHow.choices
    )
    consent_at = forms.DateTimeField(
        label=_("When (YYYY-MM-DD HH:MM)"),
        required=False,
        help_text=_("Empty: now."),
    )
    consent_note = forms.CharField(label=_("Consent details"), max_length=200, required=False)
    share_contact = forms.BooleanField(
        label=_("The citizen agreed that their name and phone go with the clue"), required=False
    )
    publish = forms.BooleanField(
        label=_("The citizen agreed that the tracking page names the procuratorate and its answer"),
        required=False,
    )
    confirm = forms.BooleanField(
        label=_("I confirm the citizen's consent to forward the matter was obtained as stated"),
        required=True,
    )


class FeedbackForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (Outcome.ACCEPTED, Outcome.ACCEPTED.label),
            (Outcome.DECLINED, Outcome.DECLINED.label),
        ],
    )
    feedback = forms.CharField(
        label=_("What the procuratorate answered"), widget=forms.Textarea, max_length=5000
    )
