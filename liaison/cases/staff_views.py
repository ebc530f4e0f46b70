"""Staff pages (thin): the queues, a case with its timeline, and one form per workflow action.

Every case comes from `queues.scoped_cases(user)` (restrict(), docs/design.md, rule 4): a case the
account may not see is a 404. Every change is one of the actions of actions.py, which call the
services; their refusals become a message on the page — 409 for a refused transition or a race,
403 for role or scope, 400 for bad input — with nothing changed.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from liaison.accounts.models import Role
from liaison.core import audit, public_pages
from liaison.core.counting import CappedPaginator
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.permissions import may, may_at_all
from liaison.core.privacy import Surface
from liaison.notifications.models import UNDELIVERED
from liaison.notifications.selectors import by_keys
from liaison.workdays.deadlines import add_working_days, local_day

from . import confirmations, page_cache, photos, queues, selectors, services, triage_hints
from . import staff_forms as f
from .actions import ACTIONS, offered_actions
from .filters import CaseFilter
from .models import Assignment, Case, ResultAttachment
from .reply_letter import reply_letter_pdf
from .workflow import Status

# --- the queues --------------------------------------------------------------------------------

FILTERS_SECONDS = 300


@login_required
def queue(request):
    """工作队列 — my cases, awaiting my action, due soon, overdue, everything; filtered. Kept
    whole per viewer under the tokens of the scope it lists (page_cache.py) for the minute: what
    the clock alone changes (a case falling due) shows within a minute."""
    tokens = page_cache.queue_versions(request.user)
    if tokens is None:
        return _queue(request, {})
    return public_pages.cached(
        request,
        lambda extra: _queue(request, extra),
        parts=(*tokens, request.GET.urlencode()),
        per_minute=True,
        signed_in=True,
    )


def _queue(request, extra):
    user = request.user
    form = CaseFilter(request.GET, user=user)
    now = timezone.now()
    cutoff = queues.soon_cutoff(now)
    status = 200
    if form.is_valid():
        query = form.query()
        cases = form.cases(now=now, cutoff=cutoff)
    else:
        # The tab stays the one asked for, so that "clear filters" leads back to it.
        tab = request.GET.get("tab")
        query = queues.Query(tab=tab if tab in queues.TAB_KEYS else "mine")
        cases, status = Case.objects.none(), 400
    kept = [(k, v) for k, v in request.GET.items() if k != "page" and v]
    filtered = any(k not in ("tab", "sort") for k, _v in kept)
    counts = queues.tab_counts(user, now, cutoff)
    # Without a filter the page lists exactly the tab's cases: its count is the tab's.
    known = counts[query.tab] if status == 200 and not filtered else None
    paginator = CappedPaginator(cases, queues.PAGE_SIZE, count=known, ids_first=True)
    page = paginator.get_page(request.GET.get("page"))
    rows = [(case, queues.flag(case, now, cutoff)) for case in page.object_list]
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
        "filtered": filtered,
        "may_enter": may_at_all(user, "case.enter"),
        "may_file_grid": user.role == Role.GRID_WORKER,
        # The filter boxes list the viewer's categories, departments and stations: rendered
        # once per viewer, query and directory version, not for every page (issue 17).
        "filters_key": (user.pk, public_pages.directory_version(), request.GET.urlencode()),
        "filters_seconds": FILTERS_SECONDS if form.is_valid() else 0,
        **extra,
    }
    return render(request, "cases/staff/queue.html", context, status=status)


@login_required
def filter_choices(request, kind: str):
    """The queue filter's station or deputy box, as you type (filters.TypedRowField): at most
    MAX_CHOICES rows of the viewer's scope whose code starts with, or whose name contains, `q`.
    An unknown kind is a 404; fewer than one character gives an empty list."""
    from django.db.models import Q
    from django.http import JsonResponse

    from liaison.core.permissions import restrict
    from liaison.directory.models import Deputy, Station

    from .filters import MAX_CHOICES

    models = {"station": Station, "deputy": Deputy}
    if kind not in models:
        raise Http404(gettext("No such filter."))
    q = request.GET.get("q", "").strip()[:50]
    rows = []
    if q:
        found = restrict(models[kind].objects.all(), request.user).filter(
            Q(public_code__startswith=q.lower()) | Q(name__contains=q)
        )
        rows = [
            {"code": code, "name": name}
            for code, name in found.order_by("name", "pk").values_list("public_code", "name")[
                :MAX_CHOICES
            ]
        ]
    return JsonResponse({"results": rows})


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


def _deadline(case: Case):
    """The due date's explanation, when the stored one can still be counted the same way."""
    if case.due_at is None or case.due_from is None or not case.due_days:
        return None
    deadline = add_working_days(case.due_from, case.due_days)
    return deadline if deadline.due_date == local_day(case.due_at) else None


