from django import forms

from liaison.accounts.models import User


class NoticePreferencesForm(forms.ModelForm):
    """通知方式 — how the account is told besides its inbox."""

    class Meta:
        model = User
        fields = ["email_notices", "daily_digest", "sms_notices"]
