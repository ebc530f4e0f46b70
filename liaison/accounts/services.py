"""Changes an account makes to itself."""

from django.db import transaction

from liaison.core.audit import record

from .models import User


@transaction.atomic
def set_notice_preferences(user, *, email_notices: bool, daily_digest: bool, sms_notices: bool):
    """How the account is told of notices besides its inbox (通知方式)."""
    fields = ["email_notices", "daily_digest", "sms_notices"]
    # Read from the database: a bound ModelForm has already set the new values on `user`.
    before = User.objects.values(*fields).get(pk=user.pk)
    user.email_notices, user.daily_digest, user.sms_notices = (
        email_notices,
        daily_digest,
        sms_notices,
    )
    user.save(update_fields=fields)
    after = {name: getattr(user, name) for name in before}
    if after != before:
        record("account.notice_preferences", actor=user, obj=user, before=before, after=after)
    return user