def _offered_forms(
    case: Case, user, bound: tuple[str, f.ActionForm] | None, use_suggestion: bool = False
) -> list:
    forms = []
    for name in offered_actions(case, user):
        spec = ACTIONS[name]
        is_bound = bound is not None and bound[0] == name
        if is_bound:
            form = bound[1]
        elif name == "assign":
            form = spec.form(case=case, user=user, use_suggestion=use_suggestion)
        else:
            form = spec.form(case=case, user=user)
        opened = is_bound or (use_suggestion and name == "assign")
        forms.append({"name": name, "spec": spec, "form": form, "open": opened})
    return forms


def _detail(request, case: Case, *, status=200, error="", bound=None, contact=None, extra=None):
    user = request.user
    may_see = selectors.may_see_contact(case, user)
    masked = {"phone": case.masked_phone, "landline": case.masked_landline, "address": ""}
    # The case's assignments once, for the actions offered, the co-handlers awaited and the list.
    prefetch_related_objects(
        [case],
        Prefetch(
            "assignments",
            Assignment.objects.select_related("department").order_by("created_at", "id"),
        ),
    )
    events = list(selectors.timeline(case, public=False))
    hidden = selectors.hidden_related(events, user)
    case_photos = photos.case_photos(case)
    texts = list(by_keys([f"case-event:{e.pk}:sms" for e in events]))
    may_see_photos = photos.may_see_photos(user, case)
    actions = _offered_forms(case, user, bound, use_suggestion=request.GET.get("suggestion") == "1")
    offered = {item["name"] for item in actions}
    similar = triage_hints.similar_cases(case, user) if "merge" in offered else []
    related = selectors.related_cases(case, user)
    may_link = may(user, "case.review", case)
    context = {
        "case": case,
        "flag": queues.flag(case, timezone.now(), queues.soon_cutoff(timezone.now())),
        "deadline": _deadline(case),
        "resumed": selectors.clock_resumed(case, events),
        "phone": (contact or masked)["phone"],
        "contact": contact or masked,
        "phone_revealed": contact is not None,
        "may_print_letter": _may_print_letter(case, user),
        "may_see_phone": may_see,
        "show_name": selectors.may_see_name(case, user),
        "citizen_name": selectors.citizen_name(case, user),
        "merged": selectors.merged_cases(case),
        "photos": case_photos if may_see_photos else [],
        "photos_withheld": bool(case_photos) and not may_see_photos,
        "attachments": photos.case_attachments(case),
        "assignments": case.assignments.all(),
        "awaited_co": selectors.awaited_co_handlers(case),
        "now": timezone.now(),
        "events": [
            {
                "event": event,
                "label": selectors.event_label(event),
                "details": selectors.event_details(event, hidden),
                "moved": event.from_status != event.to_status and event.from_status,
                "from": selectors.status_label(event.from_status),
                "to": selectors.status_label(event.to_status),
            }
            for event in events
        ],
        # What the citizen was sent, as rendered from the gateway template; a text refused or
        # never taken is shown as a warning, so that staff call or write instead.
        "texts": texts,
        "undelivered": [t for t in texts if t.status in UNDELIVERED],
        # ?suggestion=1: "Use the suggestion" fills the assignment form in (no JavaScript).
        "actions": actions,
        # Triage (docs/triage.md): suggestions only, on the review and assignment steps.
        "department_hints": (
            triage_hints.department_hints(case) if offered & {"accept", "assign"} else []
        ),
        "similar_cases": similar,
        "may_merge": "merge" in offered,
        # 关联留言: linked cases the account may see, and whether it may link or unlink.
        "related": related,
        "related_numbers": {c.tracking_number for c in related},
        "may_link": may_link,
        "reply_templates": f.REPLY_TEMPLATES,
        "error": error,
        "error_action": bound[0] if bound else "",
        **(extra or {}),
    }
    return render(request, "cases/staff/detail.html", context, status=status)


