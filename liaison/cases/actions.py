"""The staff's workflow actions (one per form on the case page, one per API endpoint): the form
that validates the input, the service that takes the step, and the message that says what
happened. The staff pages (staff_views.py) and the staff API (liaison/api/cases_staff.py) both
run them, so a step behaves the same from either."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.workdays.deadlines import local_day

from . import selectors, services
from . import staff_forms as f
from .models import Case, Delivery, RejectReason
from .workflow import Status


def _day(value) -> str:
    return formats.date_format(local_day(value), "DATE_FORMAT") if value else ""


@dataclass(frozen=True)
class ActionSpec:
    """One action: its form, its title, the service call and the message once done.
    `offered_by`: the workflow actions (selectors.staff_actions) that offer it, when one form
    serves several (the reply settles or proposes; a lead or a co-handler signs)."""

    form: type[f.ActionForm]
    title: object
    perform: Callable  # (case, user, form) -> Case
    done: Callable  # (case, form) -> message
    offered_by: tuple[str, ...] = ()
    danger: bool = False


def _assign(case, user, form):
    data = form.cleaned_data
    return services.assign_case(
        case,
        actor=user,
        lead_department=data["lead_department"],
        co_departments=list(data["co_departments"]),
        share_contact=data["share_contact"],
        consent=form.consent(),
        instructions=data["instructions"],
    )


def _decide(case, user, form):
    data = form.cleaned_data
    return services.decide_extension(
        case,
        actor=user,
        assignment=data["assignment"],
        approve=data["approve"],
        days_granted=data["days_granted"],
        note=data["note"],
    )


def _decided(case, form):
    if not form.cleaned_data["approve"]:
        return gettext("Extension refused.")
    assignment = form.cleaned_data["assignment"]
    assignment.refresh_from_db()
    return gettext("Extension approved: the result is now due by %(due)s.") % {
        "due": _day(assignment.report_due_at)
    }


def _signed(case, form):
    if case.status == Status.IN_PROGRESS and case.due_at:
        return gettext("Signed for. The result is due by %(due)s.") % {"due": _day(case.due_at)}
    return gettext("Signed for.")


ACTIONS: dict[str, ActionSpec] = {
    "accept": ActionSpec(
        f.AcceptForm,
        _("Accept"),
        lambda c, u, fm: services.accept_case(
            c,
            actor=u,
            deputy=fm.cleaned_data.get("deputy"),
            note=fm.cleaned_data["note"],
            to_citizen=fm.cleaned_data["to_citizen"],
        ),
        lambda c, fm: (
            gettext("Accepted. The deputy is to reply by %(due)s.") % {"due": _day(c.due_at)}
        ),
    ),
    "request_info": ActionSpec(
        f.RequestInfoForm,
        _("Ask for more information"),
        lambda c, u, fm: services.request_info(c, actor=u, reason=fm.cleaned_data["reason"]),
        lambda c, fm: gettext(
            "The citizen was asked for more information; the clock is paused until they answer."
        ),
    ),
    "merge": ActionSpec(
        f.MergeForm,
        _("Merge into another case"),
        lambda c, u, fm: services.merge_case(
            c,
            fm.cleaned_data["into"],
            actor=u,
            note=fm.cleaned_data["note"],
            to_citizen=fm.cleaned_data["to_citizen"],
        ),
        lambda c, fm: (
            gettext("Merged into case %(number)s.")
            % {"number": fm.cleaned_data["into"].tracking_number}
        ),
        danger=True,
    ),
    "reject": ActionSpec(
        f.RejectForm,
        _("Do not accept"),
        lambda c, u, fm: services.reject_case(
            c,
            actor=u,
            reason=fm.cleaned_data["reason"],
            note=fm.cleaned_data["note"],
            to_citizen=fm.cleaned_data["to_citizen"],
        ),
        lambda c, fm: (
            gettext("Not accepted (%(reason)s).")
            % {"reason": RejectReason(fm.cleaned_data["reason"]).label}
        ),
        danger=True,
    ),
    "refer": ActionSpec(
        f.ReferForm,
        _("Refer to the proper channel"),
        lambda c, u, fm: services.refer_case(
            c,
            actor=u,
            referral_channel=fm.cleaned_data["referral_channel"],
            note=fm.cleaned_data["note"],
        ),
        lambda c, fm: (
            gettext("Referred to %(channel)s; the citizen receives the guidance.")
            % {"channel": fm.cleaned_data["referral_channel"].name}
        ),
    ),
    "supplement": ActionSpec(
        f.SupplementForm,
        _("Add the citizen's information"),
        lambda c, u, fm: services.supplement_case(c, actor=u, text=fm.cleaned_data["text"]),
        lambda c, fm: (
            gettext("Information added. The review is due by %(due)s.") % {"due": _day(c.due_at)}
        ),
    ),
    "reply": ActionSpec(
        f.ReplyForm,
        _("Deputy's reply"),
        lambda c, u, fm: services.reply_case(
            c, actor=u, text=fm.cleaned_data["text"], settle=fm.cleaned_data["settle"]
        ),
        lambda c, fm: (
            gettext("Reply sent. The citizen is asked to rate it by %(due)s.")
            % {"due": _day(c.due_at)}
            if fm.cleaned_data["settle"]
            else gettext("Reply sent. The case now awaits assignment to a department.")
        ),
        offered_by=("reply_and_close", "reply_and_propose"),
    ),
    "assign": ActionSpec(
        f.AssignForm,
        _("Assign to a department"),
        _assign,
        lambda c, fm: (
            gettext("Assigned to %(department)s. Sign-off is due by %(due)s.")
            % {"department": fm.cleaned_data["lead_department"].name, "due": _day(c.due_at)}
        ),
    ),
    "sign": ActionSpec(
        f.SignForm,
        _("Sign for the assignment"),
        lambda c, u, fm: services.sign_assignment(c, actor=u),
        _signed,
        offered_by=("sign", "co_sign"),
    ),
    "return": ActionSpec(
        f.ReturnForm,
        _("Return the assignment"),
        lambda c, u, fm: services.return_assignment(c, actor=u, reason=fm.cleaned_data["reason"]),
        lambda c, fm: gettext("The assignment was returned to the committee."),
        offered_by=("return", "co_return"),
    ),
    "request_extension": ActionSpec(
        f.ExtensionForm,
        _("Request an extension"),
        lambda c, u, fm: services.request_extension(
            c,
            actor=u,
            days_requested=fm.cleaned_data["days_requested"],
            reason=fm.cleaned_data["reason"],
        ),
        lambda c, fm: (
            gettext("An extension of %(days)d working days was requested.")
            % {"days": fm.cleaned_data["days_requested"]}
        ),
    ),
    "decide_extension": ActionSpec(
        f.DecideExtensionForm, _("Decide on the extension"), _decide, _decided
    ),
    "release_co_handlers": ActionSpec(
        f.ReleaseCoHandlersForm,
        _("Release the co-handlers"),
        lambda c, u, fm: services.release_co_handlers(c, actor=u, note=fm.cleaned_data["note"]),
        lambda c, fm: gettext(
            "The co-handlers that had not reported were released: the lead department may "
            "report now."
        ),
    ),
    "urge": ActionSpec(
        f.UrgeForm,
        _("Urge"),
        lambda c, u, fm: services.urge_case(c, actor=u, note=fm.cleaned_data["note"]),
        lambda c, fm: gettext("Urging recorded."),
    ),
    "supervise": ActionSpec(
        f.SuperviseForm,
        _("Put under supervision"),
        lambda c, u, fm: services.supervise_case(c, actor=u, note=fm.cleaned_data["note"]),
        lambda c, fm: gettext("Supervision recorded."),
    ),
    "report": ActionSpec(
        f.ReportForm,
        _("Report the result"),
        lambda c, u, fm: services.report_result(
            c, actor=u, text=fm.cleaned_data["text"], attachments=fm.cleaned_data["attachments"]
        ),
        lambda c, fm: (
            gettext("Result reported. The deputy is to answer the citizen by %(due)s.")
            % {"due": _day(c.due_at)}
            if c.status == Status.FEEDBACK
            else gettext("Your department's contribution was recorded.")
        ),
        offered_by=("report", "co_report"),
    ),
    "answer": ActionSpec(
        f.AnswerForm,
        _("Answer the citizen"),
        lambda c, u, fm: services.answer_case(c, actor=u, text=fm.cleaned_data["text"]),
        lambda c, fm: (
            gettext("Answer sent. The citizen is asked to rate it by %(due)s.")
            % {"due": _day(c.due_at)}
        ),
    ),
    "record_delivery": ActionSpec(
        f.DeliveryForm,
        _("Record how the answer was delivered"),
        lambda c, u, fm: services.record_delivery(
            c, actor=u, how=fm.cleaned_data["how"], note=fm.cleaned_data["note"]
        ),
        lambda c, fm: (
            gettext("Delivery recorded (%(how)s).")
            % {"how": Delivery(fm.cleaned_data["how"]).label}
        ),
    ),
    "rate": ActionSpec(
        f.StaffRatingForm,
        _("Enter the citizen's rating"),
        lambda c, u, fm: services.rate_case(
            c,
            actor=u,
            rating=fm.cleaned_data["rating"],
            via=fm.cleaned_data["via"],
            comment=fm.cleaned_data["comment"],
        ),
        lambda c, fm: (
            gettext("Rating recorded; the case is closed.")
            if c.status == Status.CLOSED
            else gettext("Unsatisfied: the case goes back for re-handling.")
        ),
    ),
    "withdraw": ActionSpec(
        f.WithdrawForm,
        _("Withdraw for the citizen"),
        lambda c, u, fm: services.withdraw_case(c, actor=u, reason=fm.cleaned_data["reason"]),
        lambda c, fm: gettext("The case was withdrawn at the citizen's request."),
        danger=True,
    ),
}


def offered_actions(case: Case, user) -> list[str]:
    """The names of the actions `user` is offered on `case` now (selectors.staff_actions), in
    the order of ACTIONS."""
    offered = selectors.staff_actions(case, user)
    return [name for name, spec in ACTIONS.items() if offered & set(spec.offered_by or (name,))]
