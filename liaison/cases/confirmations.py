"""What the staff confirm before a step that cannot be undone (issue 16): not accepting, merging,
settling with the deputy's reply, withdrawing for the citizen. One screen says what will happen
and who will be told; it re-posts the form with `confirmed=1` (no JavaScript), and the service
still checks the status the person saw (`seen_status`), so a case that moved meanwhile is
refused as any stale form is.

Who is told follows the services and cases/notices.py: the citizen's texts are sent by the
services (merge, the deputy's reply), the rest reaches the citizen on the tracking page."""

from dataclasses import dataclass

from django.utils.translation import gettext

from .models import Case, RejectReason


@dataclass(frozen=True)
class Confirmation:
    what: str
    told: list[str]


def _citizen_by_text(case: Case) -> str:
    if case.citizen_phone:
        return gettext("The citizen, by text message.")
    return gettext("The citizen sees it on the tracking page (no mobile: no text message).")


def _citizen_on_page(form) -> str:
    if form.cleaned_data.get("to_citizen"):
        return gettext(
            "The citizen sees it on the tracking page, with your message; no text message is sent."
        )
    return gettext("The citizen sees it on the tracking page; no text message is sent.")


def _reject(case: Case, form) -> Confirmation:
    reason = RejectReason(form.cleaned_data["reason"]).label
    return Confirmation(
        gettext(
            "The message will not be accepted (%(reason)s). The case ends here and cannot be "
            "opened again."
        )
        % {"reason": reason},
        [_citizen_on_page(form)],
    )


def _merge(case: Case, form) -> Confirmation:
    main = form.cleaned_data["into"]
    return Confirmation(
        gettext(
            "This case will be merged into case %(number)s and end: it is handled and answered "
            "together with that case. This cannot be undone."
        )
        % {"number": main.tracking_number},
        [_citizen_by_text(case)],
    )


def _reply(case: Case, form) -> Confirmation | None:
    if not form.cleaned_data["settle"]:
        return None  # a proposal to assign: the case goes on
    return Confirmation(
        gettext(
            "The deputy's reply settles the matter: no department will handle it. The citizen "
            "is asked to rate the reply; this cannot be undone."
        ),
        [_citizen_by_text(case)],
    )


def _withdraw(case: Case, form) -> Confirmation:
    told = [gettext("The citizen sees it on the tracking page.")]
    if case.assignments.filter(state__in=["pending", "signed"]).exists():
        told.append(gettext("The departments working on it stop: their assignments end."))
    return Confirmation(
        gettext(
            "The case ends as withdrawn at the citizen's request. This cannot be undone; the "
            "citizen can always send a new message."
        ),
        told,
    )


# Action name (actions.ACTIONS) → what its confirmation says, or None when this input needs none.
CONFIRM = {
    "reject": _reject,
    "merge": _merge,
    "reply": _reply,
    "withdraw": _withdraw,
}


def confirmation(action: str, case: Case, form) -> Confirmation | None:
    describe = CONFIRM.get(action)
    return describe(case, form) if describe else None