@login_required
def detail(request, tracking_number):
    """One case: its timeline and the actions the account may take. With a shared cache it is
    kept whole per viewer under the case's token for the minute (page_cache.py): every event of
    the case replaces the token, so what an action changed is never shown from before it; what
    changes without an event (an SMS's delivery, the triage hints drawn from other cases) shows
    within the minute. A page is only ever served to the viewer it was built for, who could see
    the case at that token."""
    if not settings.LIAISON_SHARED_CACHE:
        return _detail(request, _case_or_404(request.user, tracking_number))
    case = None
    pk = page_cache.case_id(tracking_number)
    if pk is None:
        case = _case_or_404(request.user, tracking_number)
        page_cache.remember_case_id(case)
        pk = case.pk
    return public_pages.cached(
        request,
        lambda extra: _detail(
            request, case or _case_or_404(request.user, tracking_number), extra=extra
        ),
        parts=(*page_cache.versions(pk), request.GET.urlencode()),
        per_minute=True,
        signed_in=True,
    )


@login_required
@require_POST
def reveal_phone(request, tracking_number):
    """Show the full number to a role that must call back; every view is logged."""
    case = _case_or_404(request.user, tracking_number)
    if not selectors.may_see_contact(case, request.user):
        error = gettext("Your role may not see the citizen's full phone number.")
        return _detail(request, case, status=403, error=error)
    contact = selectors.citizen_contact(case, request.user, surface=Surface.STAFF_PAGE)
    return _detail(request, case, contact=contact)


@login_required
@require_POST
def act(request, tracking_number, action):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404(gettext("No such action."))
    case = _case_or_404(request.user, tracking_number)
    data = request.POST.copy()
    if action in confirmations.CONFIRM:
        # The confirmation screen below asks; the forms' tick box is for the API's clients.
        data["confirm"] = "on"
    form = spec.form(data, request.FILES, case=case, user=request.user)
    if not form.is_valid():
        error = gettext("Please correct the form below.")
        return _detail(request, case, status=400, error=error, bound=(action, form))
    # A step that is not offered now goes straight to the service, whose refusal says why.
    confirming = confirmations.confirmation(action, case, form)
    unconfirmed = confirming is not None and request.POST.get("confirmed") != "1"
    if unconfirmed and action in offered_actions(case, request.user):
        return _confirm(request, case, action, spec, confirming)
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


def _related_other(user, number: str) -> Case | None:
    return queues.scoped_cases(user).filter(tracking_number=(number or "").strip()).first()


@login_required
@require_POST
def link_related(request, tracking_number):
    """关联 — link this case and `other` (a tracking number) as related (services.link_cases)."""
    return _relate(request, tracking_number, request.POST.get("other", ""), link=True)


@login_required
@require_POST
def unlink_related(request, tracking_number, other):
    """Undo a link (services.unlink_cases)."""
    return _relate(request, tracking_number, other, link=False)


