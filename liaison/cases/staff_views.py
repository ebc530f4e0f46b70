"""Staff pages (thin): the queues, a case with its timeline, and one form per workflow action.

Every case comes from `queues.scoped_cases(user)` (restrict(), docs/design.md, rule 4): a case the
account may not see is a 404. Every change goes through services.py; its refusals become a
message on the page — 409 for a refused transition or a race, 403 for role or scope, 400 for
bad input — with nothing changed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.workdays.deadlines import add_working_days, local_day

from . import queues, selectors, services
from . import staff_forms as f
from .models import Case, RejectReason, ResultAttachment
from .workflow import Status


def _day(value) -> str:
    return formats.date_format(local_day(value), "DATE_FORMAT") if value else ""


# --- the queues --------------------------------------------------------------------------------


@login_required
def queue(request):
    """工作队列 — my cases, awaiting my action, due soon, overdue, everything; filtered."""
    user = request.user
    form = f.QueueForm(request.GET, user=user)
    now = timezone.now()
    cutoff = queues.soon_cutoff(now)
    status = 200
    if form.is_valid():
        query = form.query()
        cases = queues.queue(user, query, now=now, cutoff=cutoff)
    else:
        query, cases, status = queues.Query(), Case.objects.none(), 400
    page = Paginator(cases, queues.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(case, queues.flag(case, now, cutoff)) for case in page.object_list]
    kept = [(k, v) for k, v in request.GET.items() if k != "page" and v]
    counts = queues.tab_counts(user, now)
    tabs = [
        (key, label, counts[key], urlencode({"tab": key, "sort": query.sort}))
        for key, label in queues.TABS
    ]
    context = {
        "form": form,
        "query": query,
        "page_obj": page,
        "rows": rows,
        "tabs": tabs,
        "querystring": urlencode(kept),
        "filtered": any(k not in ("tab", "sort") for k, _v in kept),
    }
    return render(request, "cases/staff/queue.html", context, status=status)


# --- one case ----------------------------------------------------------------------------------


def _case_or_404(user, tracking_number: str) -> Case:
    case = (
        queues.scoped_cases(user)
        .select_related("station", "deputy", "category", "referral", "merged_into")
        .filter(tracking_number=tracking_number)
        .first()
    )
    if case is None:
        raise Http404(gettext("No case with this number in your scope."))
    return case


@dataclass(frozen=True)
class ActionSpec:
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
            c, actor=u, deputy=fm.cleaned_data.get("deputy"), note=fm.cleaned_data["note"]
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
            c, fm.cleaned_data["into"], actor=u, note=fm.cleaned_data["note"]
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
            c, actor=u, reason=fm.cleaned_data["reason"], note=fm.cleaned_data["note"]
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
    "withdraw": ActionSpec(
        f.WithdrawForm,
        _("Withdraw for the citizen"),
        lambda c, u, fm: services.withdraw_case(c, actor=u, reason=fm.cleaned_data["reason"]),
        lambda c, fm: gettext("The case was withdrawn at the citizen's request."),
        danger=True,
    ),
}

EVENT_LABELS = {
    "case.submitted": _("Submitted"),
    "case.accepted": _("Accepted"),
    "case.info_requested": _("More information requested"),
    "case.supplemented": _("Information added"),
    "case.merged": _("Merged into another case"),
    "case.merge_received": _("Another case merged into this one"),
    "case.rejected": _("Not accepted"),
    "case.referred": _("Referred to the proper channel"),
    "case.replied": _("Deputy replied"),
    "case.assigned": _("Assigned"),
    "case.signed": _("Signed for"),
    "case.returned": _("Assignment returned"),
    "case.extension_requested": _("Extension requested"),
    "case.extension_approved": _("Extension approved"),
    "case.extension_refused": _("Extension refused"),
    "case.urged": _("Urged"),
    "case.supervised": _("Put under supervision"),
    "case.reported": _("Result reported"),
    "case.answered": _("Answered"),
    "case.rated": _("Rated"),
    "case.rehandle_requested": _("Unsatisfied: sent back for re-handling"),
    "case.auto_closed": _("Closed without a rating"),
    "case.withdrawn": _("Withdrawn"),
    "case.deadline_recomputed": _("Deadline recomputed"),
}


def _event_details(event) -> list[str]:
    """The parts of an event's data that staff need to read, as short lines."""
    data, lines = event.data or {}, []
    if event.verb == "case.rejected" and data.get("reason") in RejectReason.values:
        lines.append(RejectReason(data["reason"]).label)
    if data.get("into"):
        lines.append(gettext("Main case: %(number)s") % {"number": data["into"]})
    if data.get("merged"):
        lines.append(gettext("Merged case: %(number)s") % {"number": data["merged"]})
    if data.get("co"):
        lines.append(gettext("Co-handlers: %(names)s") % {"names": ", ".join(data["co"])})
    if data.get("withdrawn"):
        names = ", ".join(data["withdrawn"])
        lines.append(gettext("Taken from: %(names)s") % {"names": names})
    if data.get("instructions"):
        lines.append(gettext("Instructions: %(text)s") % {"text": data["instructions"]})
    consent = data.get("consent")
    if consent:
        lines.append(
            gettext("Contact details shared with the citizen's consent (%(how)s, %(when)s).")
            % {"how": consent.get("how", ""), "when": consent.get("when", "")[:10]}
        )
    if event.verb == "case.extension_requested" and data.get("days"):
        lines.append(gettext("%(days)d working days asked for.") % {"days": data["days"]})
    if event.verb == "case.extension_approved" and data.get("due_after"):
        lines.append(gettext("Result now due by %(due)s.") % {"due": data["due_after"][:10]})
    if data.get("result"):
        lines.append(gettext("Result: %(text)s") % {"text": data["result"]})
    if data.get("internal_note"):
        lines.append(gettext("Internal note: %(text)s") % {"text": data["internal_note"]})
    if data.get("entered_by_staff"):
        lines.append(gettext("Entered by station staff for the deputy."))
    return lines


