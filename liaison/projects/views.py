"""Livelihood project pages (docs/projects.md): public (list by year, the project with its
results and progress) and staff (the list in scope, the project with the actions the account may
take). Thin: the services decide."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.cases.models import Case
from liaison.core.errors import ConcurrentChange, NotAllowed, TransitionRefused
from liaison.core.inputs import ascii_int
from liaison.core.permissions import may, may_at_all, restrict
from liaison.suggestions.models import Suggestion

from . import ratings, services
from .forms import (
    AcceptForm,
    LinkForm,
    OpenVoteForm,
    ProgressForm,
    RateForm,
    RatePhoneForm,
    VoteForm,
)
from .models import Photo, Project
from .workflow import MACHINE, Action


def _public_project(pk) -> Project:
    return get_object_or_404(Project.objects.select_related("department", "region"), pk=pk)


def public_list(request):
    """民生实事 — the projects of one year (the latest by default)."""
    years = list(Project.objects.order_by("-year").values_list("year", flat=True).distinct())
    year = ascii_int(request.GET.get("year"))
    if "year" in request.GET and year not in years:
        raise Http404(_("No livelihood projects for this year."))
    year = year or (years[0] if years else None)
    projects = (
        Project.objects.filter(year=year).select_related("department", "region")
        if year
        else Project.objects.none()
    )
    return render(
        request,
        "projects/public/list.html",
        {"projects": projects, "years": years, "year": year},
    )


def public_detail(request, pk):
    project = _public_project(pk)
    progress = project.progress.prefetch_related("photos")
    rating = project.ratings.aggregate(average=Avg("score"), count=Count("id"))
    return render(
        request,
        "projects/public/detail.html",
        {
            "project": project,
            "progress": progress,
            "claims": project.claims.select_related("deputy").order_by("claimed_at"),
            "results_published": project.votes_for is not None,
            "rating": rating,
            "rate_form": RatePhoneForm(),
        },
    )


def photo(request, pk):
    """A published progress photo (re-encoded at upload: nothing but pixels)."""
    found = get_object_or_404(Photo, pk=pk)
    try:
        with found.image.open("rb") as image:
            data = image.read()
    except OSError:
        raise Http404(_("This photo is missing.")) from None
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- staff ----------------------------------------------------------------------------------


@login_required
def staff_list(request):
    if not may_at_all(request.user, "project.view"):
        raise PermissionDenied(_("Your account has no livelihood projects."))
    projects = restrict(Project.objects.all(), request.user).select_related("department", "region")
    return render(request, "projects/staff/list.html", {"projects": projects})


def _staff_context(request, project, **forms):
    user = request.user
    allowed = set(MACHINE.allowed_actions(project.status))
    voted = (
        project.votes.filter(deputy_id=user.deputy_id).first() if services.is_deputy(user) else None
    )
    claimed = services.is_deputy(user) and project.claims.filter(deputy_id=user.deputy_id).exists()
    can = {
        "open_vote": Action.OPEN_VOTE in allowed and may(user, "project.manage", project),
        "close_vote": Action.ADOPT in allowed and may(user, "project.manage", project),
        "vote": Action.VOTE in allowed and voted is None and may(user, "project.vote", project),
        "claim": Action.CLAIM in allowed and not claimed and may(user, "project.claim", project),
        "report": Action.REPORT in allowed and may(user, "project.report", project),
        "accept": Action.ACCEPT in allowed and may(user, "project.manage", project),
        "link": may(user, "project.manage", project),
    }
    return {
        "project": project,
        "can": can,
        "voted": voted,
        "progress": project.progress.prefetch_related("photos"),
        "sources": project.sources.select_related("case", "suggestion"),
        "open_vote_form": forms.get("open_vote") or OpenVoteForm(),
        "vote_form": forms.get("vote") or VoteForm(),
        "report_form": forms.get("report") or ProgressForm(),
        "accept_form": forms.get("accept") or AcceptForm(),
        "link_form": forms.get("link") or LinkForm(),
    }


@login_required
def staff_detail(request, pk):
    project = get_object_or_404(restrict(Project.objects.all(), request.user), pk=pk)
    return render(request, "projects/staff/detail.html", _staff_context(request, project))


FORMS = {
    "open_vote": OpenVoteForm,
    "vote": VoteForm,
    "report": ProgressForm,
    "accept": AcceptForm,
    "link": LinkForm,
}


def _run(action, project, user, data, seen):
    if action == "open_vote":
        return services.open_vote(
            project, actor=user, closes_at=data["closes_at"], seen_status=seen
        )
    if action == "vote":
        return services.cast_vote(project, actor=user, choice=data["choice"])
    if action == "close_vote":
        return services.close_vote(project, actor=user, seen_status=seen)
    if action == "claim":
        return services.claim_project(project, actor=user)
    if action == "report":
        return services.report_progress(
            project, actor=user, period=data["period"], text=data["text"], photos=data["photos"]
        )
    if action == "accept":
        return services.accept_project(
            project, actor=user, text=data["text"], photos=data["photos"], seen_status=seen
        )
    if action == "link":
        case = suggestion = None
        number = data["tracking_number"].replace(" ", "")
        if number:
            case = restrict(Case.objects.all(), user).filter(tracking_number=number).first()
            if case is None:
                raise ValidationError(
                    {"tracking_number": _("No case with this number in your scope.")}
                )
        elif data["suggestion_number"]:
            suggestion = (
                restrict(Suggestion.objects.all(), user)
                .filter(number=data["suggestion_number"].strip())
                .first()
            )
            if suggestion is None:
                raise ValidationError(
                    {"suggestion_number": _("No suggestion with this number in your scope.")}
                )
        return services.link_source(project, actor=user, case=case, suggestion=suggestion)
    raise Http404(_("Unknown action."))


DONE = {
    "open_vote": _("The vote is open."),
    "vote": _("Your vote has been recorded."),
    "close_vote": _("The vote is closed and the result published."),
    "claim": _("You now follow this project."),
    "report": _("The progress report is published."),
    "accept": _("The project is accepted and the acceptance published."),
    "link": _("Linked."),
}


@login_required
@require_POST
def staff_act(request, pk, action):
    if action not in DONE:
        raise Http404(_("Unknown action."))
    project = get_object_or_404(restrict(Project.objects.all(), request.user), pk=pk)
    form_class = FORMS.get(action)
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is not None and not form.is_valid():
        context = _staff_context(request, project, **{action: form})
        return render(request, "projects/staff/detail.html", context, status=400)
    try:
        _run(
            action,
            project,
            request.user,
            form.cleaned_data if form else {},
            request.POST.get("seen_status"),
        )
    except NotAllowed as refused:
        raise PermissionDenied(str(refused.message)) from refused
    except (TransitionRefused, ConcurrentChange) as refused:
        messages.error(request, str(refused.message))
        return redirect("projects:detail", pk=project.pk)
    except ValidationError as invalid:
        if form is not None:
            for field, errors in getattr(invalid, "message_dict", {None: invalid.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        context = _staff_context(request, project, **({action: form} if form else {}))
        # Said at the top as well: the form may no longer be offered (a second vote).
        context["refused"] = invalid.messages
        return render(request, "projects/staff/detail.html", context, status=400)
    messages.success(request, DONE[action])
    return redirect("projects:detail", pk=project.pk)


# --- a citizen's rating ----------------------------------------------------------------------


def _completed(pk) -> Project:
    return _public_project(pk)


@require_POST
def rate_code(request, pk):
    """Step 1: the citizen's mobile gets a code."""
    project = _completed(pk)
    form = RatePhoneForm(request.POST)
    if form.is_valid():
        try:
            phone, code = ratings.send_code(project, form.cleaned_data["phone"])
        except TransitionRefused as refused:
            form.add_error(None, str(refused.message))
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                form.add_error("phone" if field in ("phone", "code") else None, errors)
        else:
            rate_form = RateForm(initial={"phone": phone})
            context = {"project": project, "form": rate_form}
            if settings.DEMO_MODE:
                context["demo_code"] = code
            return render(request, "projects/public/rate.html", context)
    return render(
        request, "projects/public/rate_phone.html", {"project": project, "form": form}, status=400
    )


@require_POST
def rate(request, pk):
    """Step 2: the code and the rating."""
    project = _completed(pk)
    form = RateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            ratings.rate(project, data["phone"], data["code"], data["score"])
        except TransitionRefused as refused:
            form.add_error(None, str(refused.message))
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect(project.get_absolute_url())
    return render(
        request, "projects/public/rate.html", {"project": project, "form": form}, status=400
    )