def _relate(request, tracking_number: str, number: str, *, link: bool):
    case = _case_or_404(request.user, tracking_number)
    other = _related_other(request.user, number)
    service = services.link_cases if link else services.unlink_cases
    try:
        service(case, other, actor=request.user, note=request.POST.get("note", "")[:500])
    except NotAllowed as refused:
        return _detail(request, case, status=403, error=str(refused.message))
    except ValidationError as invalid:
        return _detail(request, case, status=400, error=" ".join(invalid.messages))
    done = gettext("Linked with %(number)s.") if link else gettext("Unlinked from %(number)s.")
    messages.success(request, done % {"number": other.tracking_number})
    return redirect("staff:case-detail", tracking_number=case.tracking_number)


def _confirm(request, case: Case, action: str, spec, confirming):
    """One screen before a step that cannot be undone: what happens, who is told, and the same
    form again with `confirmed=1` (seen_status included, so a stale one is still refused)."""
    kept = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "confirmed", "confirm")
        for value in values
    ]
    context = {"case": case, "action": action, "spec": spec, "confirming": confirming}
    return render(request, "cases/staff/confirm.html", {**context, "kept": kept})


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


# --- the citizen's photos ----------------------------------------------------------------------


def _photo_or_404(user, tracking_number: str, pk: int):
    """A photo of a case in the account's scope (else 404) that the account may see (else 403:
    a department without the citizen's consent)."""
    case = _case_or_404(user, tracking_number)
    photo = case.photos.filter(pk=pk).first()
    if photo is None:
        raise Http404(gettext("No such photo."))
    if not photos.may_see_photos(user, case):
        raise PermissionDenied(
            gettext(
                "The citizen did not agree to share their personal information with the "
                "handling department; the photos are not shown."
            )
        )
    photo.case = case
    return photo


def _private(response):
    # The citizen's personal data: never kept by a shared cache or the browser's disk cache.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def photo_thumbnail(request, tracking_number, pk):
    """A small JPEG for the case page; not logged (the page shows them each time it opens)."""
    data = photos.thumbnail(_photo_or_404(request.user, tracking_number, pk))
    if data is None:
        raise Http404(gettext("No such photo."))
    return _private(HttpResponse(data, content_type="image/jpeg"))


@login_required
def photo_original(request, tracking_number, pk):
    """The photo in full size; every view is written to the audit log."""
    photo = _photo_or_404(request.user, tracking_number, pk)
    try:
        handle = photos.open_original(photo, request.user, surface=Surface.STAFF_PAGE)
    except OSError:
        raise Http404(gettext("No such photo.")) from None
    response = FileResponse(handle, content_type="image/jpeg", filename=f"photo-{photo.pk}.jpg")
    return _private(response)


def _may_print_letter(case: Case, user) -> bool:
    return case.status in (Status.ANSWERED, Status.CLOSED) and may(
        user, "case.deliver_answer", case
    )


@login_required
def reply_letter(request, tracking_number):
    """答复函 — the answer on paper for a citizen without a mobile, with a return slip. It carries
    the citizen's name and address: only who sends it ("case.deliver_answer"); logged."""
    case = _case_or_404(request.user, tracking_number)
    if not may(request.user, "case.deliver_answer", case):
        error = gettext("Your role may not print this citizen's reply letter.")
        return _detail(request, case, status=403, error=error)
    answer = services.answer_event(case)
    if answer is None or case.status not in (Status.ANSWERED, Status.CLOSED):
        error = gettext("This case has no answer yet: the reply letter is printed once answered.")
        return _detail(request, case, status=409, error=error)
    # The name and the address by the one rule: a letter without the address is handed over.
    name = case.citizen_name if selectors.may_see_name(case, request.user) else ""
    address = case.citizen_address if selectors.may_see_contact(case, request.user) else ""
    pdf = reply_letter_pdf(case, answer, name=name, address=address)
    audit.record(
        "case.reply_letter_printed",
        actor=request.user,
        obj=case,
        surface=Surface.REPLY_LETTER,
        fields=[f for f, value in (("name", name), ("address", address)) if value],
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="reply-{case.tracking_number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
