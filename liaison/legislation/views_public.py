"""The citizen's pages (no account): current and past consultations, a draft with its articles
and the published comments under each, the comment form (per article or on the whole draft),
the SMS code step. Thin: forms check, services act, errors are 4xx with the form again."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from liaison.cases.public_forms import CodeForm
from liaison.core import ratelimit
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.permissions import may

from . import selectors, services
from .forms import CommentForm, DeputyCommentForm
from .models import Comment, DraftKind
from .services.comments import accepting
from .workflow import CommentStatus, DraftStatus

PENDING = "legislation_pending"  # the comment waiting for its SMS code
DEMO_CODE = "legislation_demo_code"
SENT = "legislation_sent"


def draft_list(request):
    drafts = selectors.with_figures(selectors.public_drafts())
    is_open = DraftStatus.OPEN
    current = [d for d in drafts if d.status == is_open and d.kind != DraftKind.REPORT]
    reports = [d for d in drafts if d.status == is_open and d.kind == DraftKind.REPORT]
    past = [d for d in drafts if d.status != is_open]
    return render(
        request,
        "legislation/public/list.html",
        {"current": current, "reports": reports, "past": past},
    )


@login_required
def deputy_reports(request):
    """网上预审 — the work reports a signed-in deputy is asked about (deputies only, or public
    too); anyone else finds none here (the permission table: "draft.review")."""
    drafts = selectors.with_figures(selectors.deputy_reports(request.user))
    current = [d for d in drafts if d.status == DraftStatus.OPEN]
    past = [d for d in drafts if d.status != DraftStatus.OPEN]
    context = {"current": current, "past": past}
    return render(request, "legislation/public/reports.html", context)


def _draft_or_404(request, pk):
    """A public consultation, or a work report the signed-in deputy may read; a report for the
    deputies only is "not found" to everyone else, as if it did not exist."""
    draft = selectors.readable_draft(request.user, pk)
    if draft is None:
        raise Http404(_("No consultation with this number."))
    return draft


def _as_deputy(request, draft) -> bool:
    """Whether the visitor comments as a signed-in deputy of the report's region."""
    return draft.is_report and may(request.user, "draft.review", draft)


WHOLE_DRAFT_SHOWN = 10
PAGE_SIZE = 20


def _named(comments):
    for comment in comments:
        comment.shown_name = selectors.display_name(comment)
    return comments


def draft_detail(request, pk):
    draft = _draft_or_404(request, pk)
    whole = selectors.shown_comments(draft, None)
    context = {
        "draft": draft,
        "articles": selectors.articles_with_comments(draft),
        "whole": _named(list(whole[:WHOLE_DRAFT_SHOWN])),
        "whole_count": whole.count(),
        "accepting": accepting(draft),
        "stations": draft.stations.order_by("name"),
        "station_counts": selectors.station_counts(draft),
        "figures": selectors.adoption_counts(draft),
        "closed": draft.status in (DraftStatus.CLOSED, DraftStatus.REPORTED),
        "is_call": draft.kind == DraftKind.CALL,
    }
    return render(request, "legislation/public/draft.html", context)


