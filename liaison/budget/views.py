"""Budget pages (/budget/, /staff/budget/): the list and a budget by department and by function
with execution bars beside plain tables, a department's lines, deputies' questions and the
office's replies, the import of the finance bureau's table. Thin: services act; a refusal is
400/403/404 with a precise message, never a 500."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.core.errors import NotAllowed
from liaison.core.permissions import may, may_at_all, restrict

from . import selectors, services
from .importing import ImportProblems
from .importing import template as template_bytes
from .models import BudgetQuestion, QuestionKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _budget_or_404(user, pk):
    budget = selectors.visible_budgets(user).filter(pk=pk).select_related("region").first()
    if budget is None:
        raise Http404(_("No budget with this number that you may see."))
    return budget


def _messages(error: ValidationError) -> list[str]:
    return error.messages


def budget_list(request):
    budgets = selectors.visible_budgets(request.user).select_related("region")
    staff = may_at_all(request.user, "budget.change")
    return render(
        request,
        "budget/list.html",
        {"budgets": budgets, "may_create": staff},
    )


def _context(request, budget, **extra):
    user = request.user
    return {
        "budget": budget,
        "may_change": may(user, "budget.change", budget),
        "may_ask": may(user, "budget.ask", budget),
        "questions": selectors.questions_for(user, budget) if user.is_authenticated else [],
        "kinds": QuestionKind.choices,
        **extra,
    }


def budget_detail(request, pk, *, problems=None, status=200):
    budget = _budget_or_404(request.user, pk)
    context = _context(
        request,
        budget,
        departments=selectors.by_department(budget),
        functions=selectors.by_function(budget),
        economics=selectors.by_economic(budget),
        # The exports (exports.py) are for signed-in readers: deputies and committee staff.
        may_export=request.user.is_authenticated and may(request.user, "budget.view", budget),
        export_query=f"budget={budget.pk}",
        problems=problems or [],
    )
    return render(request, "budget/detail.html", context, status=status)


def department(request, pk, department):
    budget = _budget_or_404(request.user, pk)
    rows = selectors.line_rows(budget, department)
    if not rows:
        raise Http404(_("This department has no line in the budget."))
    context = _context(request, budget, lines=rows, department=rows[0][0].department)
    return render(request, "budget/department.html", context)


def template(request):
    response = HttpResponse(template_bytes(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="budget-template.xlsx"'
    return response


@login_required
@require_POST
def create(request):
    if not may_at_all(request.user, "budget.change"):
        raise PermissionDenied(_("Only committee staff create budgets."))
    region = request.user.region

    def refuse(problem):
        context = {
            "budgets": selectors.visible_budgets(request.user),
            "may_create": True,
            "problems": [problem],
        }
        return render(request, "budget/list.html", context, status=400)

    if region is None:
        return refuse(_("Budgets are created by the committee staff of a region."))
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        return refuse(_("Please enter a year between 2000 and 2100."))
    try:
        budget = services.create_budget(
            actor=request.user,
            region=region,
            year=year,
            title=request.POST.get("title", "").strip() or f"{region.name}{year}年预算",
        )
    except ValidationError as refused:
        return render(
            request,
            "budget/list.html",
            {
                "budgets": selectors.visible_budgets(request.user),
                "may_create": True,
                "problems": refused.messages,
            },
            status=400,
        )
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from None
    return redirect("budget:detail", pk=budget.pk)


@login_required
@require_POST
def import_table(request, pk):
    budget = _budget_or_404(request.user, pk)
    if not may(request.user, "budget.change", budget):
        raise PermissionDenied(_("Only the committee staff of the budget's region may change it."))
    upload = request.FILES.get("file")
    if upload is None:
        return budget_detail(request, pk, problems=[_("Please choose an .xlsx file.")], status=400)
    if not upload.name.lower().endswith(".xlsx"):
        return budget_detail(
            request,
            pk,
            problems=[
                _("Please choose an .xlsx file (this one is “%(name)s”).") % {"name": upload.name}
            ],
            status=400,
        )
    try:
        counts = services.import_table(budget, actor=request.user, data=upload.read())
    except ImportProblems as refused:
        return budget_detail(request, pk, problems=refused.problems, status=400)
    messages.success(
        request,
        _("Imported %(lines)d lines and %(months)d monthly figures.") % counts,
    )
    return redirect("budget:detail", pk=budget.pk)


@login_required
@require_POST
def flags(request, pk):
    budget = _budget_or_404(request.user, pk)
    try:
        services.set_flags(
            budget,
            actor=request.user,
            published=bool(request.POST.get("published")),
            public=bool(request.POST.get("public")),
        )
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from None
    except ValidationError as refused:
        return budget_detail(request, pk, problems=refused.messages, status=400)
    messages.success(request, _("Saved."))
    return redirect("budget:detail", pk=budget.pk)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def ask(request, pk):
    budget = _budget_or_404(request.user, pk)
    try:
        services.ask(
            budget,
            actor=request.user,
            department_id=_int(request.POST.get("department")),
            line_id=_int(request.POST.get("line")),
            kind=request.POST.get("kind", ""),
            text=request.POST.get("text", ""),
        )
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from None
    except ValidationError as refused:
        return budget_detail(request, pk, problems=refused.messages, status=400)
    messages.success(request, _("Your question has been sent to the budget affairs office."))
    return redirect("budget:detail", pk=budget.pk)


@login_required
@require_POST
def reply(request, question):
    found = restrict(BudgetQuestion.objects.all(), request.user).filter(pk=question).first()
    if found is None:
        raise Http404(_("No question with this number that you may see."))
    try:
        services.reply(found, actor=request.user, text=request.POST.get("reply", ""))
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from None
    except ValidationError as refused:
        return budget_detail(request, found.budget_id, problems=refused.messages, status=400)
    messages.success(request, _("The reply is sent; the deputy is notified."))
    return redirect("budget:detail", pk=found.budget_id)
