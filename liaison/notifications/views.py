from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from liaison.accounts.services import set_notice_preferences

from . import inbox
from .forms import NoticePreferencesForm

PAGE_SIZE = 20


@login_required
def notice_list(request):
    """通知中心 — the account's notices, unread first to the eye (bold), newest first."""
    unread_only = request.GET.get("show") == "unread"
    found = inbox.notices(request.user)
    if unread_only:
        found = found.filter(read_at__isnull=True)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "notices": page.object_list,
        "unread_only": unread_only,
        "preferences": NoticePreferencesForm(instance=request.user),
    }
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def preferences(request):
    form = NoticePreferencesForm(request.POST, instance=request.user)
    if form.is_valid():  # three check boxes: any POST is valid
        set_notice_preferences(request.user, **form.cleaned_data)
        messages.success(request, _("Your notice settings were saved."))
    return redirect("notifications:inbox")


@login_required
@require_POST
def open_notice(request, pk: int):
    """Mark the notice read and go where it leads."""
    notice = get_object_or_404(inbox.notices(request.user), pk=pk)
    inbox.mark_read(request.user, [notice.pk])
    return redirect(inbox.safe_link(notice) or "notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = inbox.mark_read(request.user)
    if count:
        message = ngettext(
            "%(count)d notice marked as read.", "%(count)d notices marked as read.", count
        ) % {"count": count}
    else:
        message = _("There were no unread notices.")
    messages.success(request, message)
    return redirect("notifications:inbox")
