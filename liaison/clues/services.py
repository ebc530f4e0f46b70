"""线索移送 — forwarding a case or a suggestion to the procuratorate, and recording its feedback.

Every write is here (docs/design.md, rule 1): the clue's own audit chain (`cluetransfer.created`,
`cluetransfer.feedback_recorded`) and a line on the case's timeline or the suggestion's history
(`case.clue_transferred`, `case.clue_feedback`, `suggestion.…`). The case's or suggestion's
status does not change: the event's from and to status are the status it has."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.cases.models import Case
from liaison.core import audit
from liaison.core.events import record_event
from liaison.core.permissions import may, require
from liaison.suggestions.models import Suggestion

from .models import ClueTransfer, ConsentHow, Outcome


def _source_event(clue: ClueTransfer, suffix: str, *, actor, data: dict, public: bool):
    source = clue.source
    noun = "case" if clue.case_id else "suggestion"
    record_event(
        source,
        f"{noun}.{suffix}",
        actor=actor,
        from_state=source.status,
        to_state=source.status,
        data={"clue": clue.pk, **data},
        public=public,
    )


@transaction.atomic
def transfer_clue(
    *,
    actor,
    case: Case | None = None,
    suggestion: Suggestion | None = None,
    organisation: str,
    summary: str,
    consent_how: str,
    consent_at=None,
    consent_note: str = "",
    share_contact: bool = False,
    publish: bool = False,
) -> ClueTransfer:
    """Forward `case` or `suggestion` as a clue. Consent is required (how, when); the citizen's
    name and phone go with the clue only when `share_contact` says they agreed."""
    if (case is None) == (suggestion is None):
        raise ValidationError(_("Forward one case or one suggestion."))
    source = case or suggestion
    model = type(source)
    source = model.objects.select_for_update().get(pk=source.pk)
    if not may(actor, "view", source):
        raise ValidationError(_("You may forward only cases and suggestions you can see."))
    clue = ClueTransfer(
        case=source if case else None,
        suggestion=source if suggestion else None,
        region_path=source.region_path,
        station_id=source.station_id,
        organisation=(organisation or "").strip(),
        summary=(summary or "").strip(),
        consent_how=consent_how or "",
        consent_at=consent_at or timezone.now(),
        consent_note=(consent_note or "").strip(),
        share_contact=bool(share_contact),
        publish=bool(publish),
        created_by=actor,
    )
    require(actor, "cluetransfer.add", clue)
    errors = {}
    if consent_how not in ConsentHow.values:
        errors["consent_how"] = _("Say how the consent to forward the matter was obtained.")
    if clue.consent_at > timezone.now() + timedelta(minutes=5):
        errors["consent_at"] = _("The consent cannot be given in the future.")
    if clue.publish and case is not None and source.confidential:
        errors["publish"] = _(
            "The case is confidential: its tracking page cannot name the procuratorate."
        )
    if errors:
        raise ValidationError(errors)
    clue.full_clean(exclude=["created_by", "station", "case", "suggestion"])
    pending = ClueTransfer.objects.filter(outcome=Outcome.PENDING)
    if pending.filter(case=clue.case, suggestion=clue.suggestion).exists():
        raise ValidationError(
            _("This matter was forwarded already and awaits the procuratorate's feedback.")
        )
    clue.save()
    audit.record(
        "cluetransfer.created",
        actor=actor,
        obj=clue,
        source=("case" if case else "suggestion"),
        source_id=source.pk,
        organisation=clue.organisation,
        consent_how=clue.consent_how,
        consent_at=clue.consent_at.isoformat(),
        share_contact=clue.share_contact,
        publish=clue.publish,
    )
    data = {"organisation": clue.organisation, "consent_how": clue.consent_how}
    if clue.publish:
        data["to_citizen"] = _("Forwarded to %(organisation)s.") % {
            "organisation": clue.organisation
        }
    # The citizen gave consent, so the tracking page has one neutral line; the organisation only
    # with consent to publish.
    _source_event(clue, "clue_transferred", actor=actor, data=data, public=True)
    return clue


@transaction.atomic
def record_clue_feedback(clue: ClueTransfer, *, actor, outcome: str, feedback: str) -> ClueTransfer:
    """The procuratorate answered: accepted as a case (立案) or not, with its words."""
    clue = ClueTransfer.objects.select_for_update().get(pk=clue.pk)
    require(actor, "cluetransfer.record_feedback", clue)
    if clue.outcome != Outcome.PENDING:
        raise ValidationError(
            _("The feedback was recorded already (%(outcome)s).")
            % {"outcome": clue.get_outcome_display()}
        )
    errors = {}
    if outcome not in (Outcome.ACCEPTED, Outcome.DECLINED):
        errors["outcome"] = _("Choose whether the procuratorate accepted the clue as a case.")
    feedback = (feedback or "").strip()
    if not feedback:
        errors["feedback"] = _("Write what the procuratorate answered.")
    if errors:
        raise ValidationError(errors)
    clue.outcome, clue.feedback, clue.feedback_at = outcome, feedback, timezone.now()
    clue.save(update_fields=["outcome", "feedback", "feedback_at"])
    audit.record(
        "cluetransfer.feedback_recorded", actor=actor, obj=clue, outcome=outcome, feedback=feedback
    )
    data = {"outcome": outcome}
    if clue.publish:
        data["to_citizen"] = (
            _("%(organisation)s opened a case.")
            if outcome == Outcome.ACCEPTED
            else _("%(organisation)s did not open a case.")
        ) % {"organisation": clue.organisation}
    _source_event(clue, "clue_feedback", actor=actor, data=data, public=clue.publish)
    return clue
