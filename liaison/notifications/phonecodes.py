"""One-time SMS codes (短信验证码): the one flow every citizen path uses to prove a phone — a new
message, opening the tracking page, a booking.

A code is 6 digits, stored only as a keyed hash, valid for 10 minutes and for 5 wrong tries; a new
one can be asked for after a minute, and a phone receives at most `LIAISON_RATE_CODES_PER_PHONE`
codes a day. The SMS goes through the outbox like every other message, in the same transaction
as the code row. Each app keeps its codes in its own table (a subclass of `OneTimeCode` with the
foreign key to what it proves: a case, a booking) and describes them with a `Codes`:

    codes = Codes(PhoneCode.objects.filter(case=case, purpose=purpose),
                  {"case": case, "purpose": purpose}, salt="liaison.cases.phone-code",
                  prefix=f"{case.pk}:{purpose}:")
    code = codes.send(case.citizen_phone, "tracking_code", {"number": …}, "phone-code",
                      language=case.language)
    codes.check(entered, then=lambda: confirm(case))

It lives beside the outbox rather than in core because sending is its half of the work.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from liaison.core import ratelimit

from .models import OneTimeCode
from .services import insert_rows, sms_row

CODE_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5
RESEND_AFTER = timedelta(seconds=60)
# A code is of no use after CODE_LIFETIME; a day more keeps it for a support question.
CODES_KEPT = timedelta(days=1)


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def digits(entered: str | None) -> str:
    """What the person typed, without spaces or dashes."""
    return "".join(ch for ch in (entered or "") if ch.isascii() and ch.isdigit())


@dataclass(frozen=True)
class Codes:
    """The codes of one subject for one purpose: where they are kept and how they are hashed."""

    rows: models.QuerySet  # this subject's codes (any order)
    new_row: dict[str, Any]  # the fields of a new row besides the code's own
    salt: str
    prefix: str  # mixed into the hash, so a code is good for its subject and purpose only

    def _hash(self, code: str) -> str:
        return salted_hmac(self.salt, f"{self.prefix}{code}", algorithm="sha256").hexdigest()

    def latest(self):
        return self.rows.order_by("-created_at", "-id").first()

    def seconds_until_resend(self) -> int:
        last = self.latest()
        if last is None:
            return 0
        wait = (last.created_at + RESEND_AFTER - timezone.now()).total_seconds()
        return max(int(wait + 0.999), 0)

    def send(
        self,
        phone: str,
        kind: str,
        params: dict,
        dedupe_prefix: str,
        *,
        language: str = "",
        deliver: bool = True,
    ) -> str:
        """Send a new code to `phone` as the SMS `kind` (notifications/sms.py; `params` without
        the code) in the citizen's `language`, and return it (shown on screen in demo mode
        only). ValidationError on "code" when asked again too soon or too often.

        `deliver=False` does all the same (the row, the waits, the phone's daily count) but sends
        no text and returns "": for a page that must answer alike whether or not the phone is
        known, so that every later step (wrong code, wait, limit) answers alike too."""
        wait = self.seconds_until_resend()
        if wait:
            raise ValidationError(
                {
                    "code": ngettext(
                        "Please wait %(seconds)d second before asking for a new code.",
                        "Please wait %(seconds)d seconds before asking for a new code.",
                        wait,
                    )
                    % {"seconds": wait}
                }
            )
        if ratelimit.CODES_PER_PHONE.exceeded(phone):
            raise ValidationError(
                {
                    "code": _(
                        "Too many codes were sent to this phone today. Please try again tomorrow."
                    )
                }
            )
        code = new_code()
        # No savepoint inside a caller's transaction (the online form's draft): the refusals
        # above come before any write, and a failure below should undo the caller's work too.
        with transaction.atomic(savepoint=False):
            row = self.rows.model.objects.create(
                **self.new_row,
                code_hash=self._hash(code),
                expires_at=timezone.now() + CODE_LIFETIME,
            )
            if deliver:
                with translation.override(language or settings.LANGUAGE_CODE):
                    # The row is new, so is the key: one INSERT, no read first.
                    params = {**params, "code": code}
                    key = f"{dedupe_prefix}:{row.pk}"
                    insert_rows([sms_row(phone, kind, params, dedupe_key=key)])
        ratelimit.CODES_PER_PHONE.hit(phone)
        return code if deliver else ""

    def check(self, entered: str, *, before: Callable[[], Any] | None = None, then=None):
        """Use up the latest code, or raise ValidationError on "code" saying why. A wrong try is
        counted (and committed) before the error is raised. `before()` runs first in the same
        transaction (to take a lock in the right order); `then()` runs in it after the code is
        used up, and its result is returned."""
        code = digits(entered)
        result = None
        with transaction.atomic():
            if before is not None:
                before()
            row = self.rows.select_for_update().order_by("-created_at", "-id").first()
            if row is None or row.used_at is not None:
                problem = _("Please ask for a code first.")
            elif row.expires_at <= timezone.now():
                problem = _("This code has expired. Please ask for a new one.")
            elif row.attempts >= MAX_ATTEMPTS:
                problem = _("Too many wrong tries. Please ask for a new code.")
            elif len(code) != 6 or not constant_time_compare(row.code_hash, self._hash(code)):
                row.attempts += 1
                row.save(update_fields=["attempts"])
                left = MAX_ATTEMPTS - row.attempts
                if left:
                    problem = ngettext(
                        "The code is not right. You can try %(left)d more time.",
                        "The code is not right. You can try %(left)d more times.",
                        left,
                    ) % {"left": left}
                else:
                    problem = _("The code is not right. Please ask for a new code.")
            else:
                problem = None
                row.used_at = timezone.now()
                row.save(update_fields=["used_at"])
                if then is not None:
                    result = then()
        if problem is not None:
            raise ValidationError({"code": [problem]})
        return result


def purge_old_codes(now=None) -> int:
    """Delete the codes of every app's code table sent more than CODES_KEPT ago: each row ties a
    phone (or its hash) to a case, a booking or a sign-up, and is no proof of anything once spent
    or expired (what it proved is recorded where it was proved)."""
    cutoff = (now or timezone.now()) - CODES_KEPT
    deleted = 0
    for model in apps.get_models():
        if issubclass(model, OneTimeCode):
            deleted += model.objects.filter(created_at__lt=cutoff).delete()[0]
    return deleted
