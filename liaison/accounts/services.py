"""Changes an account makes to itself, and the administrators' recovery actions."""

import time

from django.db import transaction
from django.utils.translation import gettext

from liaison.core.audit import record
from liaison.core.permissions import require

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


# Two-factor login and lockout (docs/deployment.md, "Accounts: lockout and two-factor").


def confirm_two_factor(user, *, key: str, token: str):
    """Turn on two-factor login (双重验证) for `user` with the secret it was shown, once it has
    proved with a code that its authenticator app holds it. Returns the device, or None when the
    code does not match (nothing is saved then)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice(user=user, key=key, name=gettext("Authenticator app"), confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not token.isascii() or not token.isdigit() or not totp.verify(int(token), tolerance=1):
        return None
    with transaction.atomic():
        # One device per account: a second enrolment replaces the first.
        TOTPDevice.objects.filter(user=user).delete()
        device.last_t = totp.t()  # this code may not be used again to log in
        device.save()
        record("account.two_factor_enabled", actor=user, obj=user)
    return device


@transaction.atomic
def remove_two_factor(account, *, actor) -> int:
    """Recovery: an administrator removes the authenticator of an account that lost it. The
    account logs in with its password alone (an administrator is sent to enrol again)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    require(actor, "user.reset_two_factor", account)
    removed, _ = TOTPDevice.objects.filter(user=account).delete()
    if removed:
        record("account.two_factor_removed", actor=actor, obj=account)
    return removed


@transaction.atomic
def unlock_logins(attempts, *, actor) -> int:
    """Lift login lockouts: delete the counted failures (axes' AccessAttempt rows) of the given
    queryset. The log of failures (AccessFailureLog) and logins (AccessLog) stays."""
    rows = list(attempts)
    for attempt in rows:
        require(actor, "accessattempt.unlock", attempt)
    for attempt in rows:
        record(
            "account.login_unlocked",
            actor=actor,
            obj=attempt,
            username=attempt.username,
            ip_address=attempt.ip_address,
            failures=attempt.failures_since_start,
        )
    attempts.model.objects.filter(pk__in=[a.pk for a in rows]).delete()
    return len(rows)
