"""Suggestion pages (thin). Staff: /staff/suggestions/ — the three lists with their exports
(exports.py), drafting, one suggestion with every action its viewer may take. Public:
/suggestions/ — answered suggestions and the public rating.

Every suggestion comes from `selectors.visible_suggestions(user)` (restrict()): one the account
may not see is a 404. Refusals: 403 (role or scope), 409 (state, or someone acted first), 400 (bad
input, the form shown again with its errors); nothing is changed.
"""

import secrets
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from liaison.core import ratelimit
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.permissions import may, may_at_all, restrict

from . import forms as f
from . import selectors, services
from .models import Suggestion, SuggestionAssignment
from .similar import similar_suggestions
from .workflow import EDITABLE, Status

# --- the three lists ---------------------------------------------------------------------------


def _list_page(request, form, qs, template, export: str, extra=None):
    page = Paginator(qs, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    kept = [(k, v) for k, v in request.GET.items() if k != "page" and v]
    context = {
        "form": form,
        "page_obj": page,
        "querystring": urlencode(kept),
        "filtered": bool(kept),
        "export": export,  # the list's name in core/exports.py (suggestions/exports.py)
        **(extra or {}),
    }
    return render(request, template, context, status=200 if form.is_valid() else 400)


def _rows(form, select, model):
    """The list's rows for a valid filter; none for an invalid one (the page then answers 400)."""
    return select(form.query()) if form.is_valid() else model.objects.none()


@login_required
def suggestion_list(request):
    """建议清单."""
    form = f.SuggestionListForm(request.GET, user=request.user)
    qs = _rows(form, partial(selectors.suggestion_list, request.user), Suggestion)
    station, total = selectors.station_share(qs)
    share = round(100 * station / total) if total else None
    extra = {"station_count": station, "registered": total, "share": share}
    extra["may_draft"] = may_at_all(request.user, "suggestion.speak_for_lead")
    return _list_page(request, form, qs, "suggestions/staff/list.html", "suggestions", extra)


@login_required
def assignment_list(request):
    """交办清单."""
    now = timezone.now()
    form = f.AssignmentListForm(request.GET, user=request.user)
    qs = _rows(
        form, partial(selectors.assignment_list, request.user, now=now), SuggestionAssignment
    )
    template = "suggestions/staff/assignments.html"
    return _list_page(request, form, qs, template, "suggestion-assignments", {"now": now})


@login_required
def outcome_list(request):
    """效果清单."""
    form = f.OutcomeListForm(request.GET, user=request.user)
    qs = _rows(form, partial(selectors.outcome_list, request.user), Suggestion)
    qs = qs.prefetch_related("assignments__department")
    return _list_page(request, form, qs, "suggestions/staff/outcomes.html", "suggestion-outcomes")


# --- drafting ----------------------------------------------------------------------------------


def _apply_errors(invalid: ValidationError, form):
    if hasattr(invalid, "error_dict"):
        for name, errors in invalid.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, invalid.messages)


def _suggestion_or_404(user, pk) -> Suggestion:
    suggestion = (
        selectors.visible_suggestions(user)
        .select_related("lead_deputy", "category", "station")
        .filter(pk=pk)
        .first()
    )
    if suggestion is None:
        raise Http404(gettext("No suggestion with this number in your scope."))
    return suggestion


def _content(data) -> dict:
    return {
        "title": data["title"],
        "reasons": data["reasons"],
        "proposals": data["proposals"],
        "category": data["category"],
        "session_kind": data["session_kind"],
        "year": data["year"],
        "congress": data["congress"],
        "cosigners": list(data["cosigners"]),
        "cases": list(data["cases"]),
        "activities": list(data["activities"]),
    }


