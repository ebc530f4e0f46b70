"""我的留言和预约 — the citizen's pages to find every message and booking under their mobile with
an SMS code, and to erase the personal data of closed messages early (mine.py, services).

The same answer whether or not the number holds anything; code requests are limited per client
(and the phone's daily cap), wrong codes count per client. A proven phone stays open in this
browser's session for `mine.OPEN_FOR`, and its tracking pages open without the last 4 digits.
"""

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from liaison.core.phones import mask_phone

from . import mine, services, tracking
from .public_forms import CodeForm, PhoneForm
from .public_views import _too_many, _unlock, grouped
from .workflow import FINAL, Status

PENDING = "cases_mine_pending"  # the phone a code was asked for
DEMO_CODE = "cases_mine_demo_code"
OPENED = "cases_mine"  # {"phone": …, "at": ISO time} once the code was right


def _opened_phone(request) -> str | None:
    opened = request.session.get(OPENED) or {}
    try:
        at = datetime.fromisoformat(opened.get("at", ""))
    except ValueError:
        return None
    if timezone.now() - at > mine.OPEN_FOR:
        request.session.pop(OPENED, None)
        return None
    return opened.get("phone")


@never_cache
def find(request):
    """Step 1: the mobile number, then the code sent to it."""
    phone_form, code_form = PhoneForm(), CodeForm()
    pending = request.session.get(PENDING)
    status = 200
    if request.method == "POST":
        status = 400
        if request.POST.get("action") == "code" and pending:
            if tracking.client_blocked(request):
                return _too_many(request)
            code_form = CodeForm(request.POST)
            if code_form.is_valid():
                try:
                    mine.check_lookup_code(pending, code_form.cleaned_data["code"])
                except ValidationError as invalid:
                    tracking.count_code_failure(request)
                    code_form.add_error("code", invalid.messages)
                else:
                    for key in (PENDING, DEMO_CODE):
                        request.session.pop(key, None)
                    request.session.cycle_key()  # a new session for what is now personal
                    request.session[OPENED] = {"phone": pending, "at": timezone.now().isoformat()}
                    return redirect("cases:mine-list")
        else:
            phone_form = PhoneForm(request.POST)
            if phone_form.is_valid():
                if tracking.code_requests_blocked(request):
                    return _too_many(request)
                phone = phone_form.cleaned_data["phone"]
                tracking.hit_code_request(request)
                try:
                    code = mine.send_lookup_code(request, phone)
                except ValidationError as invalid:  # a wait or the daily cap: alike for all
                    phone_form.add_error(None, invalid.messages)
                else:
                    request.session[PENDING] = phone
                    if settings.DEMO_MODE:
                        request.session[DEMO_CODE] = code
                    messages.success(
                        request,
                        _(
                            "If messages or bookings are held under this number, a code has "
                            "been sent to it by text message."
                        ),
                    )
                    return redirect("cases:mine")
    return render(
        request,
        "cases/public/mine.html",
        {
            "phone_form": phone_form,
            "code_form": code_form,
            "pending": mask_phone(pending) if pending else "",
            "demo_code": request.session.get(DEMO_CODE) if settings.DEMO_MODE else None,
        },
        status=status,
    )


@never_cache
def listing(request):
    """Step 2: every message and booking under the proven mobile."""
    phone = _opened_phone(request)
    if phone is None:
        return redirect("cases:mine")
    cases = list(mine.cases_of(phone).select_related("station"))
    for case in cases:
        _unlock(request, case)  # its tracking page opens without the digits
    rows = [
        {
            "number": grouped(case.tracking_number),
            "tracking_number": case.tracking_number,
            "title": case.title,
            "status": Status(case.status).label,
            "date": case.created_at,
            "closed": case.status in FINAL,
        }
        for case in cases
    ]
    return render(
        request,
        "cases/public/mine_list.html",
        {
            "phone": mask_phone(phone),
            "cases": rows,
            "records": mine.records(request, phone),
        },
    )


@never_cache
def erase(request, number):
    """Erase the personal data of one closed message: a confirmation screen, then the POST."""
    phone = _opened_phone(request)
    if phone is None:
        return redirect("cases:mine")
    case = mine.cases_of(phone).filter(tracking_number=number).first()
    if case is None:
        raise Http404(_("No message with this number under your phone."))
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.erase_personal_data(case, via="citizen")
        except ValidationError as invalid:
            messages.error(request, " ".join(invalid.messages))
        else:
            messages.success(
                request,
                _("The personal data of message %(number)s has been erased.")
                % {"number": grouped(case.tracking_number)},
            )
        return redirect("cases:mine-list")
    return render(
        request,
        "cases/public/mine_erase.html",
        {
            "case": case,
            "number": grouped(case.tracking_number),
            "closed": case.status in FINAL,
        },
        status=400 if request.method == "POST" else 200,
    )
