"""The three lists' exports (core/exports.py, docs/exports.md): 建议清单, 交办清单 and 效果清单 in
the columns of the official lists, each with its page's filter form. Dates are real dates (the
local day), so that a spreadsheet sorts them; yes and no in words, as the lists are printed. No
citizen is in them: deputies and units are named as on the pages."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core import exports
from liaison.workdays.deadlines import local_day

from . import forms as f
from . import selectors
from .models import Suggestion, SuggestionAssignment

C = exports.Column


def _day(value):
    return local_day(value) if value else None


def _yes(value: bool):
    return _("Yes") if value else _("No")


def _form(form_class, user, params):
    form = form_class(params, user=user)
    if not form.is_valid():
        raise exports.refused(form)
    return form


@exports.register("suggestions", filename="suggestions", permission="suggestion.view")
def suggestion_list(user, params) -> exports.Prepared:
    """建议清单."""
    form = _form(f.SuggestionListForm, user, params)
    columns = [
        C(_("Number"), lambda s: s.number or ""),
        C(_("Title"), lambda s: s.title),
        C(_("Lead deputy"), lambda s: s.lead_deputy.name),
        C(_("Co-signers"), lambda s: s.cosigner_count),
        C(_("Category"), lambda s: s.category.name),
        C(_("Year"), lambda s: s.year),
        C(_("Submitted"), exports.label(Suggestion, "session_kind")),
        C(_("Status"), exports.label(Suggestion, "status")),
        C(_("From station work"), lambda s: _yes(s.from_station_work)),
        C(_("Key suggestion"), lambda s: _yes(s.is_key)),
        C(_("Submitted on"), lambda s: _day(s.submitted_at)),
    ]
    rows = selectors.suggestion_list(user, form.query())
    return exports.Prepared(rows, columns, exports.described(form.cleaned_data))


@exports.register(
    "suggestion-assignments", filename="assignments", permission="suggestionassignment.view"
)
def assignment_list(user, params) -> exports.Prepared:
    """交办清单."""
    form = _form(f.AssignmentListForm, user, params)
    now = timezone.now()
    columns = [
        C(_("Number"), lambda a: a.suggestion.number or ""),
        C(_("Suggestion"), lambda a: a.suggestion.title),
        C(_("Unit"), lambda a: a.department.name),
        C(_("Role"), exports.label(SuggestionAssignment, "role")),
        C(_("Assigned on"), lambda a: _day(a.assigned_at)),
        C(_("Due"), lambda a: _day(a.due_at)),
        C(_("State"), exports.label(SuggestionAssignment, "state")),
        C(_("Overdue"), lambda a: _yes(selectors.is_overdue(a, now))),
    ]
    rows = selectors.assignment_list(user, form.query(), now=now)
    return exports.Prepared(rows, columns, exports.described(form.cleaned_data))


def lead_unit(suggestion: Suggestion) -> str:
    leads = [a for a in suggestion.assignments.all() if a.role == "lead" and a.state != "withdrawn"]
    return leads[-1].department.name if leads else ""


@exports.register("suggestion-outcomes", filename="outcomes", permission="suggestion.view")
def outcome_list(user, params) -> exports.Prepared:
    """效果清单."""
    form = _form(f.OutcomeListForm, user, params)
    columns = [
        C(_("Number"), lambda s: s.number or ""),
        C(_("Title"), lambda s: s.title),
        C(_("Lead deputy"), lambda s: s.lead_deputy.name),
        C(_("Lead unit"), lead_unit),
        C(_("Grade"), lambda s: s.grade),
        C(_("Answered on"), lambda s: _day(s.answered_at)),
        C(_("Deputy's evaluation"), exports.label(Suggestion, "evaluation")),
        C(_("What was achieved"), lambda s: s.achieved),
    ]
    rows = selectors.outcome_list(user, form.query()).prefetch_related("assignments__department")
    return exports.Prepared(rows, columns, exports.described(form.cleaned_data))