@login_required
def edit(request, pk=None):
    user = request.user
    suggestion = _suggestion_or_404(user, pk) if pk else None
    initial = {}
    if suggestion is not None:
        initial = {
            name: getattr(suggestion, name)
            for name in ("title", "reasons", "proposals", "category", "session_kind", "year")
        }
        initial.update(
            congress=suggestion.congress,
            cosigners=list(suggestion.cosigners.values_list("deputy_id", flat=True)),
            cases=list(suggestion.cases.values_list("pk", flat=True)),
            activities=list(suggestion.activities.values_list("pk", flat=True)),
        )
    form = f.SuggestionForm(request.POST or None, user=user, suggestion=suggestion, initial=initial)
    if suggestion is None and not may_at_all(user, "suggestion.speak_for_lead"):
        raise PermissionDenied(gettext("Only deputies and station staff draft suggestions."))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if suggestion is None:
                    suggestion = services.draft_suggestion(
                        actor=user,
                        lead_deputy=form.cleaned_data["lead_deputy"],
                        **_content(form.cleaned_data),
                    )
                else:
                    services.update_suggestion(
                        suggestion,
                        actor=user,
                        seen_status=request.POST.get("seen_status") or None,
                        **_content(form.cleaned_data),
                    )
            except NotAllowed as refused:
                raise PermissionDenied(str(refused.message)) from refused
            except TransitionRefused as refused:
                messages.error(request, str(refused.message))
                status = 409
            except ValidationError as invalid:
                _apply_errors(invalid, form)
            else:
                messages.success(request, gettext("Suggestion saved."))
                return redirect("suggestions:detail", pk=suggestion.pk)
    context = {"form": form, "suggestion": suggestion}
    return render(request, "suggestions/staff/edit.html", context, status=status)


# --- one suggestion ----------------------------------------------------------------------------


CHANGE = SuggestionAssignment.State.CHANGE_REQUESTED


def _offers(user, s: Suggestion) -> dict[str, bool]:
    """Which actions the page offers this account (the services decide for real)."""
    speak = may(user, "suggestion.speak_for_lead", s)
    supervise = may(user, "suggestion.supervise", s)
    # The unit's own parts and the deputy's own signature (no query for other accounts).
    mine = restrict(s.assignments.all(), user, "suggestionassignment.handle")
    handling = [a for a in mine if a.state == SuggestionAssignment.State.HANDLING]
    signature = restrict(s.cosigners.all(), user, "cosigner.confirm").first()
    editable = s.status in EDITABLE
    assignments = list(s.assignments.all())
    assigned = s.status == Status.ASSIGNED
    now = timezone.now()
    return {
        "edit": editable and speak,
        "submit": editable and speak,
        "withdraw": editable and speak,
        "confirm": editable and signature is not None and signature.confirmed_at is None,
        "decline": editable and signature is not None,
        "return": s.status == Status.SUBMITTED and supervise,
        "accept": s.status == Status.SUBMITTED and supervise,
        "assign": s.status == Status.ACCEPTED and supervise,
        "key": s.status in (Status.ACCEPTED, Status.ASSIGNED, Status.ANSWERED) and supervise,
        "decide_change": assigned and supervise and any(a.state == CHANGE for a in assignments),
        "request_change": assigned and any(now <= a.change_until for a in handling),
        "opinion": assigned and any(a.role != "lead" for a in handling),
        "answer": assigned and any(a.role == "lead" for a in handling),
        "evaluate": s.status == Status.ANSWERED and speak,
    }


FORMS = {
    "submit": f.PlainForm,
    "withdraw": f.PlainForm,
    "confirm": f.PlainForm,
    "decline": f.PlainForm,
    "return": f.ReturnForm,
    "accept": f.AcceptForm,
    "assign": f.AssignForm,
    "key": f.KeyForm,
    "decide_change": f.DecideChangeForm,
    "request_change": f.ChangeRequestForm,
    "opinion": f.OpinionForm,
    "answer": f.AnswerForm,
    "evaluate": f.EvaluateForm,
}


TITLES = {
    "submit": _("Submit to the committee"),
    "withdraw": _("Withdraw the suggestion"),
    "confirm": _("Confirm my co-signature"),
    "decline": _("Decline to co-sign"),
    "return": _("Return to the deputy"),
    "accept": _("Register (立案)"),
    "assign": _("Assign to handling units (交办)"),
    "key": _("Key supervision (重点督办)"),
    "decide_change": _("Decide on a change of assignment"),
    "request_change": _("Ask to change a wrong assignment"),
    "opinion": _("Send the opinion to the lead unit"),
    "answer": _("Answer (答复)"),
    "evaluate": _("Evaluate the answer"),
}


