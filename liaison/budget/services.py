"""Every change to a budget: created, imported (all or nothing), published, made public; a
deputy's question, the office's reply (the deputy is notified). Each records an audit event."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core.events import record_event
from liaison.core.permissions import require
from liaison.directory.models import Department
from liaison.notifications.services import tell_accounts

from .importing import read
from .models import Budget, BudgetLine, BudgetQuestion, MonthlyExecution, QuestionKind

MAX_TEXT = 5000


def _not_yours() -> str:
    return _("Only the committee staff of the budget's region may change it.")


@transaction.atomic
def create_budget(*, actor, region, year: int, title: str) -> Budget:
    require(actor, "budget.change", Budget(region_path=region.path), _not_yours())
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": [_("Please enter a year between 2000 and 2100.")]})
    if Budget.objects.filter(region=region, year=year).exists():
        raise ValidationError({"year": [_("This region already has a budget for that year.")]})
    budget = Budget.objects.create(
        region=region, region_path=region.path, year=year, title=title.strip()[:200]
    )
    record_event(budget, "budget.created", actor=actor, data={"year": year}, new_aggregate=True)
    return budget


def departments_of(budget: Budget) -> dict[str, Department]:
    return {
        d.name: d
        for d in Department.objects.filter(
            region__path__startswith=budget.region_path, is_active=True
        )
    }


@transaction.atomic
def import_table(budget: Budget, *, actor, data: bytes) -> dict[str, int]:
    """Replace the budget's lines and execution by the table's (ImportProblems: nothing saved).
    Questions on the old lines keep their department and lose the line (SET_NULL)."""
    require(actor, "budget.change", budget, _not_yours())
    parsed = read(data, departments_of(budget))
    budget.lines.all().delete()
    executions = []
    for item in parsed:
        latest = max(item.executions, default=0)
        line = BudgetLine.objects.create(
            budget=budget,
            department=item.department,
            function_code=item.code,
            function_name=item.name,
            economic_code=item.economic_code,
            economic_name=item.economic_name,
            budgeted=item.budgeted,
            adjusted=item.adjusted,
            executed=item.executions.get(latest, 0),
            executed_month=latest,
        )
        executions += [
            MonthlyExecution(line=line, month=m, executed=v) for m, v in item.executions.items()
        ]
    MonthlyExecution.objects.bulk_create(executions)
    counts = {"lines": len(parsed), "months": len(executions)}
    record_event(budget, "budget.imported", actor=actor, data=counts)
    return counts


@transaction.atomic
def set_flags(budget: Budget, *, actor, published: bool, public: bool) -> Budget:
    require(actor, "budget.change", budget, _not_yours())
    if public and not published:
        raise ValidationError(_("Only a published budget can be public."))
    if published and not budget.lines.exists():
        raise ValidationError(_("Import the budget's lines before publishing it."))
    before = {"published": budget.published, "public": budget.public}
    budget.published, budget.public = published, public
    budget.save(update_fields=["published", "public", "updated_at"])
    record_event(
        budget,
        "budget.flags_changed",
        actor=actor,
        data={"before": before, "after": {"published": published, "public": public}},
    )
    return budget


@transaction.atomic
def ask(budget: Budget, *, actor, department_id, line_id, kind: str, text: str) -> BudgetQuestion:
    require(
        actor,
        "budget.ask",
        budget,
        _("Only deputies of the budget's region may ask about a published budget."),
    )
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = [_("Please write the question or opinion.")]
    elif len(text) > MAX_TEXT:
        errors["text"] = [_("At most %(max)d characters.") % {"max": MAX_TEXT}]
    if kind not in QuestionKind.values:
        errors["kind"] = [_("Please choose a question or an opinion.")]
    line = budget.lines.filter(pk=line_id).first() if line_id else None
    if line_id and line is None:
        errors["line"] = [_("This line is not in the budget.")]
    department = line.department if line else None
    if department is None and not line_id:
        department = (
            Department.objects.filter(
                pk=department_id, pk__in=budget.lines.values("department")
            ).first()
            if department_id
            else None
        )
        if department is None:
            errors["department"] = [_("Please choose a department of the budget.")]
    if errors:
        raise ValidationError(errors)
    question = BudgetQuestion.objects.create(
        budget=budget, department=department, line=line, kind=kind, text=text, asked_by=actor
    )
    record_event(
        question,
        "budgetquestion.asked",
        actor=actor,
        data={"kind": kind, "department": department.pk, "line": line.pk if line else None},
        new_aggregate=True,
    )
    return question


@transaction.atomic
def reply(question: BudgetQuestion, *, actor, text: str) -> BudgetQuestion:
    require(
        actor,
        "budgetquestion.reply",
        question,
        _("Only the committee staff of the budget's region may reply."),
    )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"reply": [_("Please write the reply.")]})
    if len(text) > MAX_TEXT:
        raise ValidationError({"reply": [_("At most %(max)d characters.") % {"max": MAX_TEXT}]})
    first = not question.reply
    question.reply, question.replied_by, question.replied_at = text, actor, timezone.now()
    question.save(update_fields=["reply", "replied_by", "replied_at", "updated_at"])
    record_event(
        question, "budgetquestion.replied" if first else "budgetquestion.reply_changed", actor=actor
    )
    subject = _("Your question on the budget “%(title)s” has a reply") % {
        "title": question.budget.title
    }
    tell_accounts(
        [question.asked_by],
        f"budget-reply:{question.pk}:{question.replied_at.timestamp()}",
        subject,
        f"{subject}\n{text[:200]}",
        link=reverse("budget:detail", args=[question.budget_id]),
    )
    return question
