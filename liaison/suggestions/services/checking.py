"""Checking (审查): returning for changes or registering (立案) with a number."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.core.permissions import require

from ..models import Suggestion
from ..workflow import MACHINE, Action
from .mechanics import NOT_YOURS, deputy_accounts, suggestion_event, tell

# --- checking (审查) ---------------------------------------------------------------------------


@transaction.atomic
def return_suggestion(
    suggestion: Suggestion, *, actor, reason: str, seen_status: str | None = None
) -> Suggestion:
    """退回 — it does not meet the rules (a personal matter, a pending court case …); the deputy
    may revise and submit again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tell the deputy why it is returned.")})
    locked, to = MACHINE.guard(suggestion, Action.RETURN, seen_status)
    require(actor, "suggestion.supervise", locked, NOT_YOURS)
    from_status, locked.status = locked.status, to
    locked.return_reason = reason
    locked.save(update_fields=["status", "return_reason", "updated_at"])
    event = suggestion_event(
        locked, "suggestion.returned", actor=actor, from_status=from_status, note=reason
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Suggestion returned: %(title)s") % {"title": locked.title}
        body = gettext("Your suggestion “%(title)s” was returned: %(reason)s") % {
            "title": locked.title,
            "reason": reason,
        }
    tell(deputy_accounts(locked), event, subject, body)
    return locked


def _next_number(year: int) -> str:
    last = (
        Suggestion.objects.filter(number__startswith=f"{year}-")
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.split("-")[1]) + 1 if last else 1
    return f"{year}-{sequence:04d}"


@transaction.atomic
def accept_suggestion(
    suggestion: Suggestion, *, actor, seen_status: str | None = None, note: str = ""
) -> Suggestion:
    """立案 — registered with a number of its year, e.g. 2026-0012."""
    locked, to = MACHINE.guard(suggestion, Action.ACCEPT, seen_status)
    require(actor, "suggestion.supervise", locked, NOT_YOURS)
    from_status, locked.status = locked.status, to
    locked.accepted_at = timezone.now()
    locked.return_reason = ""
    for attempt in range(5):
        locked.number = _next_number(locked.year)
        try:
            with transaction.atomic():  # a savepoint: a number taken meanwhile is retried
                locked.save(
                    update_fields=["status", "number", "accepted_at", "return_reason", "updated_at"]
                )
            break
        except IntegrityError:
            if attempt == 4:
                raise
    event = suggestion_event(
        locked,
        "suggestion.accepted",
        actor=actor,
        from_status=from_status,
        note=note,
        number=locked.number,
        is_public=True,
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Suggestion registered: %(number)s") % {"number": locked.number}
        body = gettext("Your suggestion “%(title)s” was registered as No. %(number)s.") % {
            "title": locked.title,
            "number": locked.number,
        }
    tell(deputy_accounts(locked, cosigners=True), event, subject, body)
    return locked