def _perform(action: str, s: Suggestion, user, data: dict) -> str:
    seen = data.get("seen_status")
    if action == "submit":
        services.submit_suggestion(s, actor=user, seen_status=seen)
        return gettext("Submitted to the committee.")
    if action == "withdraw":
        services.withdraw_suggestion(s, actor=user)
        return gettext("Suggestion withdrawn.")
    if action in ("confirm", "decline"):
        services.confirm_signature(s, actor=user, decline=action == "decline")
        return (
            gettext("Co-signature confirmed.")
            if action == "confirm"
            else gettext("Co-signature declined.")
        )
    if action == "return":
        services.return_suggestion(s, actor=user, reason=data["reason"], seen_status=seen)
        return gettext("Returned to the deputy.")
    if action == "accept":
        s = services.accept_suggestion(s, actor=user, note=data["note"], seen_status=seen)
        return gettext("Registered as No. %(number)s.") % {"number": s.number}
    if action == "assign":
        services.assign_suggestion(
            s,
            actor=user,
            lead=data["lead"],
            joint=list(data["joint"]),
            co=list(data["co"]),
            is_complex=data["is_complex"],
            seen_status=seen,
        )
        return gettext("Assigned.")
    if action == "key":
        services.mark_key(s, actor=user, is_key=data["is_key"], note=data["note"], seen_status=seen)
        return gettext("Key supervision saved.")
    if action == "decide_change":
        services.decide_change(
            s,
            actor=user,
            assignment=data["assignment"],
            approve=data["approve"],
            department=data["department"],
            note=data["note"],
            seen_status=seen,
        )
        return gettext("Decision recorded.")
    if action == "request_change":
        services.request_change(s, actor=user, reason=data["reason"])
        return gettext("Change requested: the committee decides.")
    if action == "opinion":
        services.send_opinion(s, actor=user, text=data["text"])
        return gettext("Opinion sent to the lead unit.")
    if action == "answer":
        services.answer_suggestion(
            s,
            actor=user,
            grade=data["grade"],
            answer=data["answer"],
            achieved=data["achieved"],
            grade_reasons=data["grade_reasons"],
            seen_status=seen,
        )
        return gettext("Answer sent to the deputy.")
    if action == "evaluate":
        services.evaluate_suggestion(
            s, actor=user, evaluation=data["evaluation"], note=data["note"], seen_status=seen
        )
        return gettext("Evaluation recorded.")
    raise Http404()


def _detail(request, s: Suggestion, *, bound=None, status=200, error=""):
    user = request.user
    s = _suggestion_or_404(user, s.pk)  # fresh, after a refused action
    offers = _offers(user, s)
    action_forms = [
        (
            name,
            TITLES[name],
            bound
            if bound is not None and bound.action_name == name
            else FORMS[name](suggestion=s, user=user),
        )
        for name, offered in offers.items()
        if offered and name in FORMS
    ]
    now = timezone.now()
    assignments = list(s.assignments.select_related("department").order_by("role", "id"))
    context = {
        "s": s,
        "offers": offers,
        "forms": action_forms,
        "assignments": [(a, selectors.is_overdue(a, now)) for a in assignments],
        "cosigners": s.cosigners.select_related("deputy"),
        "cases": s.cases.all(),
        "activities": s.activities.all(),
        "events": s.events.select_related("actor"),
        "public_counts": selectors.public_counts(s) if s.is_public else None,
        "related": selectors.related_suggestions(s, user),
        "relate_error": error,
        "may_link": may(user, "suggestion.supervise", s),
        # 相似建议 while the committee checks, registers or assigns it (similar.py).
        "similar_suggestions": (
            similar_suggestions(s, user)
            if offers["accept"] or offers["return"] or offers["assign"]
            else []
        ),
    }
    return render(request, "suggestions/staff/detail.html", context, status=status)


@login_required
def detail(request, pk):
    return _detail(request, _suggestion_or_404(request.user, pk))


