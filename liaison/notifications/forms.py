"""The forms of the notifications pages: notice preferences, the undelivered messages' filters and
retry."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User

from .models import UNDELIVERED, Channel

# Tracking numbers, key fragments and phone digits: letters, digits, "-", ":" and "_".
SEARCH_RE = re.compile(r"^[\w:-]*$")
MAX_RETRY = 100  # more than one page never reaches the server from the page


class UndeliveredFilter(forms.Form):
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Failed or refused")), *[(s.value, s.label) for s in UNDELIVERED]],
    )
    q = forms.CharField(
        label=_("Last 4 digits of the phone, or tracking number"),
        required=False,
        max_length=40,
    )

    def clean_q(self):
        q = self.cleaned_data["q"].strip()
        if not SEARCH_RE.match(q):
            raise ValidationError(
                _(
                    "Search with digits and letters only: the last 4 digits of a phone number or a "
                    "tracking number."
                )
            )
        return q

    def query(self) -> dict[str, str]:
        """The valid filters (all empty when the form is not valid)."""
        if not self.is_valid():
            return {"channel": "", "status": "", "q": ""}
        return {name: self.cleaned_data[name] for name in ("channel", "status", "q")}


class IdListField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value or []
        if len(values) > MAX_RETRY:
            raise ValidationError(_("Too many messages at once."))
        try:
            return sorted({int(v) for v in values})
        except (TypeError, ValueError):
            raise ValidationError(_("The list of messages is not valid.")) from None


class RetryShownForm(forms.Form):
    ids = IdListField(label=_("Messages shown"), required=True)


class NoticePreferencesForm(forms.ModelForm):
    """通知方式 — how the account is told besides its inbox."""

    class Meta:
        model = User
        fields = ["email_notices", "daily_digest", "sms_notices"]
