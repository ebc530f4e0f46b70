"""PIPL: a closed case's personal data, erased early at the citizen's request (删除个人信息)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import Case, CaseEvent
from ..workflow import FINAL, MACHINE
from .mechanics import _save, case_event

PERSONAL_FIELDS = ["citizen_name", "citizen_phone", "citizen_landline", "citizen_address"]
# Events whose note is the citizen's own words (which may name them); the rest of the history
# (who acted, when, what was decided) stays as it was.
CITIZEN_NOTES = {"case.supplemented", "case.rated", "case.rehandle_requested", "case.withdrawn"}
# Keys of an event's `data` that may hold a personal detail.
PERSONAL_KEYS = {"name", "phone", "landline", "address", "ip", *PERSONAL_FIELDS}


@transaction.atomic
def erase_personal_data(case: Case, *, via: str = "citizen", actor=None) -> Case:
    """Anonymise a closed case: its name, mobile, landline and postal address are emptied and
    the personal parts of its events removed; the events themselves stay (rule 3 bends here, as
    PIPL requires: their personal parts are the only thing ever changed). Recorded as
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
    events = 0
    for event in CaseEvent.objects.filter(case=locked):
        note = "" if event.verb in CITIZEN_NOTES else event.note
        data = {key: value for key, value in event.data.items() if key not in PERSONAL_KEYS}
        if note != event.note or data != event.data:
            CaseEvent.objects.filter(pk=event.pk).update(note=note, data=data)
            events += 1
    case_event(
        locked,
        "case.personal_data_erased",
        actor=actor,
        from_status=locked.status,
        label=gettext("Citizen") if actor is None else None,
        is_public=False,
        fields=erased,
        events_cleaned=events,
        via=via,
    )
    return locked