def opinions(request, pk, article=None):
    """All shown opinions on one article (or on the whole draft), a page at a time."""
    draft = _draft_or_404(request, pk)
    target = None
    if article is not None:
        target = draft.articles.filter(number=article).first()
        if target is None:
            raise Http404(_("This draft has no such article."))
    page = Paginator(selectors.shown_comments(draft, target), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    _named(page.object_list)
    context = {"draft": draft, "article": target, "page_obj": page, "accepting": accepting(draft)}
    return render(request, "legislation/public/opinions.html", context)


def _remember_demo_code(request, code: str) -> None:
    # Demo mode shows the code on screen instead of waiting for an SMS that nobody receives.
    if settings.DEMO_MODE:
        request.session[DEMO_CODE] = code


@never_cache
def comment(request, pk, article=None):
    """The comment form, for one article or (without `article`) for the whole draft. A deputy
    of a work report's region comments signed in, without the phone code."""
    draft = _draft_or_404(request, pk)
    target = None
    if article is not None:
        target = draft.articles.filter(number=article).first()
        if target is None:
            raise Http404(_("This draft has no such article."))
    if not accepting(draft):
        context = {"draft": draft, "article": target}
        return render(request, "legislation/public/not_open.html", context, status=409)
    if _as_deputy(request, draft):
        return _deputy_comment(request, draft, target)
    form = CommentForm(request.POST or None)
    status, problem = 200, ""
    if request.method == "POST":
        status = 400
        ip = ratelimit.client_ip(request)
        if form.is_robot:
            problem, form = _("Your opinion could not be sent. Please try again."), CommentForm()
        elif form.is_valid():
            data = form.cleaned_data
            if ratelimit.MESSAGES_PER_PHONE.exceeded(data["phone"]) or (
                ratelimit.MESSAGES_PER_IP.exceeded(ip)
            ):
                problem, status = (
                    _(
                        "Too many messages were sent from this phone number or this network. "
                        "Please try again later, or call the station."
                    ),
                    429,
                )
            else:
                try:
                    new, code = services.submit_comment(
                        draft,
                        article=target,
                        text=data["text"],
                        name=data["name"],
                        phone=data["phone"],
                        consent=data["consent"],
                    )
                except ValidationError as invalid:
                    _add_errors(form, invalid)
                else:
                    ratelimit.MESSAGES_PER_PHONE.hit(data["phone"])
                    ratelimit.MESSAGES_PER_IP.hit(ip)
                    request.session[PENDING] = new.pk
                    _remember_demo_code(request, code)
                    return redirect("legislation:confirm")
    context = {
        "draft": draft,
        "article": target,
        "form": form,
        "problem": problem,
        "is_call": draft.kind == DraftKind.CALL,
    }
    return render(request, "legislation/public/comment.html", context, status=status)


def _deputy_comment(request, draft, target):
    form, status = DeputyCommentForm(request.POST or None), 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.submit_deputy_comment(
                    draft,
                    actor=request.user,
                    article=target,
                    text=form.cleaned_data["text"],
                    consent=form.cleaned_data["consent"],
                )
            except NotAllowed as refused:
                form.add_error(None, str(refused.message))
                status = 403
            except ValidationError as invalid:
                _add_errors(form, invalid)
            else:
                messages.success(
                    request, _("Thank you. Your opinion is recorded and will be reviewed.")
                )
                return redirect("legislation:draft", pk=draft.pk)
    context = {"draft": draft, "article": target, "form": form, "as_deputy": True}
    return render(request, "legislation/public/comment.html", context, status=status)


def _add_errors(form, invalid: ValidationError) -> None:
    if not hasattr(invalid, "error_dict"):
        form.add_error(None, invalid.messages)
        return
    for field, errors in invalid.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@never_cache
def confirm(request):
    """Type the SMS code; or ask for a new one after a minute."""
    pk = request.session.get(PENDING)
    pending = Comment.objects.filter(pk=pk, status=CommentStatus.UNVERIFIED).first() if pk else None
    if pending is None:
        return render(request, "legislation/public/nothing_pending.html", status=404)
    form, status, problem = CodeForm(), 200, ""
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            _remember_demo_code(request, services.send_comment_code(pending))
        except ValidationError as invalid:
            problem, status = " ".join(invalid.messages), 400
        else:
            messages.success(request, _("A new code has been sent."))
            return redirect("legislation:confirm")
    elif request.method == "POST":
        form, status = CodeForm(request.POST), 400
        try:
            if form.is_valid():
                services.verify_comment(pending, form.cleaned_data["code"])
                return _sent(request, pending)
        except ValidationError as invalid:
            form.add_error("code" if "code" in invalid.message_dict else None, invalid.messages)
        except TransitionRefused:  # confirmed meanwhile in another tab
            return _sent(request, pending)
    context = {
        "comment": pending,
        "form": form,
        "problem": problem,
        "demo_code": request.session.get(DEMO_CODE) if settings.DEMO_MODE else None,
        "wait": services.seconds_until_resend(pending),
    }
    return render(request, "legislation/public/confirm.html", context, status=status)


def _sent(request, comment):
    for key in (PENDING, DEMO_CODE):
        request.session.pop(key, None)
    request.session[SENT] = comment.pk
    return redirect("legislation:sent")


@never_cache
def sent(request):
    pk = request.session.get(SENT)
    done = (
        Comment.objects.exclude(status=CommentStatus.UNVERIFIED)
        .select_related("draft")
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if done is None:
        return render(request, "legislation/public/nothing_pending.html", status=404)
    return render(request, "legislation/public/sent.html", {"comment": done})
