"""Who is told of each step of a case (交接通知): the hand-off table of docs/notifications.md.

Every case event reaches `notify` through `record_event` (core/registry.py, `notices`), in the
event's transaction: a notice exists if and only if the step was committed. Staff and deputies
are told in their inbox, and by e-mail when their account has an address; 催办 and 督办 reach
the department's handlers by SMS as well (held at night: `to_staff` in notifications/sms.py).
The citizen's texts are sent by the services themselves, except the closing one here.

- A step begins (submitted, accepted, to_assign, assigned, feedback): whoever must act on it,
  `reminders.responsible` (station, deputy, committee, each department's handlers).
- Returned, extension requested: the committee above the case.
- Extension approved or refused, co-handlers released: the handlers of the departments working
  on it.
- Urged (催办), supervised (督办): the same handlers, by SMS too; the event names them (the
  service reads them from the same `selectors.department_handlers`).
- Re-handling requested, rated 不满意: the committee, the deputy, the departments that handled it.
- Closed without a rating: the citizen (SMS).
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from liaison.accounts.models import Role, User
from liaison.core.registry import notices
from liaison.notifications.services import staff_url, tell_accounts

from . import links, page_cache
from .models import Case, Rating
from .reminders import responsible, step_name, supervisors
from .selectors import department_handlers
from .services.mechanics import _sms
from .workflow import Status

# A step someone must now take: its people hear of it when the case enters it. `in_progress`
# is missing on purpose: the department entered it by signing.
STEPS = {Status.SUBMITTED, Status.ACCEPTED, Status.TO_ASSIGN, Status.ASSIGNED, Status.FEEDBACK}
# Steps of the departments: who is still working on the case.
DEPARTMENT_STEPS = {Status.ASSIGNED, Status.IN_PROGRESS}


@notices.register
def bump_page_version(aggregate, event) -> None:
    """Every event of a case makes its cached tracking page and queues stale (page_cache.py)."""
    if isinstance(aggregate, Case):
        page_cache.bump(aggregate)


@notices.register
def notify(aggregate, event) -> None:
    if not isinstance(aggregate, Case):
        return
    case = aggregate
    with translation.override(settings.LANGUAGE_CODE):
        for users, subject, sms_too in _who_and_what(case, event):
            tell(case, event, users, subject, sms_too=sms_too)
    if event.verb == "case.auto_closed":
        _sms(case, event, "case_closed", links.tracking_url(case))


def _who_and_what(case: Case, event):
    """(users, subject, what an SMS says or "" for none) for each group to tell of `event`."""
    verb, entered = event.verb, event.to_status != event.from_status
    number = case.tracking_number
    if verb in ("case.urged", "case.supervised") and case.status in DEPARTMENT_STEPS:
        what = gettext("Urged (催办)") if verb == "case.urged" else gettext("Supervised (督办)")
        yield department_handlers(case, active=True), f"{what}: {number}", what
    elif verb in ("case.returned", "case.extension_requested"):
        what = (
            gettext("Assignment returned")
            if verb == "case.returned"
            else gettext("Extension requested")
        )
        yield _committee(case), f"{what}: {number}", ""
    elif verb in ("case.extension_approved", "case.extension_refused"):
        what = (
            gettext("Extension approved")
            if verb == "case.extension_approved"
            else gettext("Extension refused")
        )
        yield department_handlers(case, active=True), f"{what}: {number}", ""
    elif verb == "case.co_handlers_released":
        subject = gettext("Co-handlers released: the result may be reported, %(number)s") % {
            "number": number
        }
        yield department_handlers(case, active=True), subject, ""
    elif verb == "case.rehandle_requested" or (
        verb == "case.rated" and event.data.get("rating") == Rating.UNSATISFIED
    ):
        subject = gettext("The citizen is not satisfied: %(number)s") % {"number": number}
        yield (
            _committee(case) + _deputy(case) + department_handlers(case, active=False),
            subject,
            "",
        )
    if entered and case.status in STEPS:
        step = step_name(case.status)
        due = timezone.localtime(case.due_at).date().isoformat() if case.due_at else ""
        subject = gettext("To do: %(step)s, %(number)s") % {"step": step, "number": number}
        if due:
            subject += " · " + gettext("due %(day)s") % {"day": due}
        yield responsible([case])[case.pk], subject, ""


def _committee(case: Case) -> list[User]:
    return supervisors([case])[case.pk]


def _deputy(case: Case) -> list[User]:
    users = User.objects.filter(role=Role.DEPUTY, is_active=True, deputy_id=case.deputy_id)
    return list(users) if case.deputy_id else []


def tell(case: Case, event, users, subject: str, *, sms_too: str = "") -> list[User]:
    """Each user once, as they chose (`tell_accounts`); an SMS saying `sms_too` if given."""
    link = reverse("staff:case-detail", args=[case.tracking_number])
    sms = None
    if sms_too:
        params = {"what": sms_too, "number": case.tracking_number, "url": staff_url(link)}
        sms = ("staff_task", params)
    key = f"case-event:{event.pk}:notice"
    return tell_accounts(users, key, subject, f"{subject}\n{case.title}", link=link, sms=sms)