@login_required
@require_POST
def relate(request, pk, op):
    """关联建议 — link this suggestion and `other` (an id) as related, or undo it."""
    if op not in ("link", "unlink"):
        raise Http404()
    user = request.user
    s = _suggestion_or_404(user, pk)
    raw = request.POST.get("other", "")
    other = (
        selectors.visible_suggestions(user).filter(pk=int(raw)).first() if raw.isdigit() else None
    )
    service = services.link_suggestions if op == "link" else services.unlink_suggestions
    try:
        service(s, other, actor=user)
    except NotAllowed as refused:
        return _detail(request, s, status=403, error=str(refused.message))
    except ValidationError as invalid:
        return _detail(request, s, status=400, error=" ".join(invalid.messages))
    label = other.number or other.title
    done = (
        gettext("Linked with %(number)s.") if op == "link" else gettext("Unlinked from %(number)s.")
    )
    messages.success(request, done % {"number": label})
    return redirect("suggestions:detail", pk=s.pk)


@login_required
@require_POST
def act(request, pk, action):
    user = request.user
    s = _suggestion_or_404(user, pk)
    if action not in FORMS:
        raise Http404()
    form = FORMS[action](request.POST, suggestion=s, user=user)
    form.action_name = action
    if not form.is_valid():
        return _detail(request, s, bound=form, status=400)
    try:
        done = _perform(action, s, user, form.cleaned_data)
    except NotAllowed as refused:
        raise PermissionDenied(str(refused.message)) from refused
    except TransitionRefused as refused:
        messages.error(request, str(refused.message))
        return _detail(request, s, status=409)
    except ValidationError as invalid:
        _apply_errors(invalid, form)
        return _detail(request, s, bound=form, status=400)
    messages.success(request, done)
    return redirect("suggestions:detail", pk=s.pk)


# --- public ------------------------------------------------------------------------------------

VOTER_COOKIE = "liaison_voter"


def public_list(request):
    qs = selectors.public_suggestions()
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = selectors.search(qs, q)
    page = Paginator(qs.order_by("-answered_at", "-id"), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page_obj": page, "q": q, "querystring": urlencode({"q": q} if q else {})}
    return render(request, "suggestions/public/list.html", context)


def _voter(request) -> tuple[str, str]:
    """(the browser's random cookie, its hash): one rating per browser; nothing about the
    person is kept."""
    token = request.COOKIES.get(VOTER_COOKIE, "")
    if len(token) != 32 or not token.isalnum():
        token = secrets.token_hex(16)
    return token, services.voter_hash(token)


def public_detail(request, number):
    s = selectors.public_suggestions().filter(number=number).first()
    if s is None:
        raise Http404(gettext("No answered suggestion with this number."))
    token, voter = _voter(request)
    rated = s.public_ratings.filter(voter=voter).first()
    form = f.PublicRatingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        ip = ratelimit.client_ip(request)
        if services.PUBLIC_RATINGS_PER_IP.exceeded(ip):
            messages.error(request, gettext("Too many ratings from your network. Try later."))
            status = 429
        elif form.is_valid():
            try:
                services.rate_publicly(s, rating=form.cleaned_data["rating"], voter=voter)
            except TransitionRefused as refused:
                messages.error(request, str(refused.message))
                status = 409
            else:
                services.PUBLIC_RATINGS_PER_IP.hit(ip)
                messages.success(request, gettext("Thank you for your rating."))
                response = redirect("suggestions_public:detail", number=s.number)
                _set_voter(response, token)
                return response
        else:
            status = 400
    assignments = s.assignments.exclude(state="withdrawn").select_related("department")
    counts = selectors.public_counts(s)
    context = {
        "s": s,
        "form": form,
        "rated": rated,
        "counts": [(value, label, counts.get(value, 0)) for value, label in f.Rating.choices],
        "assignments": assignments.order_by("role", "id"),
        "cosigners": s.cosigners.filter(confirmed_at__isnull=False).select_related("deputy"),
        "case_count": s.cases.count(),
        "activities": s.activities.all(),
    }
    response = render(request, "suggestions/public/detail.html", context, status=status)
    _set_voter(response, token)
    return response


def _set_voter(response, token: str) -> None:
    response.set_cookie(
        VOTER_COOKIE,
        token,
        max_age=5 * 365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