def _status_label(value: str) -> str:
    return Status(value).label if value in Status.values else value


def _deadline(case: Case):
    """The due date's explanation, when the stored one can still be counted the same way."""
    if case.due_at is None or case.due_from is None or not case.due_days:
        return None
    deadline = add_working_days(case.due_from, case.due_days)
    return deadline if deadline.due_date == local_day(case.due_at) else None


def _offered_forms(case: Case, user, bound: tuple[str, f.ActionForm] | None) -> list:
    offered = selectors.staff_actions(case, user)
    forms = []
    for name, spec in ACTIONS.items():
        if not offered & set(spec.offered_by or (name,)):
            continue
        is_bound = bound is not None and bound[0] == name
        form = bound[1] if is_bound else spec.form(case=case, user=user)
        forms.append({"name": name, "spec": spec, "form": form, "open": is_bound})
    return forms


def _detail(request, case: Case, *, status=200, error="", bound=None, phone=None):
    user = request.user
    may_see = selectors.may_see_full_phone(user, case)
    events = selectors.timeline(case, public=False)
    context = {
        "case": case,
        "flag": queues.flag(case, timezone.now(), queues.soon_cutoff(timezone.now())),
        "deadline": _deadline(case),
        "resumed": selectors.clock_resumed(case),
        "phone": phone or case.masked_phone,
        "phone_revealed": phone is not None,
        "may_see_phone": may_see,
        "show_name": may_see or not case.confidential,
        "merged": selectors.merged_cases(case),
        "assignments": case.assignments.select_related("department")
        .prefetch_related("attachments")
        .order_by("created_at", "id"),
        "events": [
            {
                "event": event,
                "label": EVENT_LABELS.get(event.verb, event.verb),
                "details": _event_details(event),
                "moved": event.from_status != event.to_status and event.from_status,
                "from": _status_label(event.from_status),
                "to": _status_label(event.to_status),
            }
            for event in events
        ],
        "actions": _offered_forms(case, user, bound),
        "reply_templates": f.REPLY_TEMPLATES,
        "error": error,
        "error_action": bound[0] if bound else "",
    }
    return render(request, "cases/staff/detail.html", context, status=status)


@login_required
def detail(request, tracking_number):
    return _detail(request, _case_or_404(request.user, tracking_number))


@login_required
@require_POST
def reveal_phone(request, tracking_number):
    """Show the full number to a role that must call back; every view is logged."""
    case = _case_or_404(request.user, tracking_number)
    if not selectors.may_see_full_phone(request.user, case):
        error = gettext("Your role may not see the citizen's full phone number.")
        return _detail(request, case, status=403, error=error)
    return _detail(request, case, phone=selectors.citizen_phone(case, request.user))


@login_required
@require_POST
def act(request, tracking_number, action):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404(gettext("No such action."))
    case = _case_or_404(request.user, tracking_number)
    form = spec.form(request.POST, request.FILES, case=case, user=request.user)
    if not form.is_valid():
        error = gettext("Please correct the form below.")
        return _detail(request, case, status=400, error=error, bound=(action, form))
    # The service compares the status the person saw with the one it finds under the lock.
    case.status = form.cleaned_data["seen_status"]
    try:
        changed = spec.perform(case, request.user, form)
    except (TransitionRefused, NotAllowed) as refused:
        fresh = _case_or_404(request.user, tracking_number)
        code = 403 if isinstance(refused, NotAllowed) else 409
        return _detail(request, fresh, status=code, error=str(refused.message))
    except ValidationError as invalid:
        by_field = (
            invalid.message_dict if hasattr(invalid, "error_dict") else {None: invalid.messages}
        )
        for field, errors in by_field.items():
            form.add_error(field if field in form.fields else None, errors)
        fresh = _case_or_404(request.user, tracking_number)
        error = gettext("Please correct the form below.")
        return _detail(request, fresh, status=400, error=error, bound=(action, form))
    messages.success(request, spec.done(changed, form))
    return redirect("staff:case-detail", tracking_number=changed.tracking_number)


@login_required
def result_attachment(request, tracking_number, pk):
    """A file sent with a department's result, for whoever may see the case (restrict())."""
    case = _case_or_404(request.user, tracking_number)
    attachment = ResultAttachment.objects.filter(case=case, pk=pk).first()
    if attachment is None:
        raise Http404(gettext("No such attachment."))
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        # Images were re-encoded and may show in the page; documents are downloaded.
        as_attachment=attachment.content_type == "application/pdf",
        filename=attachment.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response
