"""Merging a duplicate into the case it repeats (合并)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.permissions import require

from .. import links
from ..models import (
    Case,
)
from ..workflow import FINAL, MACHINE, Action
from .mechanics import NOT_YOURS, _finish, _save, _sms, case_event, message_data
from .support import recount_supporters


@transaction.atomic
def merge_case(case: Case, into: Case, *, actor, note: str = "", to_citizen: str = "") -> Case:
    """合并 — the same matter was raised before: the citizen follows the main case, whose answer
    reaches them too. `note` is internal; `to_citizen` is for the citizen."""
    if into.pk == case.pk:
        raise ValidationError({"into": _("A case cannot be merged into itself.")})
    # Lock both rows in a fixed order, so that two merges of the same pair cannot deadlock.
    first, second = sorted([case.pk, into.pk])
    rows = {c.pk: c for c in Case.objects.select_for_update().filter(pk__in=[first, second])}
    locked, main = rows[case.pk], rows[into.pk]
    to = MACHINE.check(locked, Action.MERGE, case.status)
    # Reviewing both: the duplicate is closed, and the main case takes on its citizen.
    require(actor, "case.review", locked, NOT_YOURS)
    require(actor, "case.review", main, NOT_YOURS)
    if main.status in FINAL:
        raise ValidationError({"into": _("The case to merge into must still be open.")})
    now = timezone.now()
    from_status = locked.status
    fields = _finish(locked, to, now)
    locked.merged_into = main
    _save(locked, "merged_into", *fields)
    # The duplicate's own followers come along (cases merged into it before).
    main.raised_by += locked.raised_by
    # Its supporters (附议) count toward the main case now, each phone once.
    main.supporters = recount_supporters(main)
    main.save(update_fields=["raised_by", "supporters", "updated_at"])
    into.raised_by = main.raised_by  # the caller's copy of the main case says it too
    into.supporters = main.supporters
    event = case_event(
        locked,
        "case.merged",
        actor=actor,
        from_status=from_status,
        note=note,
        into=main.tracking_number,
        **message_data(to_citizen),
    )
    case_event(
        main,
        "case.merge_received",
        actor=actor,
        from_status=main.status,
        merged=locked.tracking_number,
        supporters=main.supporters,
    )
    _sms(locked, event, "case_merged", links.tracking_url(locked))
    return locked
