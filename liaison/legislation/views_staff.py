"""The staff's pages (/staff/legislation/): drafts of the account's scope (restrict()), a draft's
page with its actions, the import of its text, the comments with moderation and adoption, the
entry of offline opinions, the opinion report as .docx and .xlsx. Thin: forms check, services
act; a refusal is 400/403/409 with the page again, never a 500."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.permissions import may, may_at_all

from . import reports, selectors, services
from .forms import AdoptForm, DraftForm, HideForm, ImportForm, MergeForm, OfflineForm, TagForm
from .importing import ImportProblems, docx_lines, text_lines
from .models import DraftKind
from .workflow import CommentStatus, DraftStatus


def _staff_only(user):
    if not may_at_all(user, "draft.view"):
        raise PermissionDenied(_("Only committee and station staff work on drafts."))


def _draft_or_404(user, pk):
    draft = selectors.staff_drafts(user).filter(pk=pk).first()
    if draft is None:
        raise Http404(_("No draft with this number in your scope."))
    return draft


def _errors(form, invalid) -> None:
    if isinstance(invalid, (TransitionRefused, NotAllowed)):
        form.add_error(None, str(invalid.message))
    elif hasattr(invalid, "error_dict"):
        for field, errors in invalid.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, invalid.messages)


@login_required
def staff_list(request):
    _staff_only(request.user)
    drafts = selectors.with_figures(selectors.staff_drafts(request.user))
    context = {"drafts": drafts, "may_create": may_at_all(request.user, "draft.change")}
    return render(request, "legislation/staff/list.html", context)


@login_required
def staff_edit(request, pk=None):
    user = request.user
    _staff_only(user)
    if not may_at_all(user, "draft.change"):
        raise PermissionDenied(_("Only committee staff publish drafts."))
    draft = _draft_or_404(user, pk) if pk else None
    initial = {}
    if draft is not None:
        initial = {
            "kind": draft.kind,
            "title": draft.title,
            "issuing_body": draft.issuing_body,
            "region": draft.region,
            "explanation": draft.explanation,
            "opens_on": draft.opens_on,
            "closes_on": draft.closes_on,
            "stations": list(draft.stations.all()),
            "report_type": draft.report_type,
            "session": draft.session,
            "audience": draft.audience,
        }
    elif user.region_id:
        initial = {"region": user.region, "issuing_body": f"{user.region.name}人大常委会"}
    form = DraftForm(request.POST or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.save_draft(actor=user, draft=draft, **form.cleaned_data)
        except NotAllowed as refused:
            raise PermissionDenied(str(refused.message)) from refused
        except (ValidationError, TransitionRefused) as invalid:
            _errors(form, invalid)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("legislation:staff-detail", pk=draft.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "draft": draft}
    return render(request, "legislation/staff/edit.html", context, status=status)


@login_required
def staff_detail(request, pk):
    user = request.user
    _staff_only(user)
    draft = _draft_or_404(user, pk)
    context = {
        "draft": draft,
        "articles": draft.articles.select_related("chapter").order_by("order"),
        "figures": selectors.adoption_counts(draft),
        "pending": draft.comments.filter(status=CommentStatus.PENDING).count(),
        "may_change": may(user, "draft.change", draft),
        "may_enter": may(user, "draft.enter_comments", draft),
        "Status": DraftStatus,
        "is_call": draft.kind == DraftKind.CALL,
        "is_report": draft.is_report,
    }
    return render(request, "legislation/staff/detail.html", context)


@login_required
def staff_import(request, pk):
    user = request.user
    _staff_only(user)
    draft = _draft_or_404(user, pk)
    if not may(user, "draft.change", draft):
        raise PermissionDenied(_("Only the committee staff of the draft's region may change it."))
    form = ImportForm(request.POST or None, request.FILES or None)
    problems, status = [], 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                upload = form.cleaned_data["file"]
                if upload is not None:
                    lines, unit = docx_lines(upload.read()), _("Paragraph")
                else:
                    lines, unit = text_lines(form.cleaned_data["text"]), _("Line")
                parsed = services.import_text(
                    draft, actor=user, lines=lines, unit=unit, each_line=upload is not None
                )
            except ImportProblems as refused:
                problems = refused.problems
            except ValidationError as refused:
                problems = refused.messages
            except TransitionRefused as refused:
                form.add_error(None, str(refused.message))
                status = 409
            else:
                if draft.is_report:
                    done = _("Imported %(count)d paragraphs.") % {"count": len(parsed.articles)}
                else:
                    done = _("Imported %(chapters)d chapters and %(articles)d articles.") % {
                        "chapters": len(parsed.chapters),
                        "articles": len(parsed.articles),
                    }
                messages.success(request, done)
                return redirect("legislation:staff-detail", pk=draft.pk)
    context = {"draft": draft, "form": form, "problems": problems, "is_report": draft.is_report}
    return render(request, "legislation/staff/import.html", context, status=status)


DRAFT_ACTIONS = {
    "open": (services.open_draft, gettext_lazy("Opened for comment.")),
    "close": (services.close_draft, gettext_lazy("The comment period is closed.")),
    "report": (services.report_draft, gettext_lazy("The opinion report is marked as sent.")),
}


@login_required
@require_POST
def staff_draft_action(request, pk, action):
    user = request.user
    _staff_only(user)
    draft = _draft_or_404(user, pk)
    try:
        if action == "tell":
            told = services.tell_contributors(draft, actor=user)
            messages.success(request, _("%(count)d contributors told.") % {"count": told})
        elif action in DRAFT_ACTIONS:
            service, done = DRAFT_ACTIONS[action]
            service(draft, actor=user)
            messages.success(request, done)
        else:
            raise Http404(_("No such action."))
    except NotAllowed as refused:
        raise PermissionDenied(str(refused.message)) from refused
    except (TransitionRefused, ValidationError) as refused:
        problem = (
            str(refused.message)
            if isinstance(refused, TransitionRefused)
            else " ".join(refused.messages)
        )
        context = {"draft": draft, "comment": None, "problem": problem}
        code = 409 if isinstance(refused, TransitionRefused) else 400
        return render(request, "legislation/staff/refused.html", context, status=code)
    return redirect("legislation:staff-detail", pk=draft.pk)


# --- comments -------------------------------------------------------------------------------


@login_required
def staff_comments(request, pk):
    user = request.user
    _staff_only(user)
    draft = _draft_or_404(user, pk)
    status = request.GET.get("status", "")
    if status not in CommentStatus.values:
        status = ""
    found = selectors.staff_comments(user, draft, status).exclude(status=CommentStatus.UNVERIFIED)
    page = Paginator(found, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    comments = list(page.object_list)
    context = {
        "draft": draft,
        "comments": comments,
        "page_obj": page,
        "querystring": f"status={status}" if status else "",
        "status": status,
        "statuses": [(s.value, s.label) for s in CommentStatus if s != CommentStatus.UNVERIFIED],
        "may_moderate": bool(comments) and may(user, "comment.moderate", comments[0]),
        "may_adopt": bool(comments) and may(user, "comment.adopt", comments[0]),
        "adopt_form": AdoptForm(),
        "closed": draft.status in (DraftStatus.CLOSED, DraftStatus.REPORTED),
    }
    return render(request, "legislation/staff/comments.html", context)


STAFF_PAGE_SIZE = 50

COMMENT_FORMS = {"hide": HideForm, "tag": TagForm, "merge": MergeForm, "adopt": AdoptForm}


@login_required
@require_POST
def staff_comment_action(request, pk, comment, action):
    """One moderation step on one comment (publish, hide, tag, merge, adopt)."""
    user = request.user
    _staff_only(user)
    draft = _draft_or_404(user, pk)
    target = selectors.staff_comments(user, draft).filter(pk=comment).first()
    if target is None or action not in ("publish", *COMMENT_FORMS):
        raise Http404(_("No such comment or action."))
    form = COMMENT_FORMS[action](request.POST) if action in COMMENT_FORMS else None
    try:
        if form is not None and not form.is_valid():
            raise ValidationError(_form_problem(form))
        data = form.cleaned_data if form is not None else {}
        if action == "publish":
            services.publish_comment(target, actor=user)
        elif action == "hide":
            services.hide_comment(target, actor=user, reason=data["reason"])
        elif action == "tag":
            services.tag_comment(target, actor=user, tags=services.split_tags(data["tags"]))
        elif action == "merge":
            into = selectors.staff_comments(user, draft).filter(pk=data["into"]).first()
            if into is None:
                raise ValidationError(
                    _("There is no comment %(number)d on this draft.") % {"number": data["into"]}
                )
            services.merge_comment(target, into=into, actor=user)
        else:
            services.adopt_comment(
                target, actor=user, adoption=data["adoption"], reason=data["reason"]
            )
    except NotAllowed as refused:
        raise PermissionDenied(str(refused.message)) from refused
    except (TransitionRefused, ValidationError) as refused:
        problem = (
            str(refused.message)
            if isinstance(refused, TransitionRefused)
            else " ".join(refused.messages)
        )
        code = 409 if isinstance(refused, TransitionRefused) else 400
        context = {"draft": draft, "comment": target, "problem": problem}
        return render(request, "legislation/staff/refused.html", context, status=code)
    messages.success(request, _("Comment %(number)d: done.") % {"number": target.pk})
    return redirect(f"{_comments_url(draft)}#comment-{target.pk}")


def _form_problem(form) -> str:
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    )


def _comments_url(draft) -> str:
    return reverse("legislation:staff-comments", args=[draft.pk])


@login_required
def staff_offline(request, pk):
    """Enter an opinion said at a hearing or on a visit."""
    user = request.user
    _staff_only(user)
    draft = _draft_or_404(user, pk)
    if not may(user, "draft.enter_comments", draft):
        raise PermissionDenied(_("Your account may not enter opinions on this draft."))
    form = OfflineForm(request.POST or None, draft=draft, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_offline_comment(draft, actor=user, **form.cleaned_data)
        except (ValidationError, TransitionRefused) as invalid:
            _errors(form, invalid)
        else:
            messages.success(request, _("Opinion entered."))
            return redirect("legislation:staff-offline", pk=draft.pk)
    status = 400 if request.method == "POST" else 200
    context = {"draft": draft, "form": form}
    return render(request, "legislation/staff/offline.html", context, status=status)


@login_required
def staff_report(request, pk, fmt):
    """The opinion report (意见汇总报告) as .docx or .xlsx."""
    user = request.user
    _staff_only(user)
    draft = _draft_or_404(user, pk)
    if not may(user, "draft.enter_comments", draft):
        raise PermissionDenied(_("Your account may not download this report."))
    if fmt == "docx":
        body, kind = reports.docx_report(draft), reports.DOCX
    elif fmt == "xlsx":
        body, kind = reports.xlsx_report(draft), reports.XLSX
    else:
        raise Http404(_("No such format."))
    response = HttpResponse(body, content_type=kind)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="opinions-{draft.pk}-{stamp}.{fmt}"'
    return response
