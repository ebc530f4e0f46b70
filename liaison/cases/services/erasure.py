"""PIPL: a closed case's personal data erased (删除个人信息): early at the citizen's request
(/mine/), or by the retention job once LIAISON_RETENTION_DAYS have passed since it was closed
(liaison/cases/privacy.py). One function for both."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import photos
from ..models import Case
from ..workflow import FINAL, MACHINE
from .mechanics import _save, case_event

PERSONAL_FIELDS = ["citizen_name", "citizen_phone", "citizen_landline", "citizen_address"]
# Who erased, as the timeline shows it when no account acted.
LABELS = {"citizen": lambda: gettext("Citizen"), "retention": lambda: gettext("Retention period")}


@transaction.atomic
def erase_personal_data(case: Case, *, via: str = "citizen", actor=None) -> Case:
    """Anonymise a closed case: its name, mobile, landline and postal address are emptied, its
    photos deleted. `via` is "citizen" or "retention".
    The events stay as they are: they are hash-chained (docs/design.md, rule 13), and none holds
    a contact detail; the citizen's own words in them (added information, rating comment) stay
    with the matter (docs/privacy.md, "Events"). Recorded as
    `case.personal_data_erased` (internal) with the fields that held something, never their
    values. ValidationError while the case is open (its answer still needs the contact)."""
    locked = MACHINE.lock(case)
    if locked.status not in FINAL:
        raise ValidationError(
            _("Only a closed message can be erased: its answer still needs your contact details.")
        )
    erased = [field for field in PERSONAL_FIELDS if getattr(locked, field)]
    for field in PERSONAL_FIELDS:
        setattr(locked, field, "")
    _save(locked, *PERSONAL_FIELDS)
    if photos.delete_photos(locked):
        erased.append("photos")
    case_event(
        locked,
        "case.personal_data_erased",
        actor=actor,
        from_status=locked.status,
        label=LABELS[via]() if actor is None else None,
        is_public=False,
        fields=erased,
        via=via,
    )
    return locked
