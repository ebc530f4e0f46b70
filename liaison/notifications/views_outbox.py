"""发送失败的消息 — administrators' page of the messages that could not be sent (thin: the
selectors read, services.retry writes and audits)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from liaison.accounts.workspace import url
from liaison.core.inputs import ascii_int
from liaison.core.permissions import may_at_all, restrict

from . import selectors, services
from .forms import RetryShownForm, UndeliveredFilter
from .models import UNDELIVERED, Notification

PAGE_SIZE = 50


def _require_manager(user) -> None:
    if not may_at_all(user, "notification.manage"):
        raise PermissionDenied(gettext("Only administrators see the messages that were not sent."))


def _back(request):
    """To the list as it was: the filters and page the form carried along (if valid)."""
    query = UndeliveredFilter(request.POST).query()
    page = request.POST.get("page", "")
    return redirect(url("outbox:undelivered", **query, page=ascii_int(page, "")))


def _queued_message(request, count: int) -> None:
    if count:
        text = ngettext(
            "%(count)d message queued again: the worker sends it within a minute.",
            "%(count)d messages queued again: the worker sends them within a minute.",
            count,
        ) % {"count": count}
        messages.success(request, text)
    else:
        messages.info(request, gettext("Nothing to queue again: already queued or sent."))


@login_required
def undelivered_list(request):
    user = request.user
    _require_manager(user)
    form = UndeliveredFilter(request.GET)
    query = form.query()
    found = selectors.undelivered_for(user, **query)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = [(k, v) for k, v in query.items() if v]
    context = {
        "form": form,
        "page_obj": page,
        "rows": page.object_list,
        "querystring": urlencode(kept),
        "query": query,
        "counts": selectors.recent_counts(),
        "recent_days": selectors.RECENT_DAYS,
    }
    return render(
        request,
        "notifications/staff/undelivered.html",
        context,
        status=200 if form.is_valid() else 400,
    )


@login_required
@require_POST
def retry_one(request, pk: int):
    _require_manager(request.user)
    managed = restrict(Notification.objects.all(), request.user, "notification.manage")
    notification = get_object_or_404(managed, pk=pk)
    _queued_message(request, int(services.retry(notification, actor=request.user)))
    return _back(request)


@login_required
@require_POST
def retry_shown(request):
    """ "Retry all shown": the rows of the page the administrator looked at, still undelivered."""
    user = request.user
    _require_manager(user)
    form = RetryShownForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("ids", [])))
        return _back(request)
    managed = restrict(Notification.objects.all(), user, "notification.manage")
    shown = managed.filter(pk__in=form.cleaned_data["ids"], status__in=UNDELIVERED)
    count = sum(services.retry(notification, actor=user) for notification in shown)
    _queued_message(request, count)
    return _back(request)
