"""Staff pages of clue transfers (docs/clues.md). Thin: the services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.cases.models import Case
from liaison.core.errors import NotAllowed
from liaison.core.permissions import may, may_at_all, restrict
from liaison.suggestions.models import Suggestion

from . import services
from .forms import FeedbackForm, TransferForm
from .models import ClueTransfer, Outcome


def _staff_only(user):
    if not may_at_all(user, "cluetransfer.view"):
        raise PermissionDenied(_("Your account does not forward clues."))


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def staff_list(request):
    _staff_only(request.user)
    clues = restrict(ClueTransfer.objects.all(), request.user, "cluetransfer.view").select_related(
        "case", "suggestion"
    )
    return render(request, "clues/staff/list.html", {"clues": clues})


def _new(request, *, case=None, suggestion=None):
    _staff_only(request.user)
    form = TransferForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                clue = services.transfer_clue(
                    actor=request.user,
                    case=case,
                    suggestion=suggestion,
                    organisation=data["organisation"],
                    summary=data["summary"],
                    consent_how=data["consent_how"],
                    consent_at=data["consent_at"],
                    consent_note=data["consent_note"],
                    share_contact=data["share_contact"],
                    publish=data["publish"],
                )
            except NotAllowed as e:
                raise PermissionDenied(str(e)) from None
            except ValidationError as e:
                _add_errors(form, e)
            else:
                messages.success(request, _("The clue was forwarded."))
                return redirect("clues:detail", clue.pk)
        status = 400
    return render(
        request,
        "clues/staff/new.html",
        {"form": form, "case": case, "suggestion": suggestion},
        status=status,
    )


@login_required
def new_for_case(request, number):
    case = get_object_or_404(
        restrict(Case.objects.all(), request.user, "case.view"), tracking_number=number
    )
    return _new(request, case=case)


@login_required
def new_for_suggestion(request, pk):
    suggestion = get_object_or_404(
        restrict(Suggestion.objects.all(), request.user, "suggestion.view"), pk=pk
    )
    return _new(request, suggestion=suggestion)


def _clue(request, pk) -> ClueTransfer:
    _staff_only(request.user)
    return get_object_or_404(
        restrict(ClueTransfer.objects.all(), request.user, "cluetransfer.view").select_related(
            "case", "suggestion", "created_by"
        ),
        pk=pk,
    )


def _detail(request, clue, form=None, status=200):
    can_feedback = clue.outcome == Outcome.PENDING and may(
        request.user, "cluetransfer.record_feedback", clue
    )
    return render(
        request,
        "clues/staff/detail.html",
        {"clue": clue, "form": form or FeedbackForm(), "can_feedback": can_feedback},
        status=status,
    )


@login_required
def detail(request, pk):
    return _detail(request, _clue(request, pk))


@login_required
@require_POST
def feedback(request, pk):
    clue = _clue(request, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.record_clue_feedback(
                clue,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                feedback=form.cleaned_data["feedback"],
            )
        except NotAllowed as e:
            raise PermissionDenied(str(e)) from None
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, _("The feedback was recorded."))
            return redirect("clues:detail", clue.pk)
    return _detail(request, clue, form, status=400)
