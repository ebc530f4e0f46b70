"""The citizen's side of the closed loop (no account): leave a message from a deputy's or a
station's QR page, confirm the phone by SMS code, track the case with its number and the phone's
last 4 digits (or an SMS code), add information, withdraw, rate the answer.

Thin: forms check the input, services change the state (docs/cases.md), errors become messages
on the page with a 4xx status — never a 500. A tracking page, once opened, is remembered in the
session for that case only.
"""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from liaison.core import public_pages, ratelimit
from liaison.core.errors import TransitionRefused
from liaison.directory import selectors as directory
from liaison.workdays.deadlines import add_working_days

from . import links, page_cache, selectors, services, tracking, verification
from .models import Case, Channel, PhoneCode, Rating
from .public_forms import (
    CodeForm,
    LookupForm,
    MessageForm,
    RatingForm,
    SupplementForm,
    UnlockForm,
    WithdrawForm,
    digits,
)
from .workflow import FINAL, Status

PENDING = "cases_pending"  # the draft waiting for its SMS code
DEMO_CODE = "cases_demo_code"
SENT = "cases_sent"  # the message just confirmed (for the confirmation page)
UNLOCKED = "cases_unlocked"  # tracking pages this browser opened
TRACK_CODE_SENT = "cases_track_code"


def grouped(number: str) -> str:
    """381 255 9047 — easy to read out on the phone."""
    return f"{number[:3]} {number[3:6]} {number[6:]}"


# --- leaving a message (码上找代表) -------------------------------------------------------------


@never_cache
def message_to_deputy(request, code):
    deputy = directory.public_deputy_or_404(code)
    stations = deputy.public_stations
    if not stations:
        raise Http404(_("This deputy does not take messages online yet."))
    # The directory has no "home station" of a deputy: the first in the directory's order
    # (region, name) stands for it and is preselected; the citizen may choose another.
    return _message(request, station=stations[0], deputy=deputy, stations=stations)


@never_cache
def message_to_station(request, code):
    return _message(request, station=directory.public_station_or_404(code), deputy=None)


def _message_page(request, form, station, deputy, *, status=200, problem=""):
    return render(
        request,
        "cases/public/message.html",
        {
            "form": form,
            "station": station,
            "deputy": deputy,
            "problem": problem,
            "max_photo": filesizeformat(settings.PHOTO_MAX_BYTES),
            "max_upload": filesizeformat(settings.MESSAGE_UPLOAD_MAX_BYTES),
        },
        status=status,
    )


def _message(request, *, station, deputy, stations=()):
    if request.method != "POST":
        return _message_page(request, MessageForm(stations=stations), station, deputy)
    # Refuse a body far over the limit before reading it; the form also checks the photos' sum.
    if int(request.META.get("CONTENT_LENGTH") or 0) > settings.MESSAGE_UPLOAD_MAX_BYTES + 2**20:
        problem = _(
            "The photos together are too large; the limit is %(limit)s. Please choose fewer or "
            "smaller photos and write your message again."
        ) % {"limit": filesizeformat(settings.MESSAGE_UPLOAD_MAX_BYTES)}
        empty = MessageForm(stations=stations)
        return _message_page(request, empty, station, deputy, status=413, problem=problem)
    form = MessageForm(request.POST, request.FILES, stations=stations)
    if form.is_robot:
        problem = _("Your message could not be sent. Please try again.")
        empty = MessageForm(stations=stations)
        return _message_page(request, empty, station, deputy, status=400, problem=problem)
    if not form.is_valid():
        return _message_page(request, form, station, deputy, status=400)
    data = form.cleaned_data
    station = data.get("station") or station
    ip = ratelimit.client_ip(request)
    if ratelimit.MESSAGES_PER_PHONE.exceeded(data["citizen_phone"]) or (
        ratelimit.MESSAGES_PER_IP.exceeded(ip)
    ):
        problem = _(
            "Too many messages were sent from this phone number or this network. Please try "
            "again later, or call the station."
        )
        return _message_page(request, form, station, deputy, status=429, problem=problem)
    codes = []
    try:
        case = services.submit_case(
            channel=Channel.ONLINE,
            station=station,
            deputy=deputy,
            category=data["category"],
            title=data["title"],
            description=data["description"],
            location_text=data["location_text"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            citizen_name=data["citizen_name"],
            citizen_phone=data["citizen_phone"],
            confidential=data["confidential"],
            public_consent=data["public_consent"],
            privacy_accepted=data["privacy_accepted"],
            photos=[_photo_file(content, n) for n, content in enumerate(data["photos"], start=1)],
            verify_phone=True,
            # The draft and its code in one transaction.
            then=lambda draft: codes.append(verification.send_verification_code(draft)),
        )
    except ValidationError as invalid:
        _form_errors(form, invalid)
        return _message_page(request, form, station, deputy, status=400)
    ratelimit.MESSAGES_PER_PHONE.hit(data["citizen_phone"])
    ratelimit.MESSAGES_PER_IP.hit(ip)
    request.session[PENDING] = case.pk
    _remember_demo_code(request, codes[0])
    return redirect("cases:message-confirm")


def _photo_file(content: bytes, number: int):
    return ContentFile(content, name=f"photo-{number}.jpg")


def _form_errors(form, invalid: ValidationError) -> None:
    if not hasattr(invalid, "error_dict"):
        form.add_error(None, invalid)
        return
    for field, errors in invalid.message_dict.items():
        if field == "privacy_accepted" or field in form.fields:
            form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, errors)


def _remember_demo_code(request, code: str) -> None:
    # Demo mode shows the code on screen instead of waiting for an SMS that nobody receives.
    if settings.DEMO_MODE:
        request.session[DEMO_CODE] = code


def _pending_case(request) -> Case | None:
    pk = request.session.get(PENDING)
    if pk is None:
        return None
    return Case.objects.filter(
        pk=pk, channel=Channel.ONLINE, phone_verified_at__isnull=True
    ).first()


@never_cache
def confirm_message(request):
    """Type the SMS code; or ask for a new one after a minute."""
    case = _pending_case(request)
    if case is None:
        return render(request, "cases/public/nothing_pending.html", status=404)
    form = CodeForm()
    status = 200
    problem = ""
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            _remember_demo_code(request, verification.send_verification_code(case))
        except ValidationError as invalid:
            problem, status = " ".join(invalid.messages), 400
        else:
            messages.success(request, _("A new code has been sent."))
            return redirect("cases:message-confirm")
    elif request.method == "POST":
        form = CodeForm(request.POST)
        try:
            if form.is_valid():
                case = verification.verify_case_phone(case, form.cleaned_data["code"])
                for key in (PENDING, DEMO_CODE):
                    request.session.pop(key, None)
                request.session[SENT] = case.pk
                _unlock(request, case)
                return redirect("cases:message-sent")
        except ValidationError as invalid:
            form.add_error("code" if "code" in invalid.message_dict else None, invalid.messages)
        except TransitionRefused:  # confirmed meanwhile in another tab
            request.session[SENT] = case.pk
            _unlock(request, case)
            return redirect("cases:message-sent")
        status = 400
    return render(
        request,
        "cases/public/confirm.html",
        {
            "case": case,
            "form": form,
            "problem": problem,
            "demo_code": request.session.get(DEMO_CODE) if settings.DEMO_MODE else None,
            "wait": verification.seconds_until_resend(case, PhoneCode.Purpose.VERIFY),
        },
        status=status,
    )


@never_cache
def message_sent(request):
    pk = request.session.get(SENT)
    case = Case.objects.verified().filter(pk=pk).select_related("deputy", "station").first()
    if pk is None or case is None:
        return render(request, "cases/public/nothing_pending.html", status=404)
    return render(
        request,
        "cases/public/sent.html",
        {
            "case": case,
            "number": grouped(case.tracking_number),
            "tracking_url": links.tracking_url(case),
            "tracking_path": links.TRACKING_PATH.format(number=case.tracking_number),
            "review_days": services.days("CASE_REVIEW_DAYS"),
            "reply_days": services.days("CASE_REPLY_DAYS"),
            "answer_days": services.days("CASE_ANSWER_DAYS"),
        },
    )


def privacy(request):
    return render(request, "cases/public/privacy.html")


# --- tracking ------------------------------------------------------------------------------------


def _unlock(request, case: Case) -> None:
    unlocked = set(request.session.get(UNLOCKED, []))
    unlocked.add(case.pk)
    request.session[UNLOCKED] = sorted(unlocked)


def _is_unlocked(request, case: Case | None) -> bool:
    return case is not None and case.pk in request.session.get(UNLOCKED, [])


def _too_many(request):
    return render(request, "cases/public/too_many.html", status=429)


@never_cache
def track_lookup(request):
    """查询 — the tracking number plus the phone's last 4 digits."""
    form = LookupForm(request.POST or None)
    if request.method == "POST":
        number = digits(request.POST.get("number", ""))
        if tracking.client_blocked(request):
            return _too_many(request)
        if len(number) == 10 and tracking.tracking_blocked(request, number):
            # The digits are closed for this number; its tracking page still sends a code.
            return redirect(links.TRACKING_PATH.format(number=number))
        if form.is_valid():
            case = tracking.find_case(form.cleaned_data["number"])
            if tracking.last4_matches(case, form.cleaned_data["last4"]):
                _unlock(request, case)
                return redirect(links.TRACKING_PATH.format(number=case.tracking_number))
            tracking.count_failure(request, number)
            form.add_error(None, tracking.no_match_message())
        return render(request, "cases/public/lookup.html", {"form": form}, status=400)
    return render(request, "cases/public/lookup.html", {"form": form})


@never_cache
def track(request, number):
    number = digits(number)
    if len(number) != 10:
        raise Http404(_("A tracking number has 10 digits."))
    page = _remembered_case_page(request, number)
    if page is not None:
        return page
    case = tracking.find_case(number)
    if _is_unlocked(request, case):
        return _case_page(request, case)
    return _unlock_page(request, number, case)


def _unlock_page(request, number: str, case: Case | None):
    unlock_form, code_form = UnlockForm(), CodeForm()
    status = 200
    code_sent = request.session.get(TRACK_CODE_SENT) == number
    if request.method == "POST":
        action = request.POST.get("action", "last4")
        status = 400
        if action == "send_code":
            if tracking.code_requests_blocked(request):
                return _too_many(request)
            # The same answer whether or not the number exists, has a mobile, or was sent a
            # code a minute ago: it must not tell which numbers are real.
            _remember_demo_code(request, tracking.send_tracking_code(request, number))
            request.session[TRACK_CODE_SENT] = number
            messages.success(
                request,
                _(
                    "If the number is right, a code has been sent to the phone it belongs to. "
                    "A new code can be sent after a minute."
                ),
            )
            return redirect(request.path)
        if action == "code":
            if tracking.client_blocked(request):
                return _too_many(request)
            code_form = CodeForm(request.POST)
            if code_form.is_valid():
                if case is None:
                    tracking.count_code_failure(request)
                    code_form.add_error("code", _("This code is not right."))
                else:
                    try:
                        verification.check_code(
                            case, PhoneCode.Purpose.TRACK, code_form.cleaned_data["code"]
                        )
                    except ValidationError as invalid:
                        tracking.count_code_failure(request)
                        code_form.add_error("code", invalid.messages)
                    else:
                        request.session.pop(DEMO_CODE, None)
                        _unlock(request, case)
                        return redirect(request.path)
        else:
            unlock_form = UnlockForm(request.POST)
            if tracking.client_blocked(request):
                return _too_many(request)
            if tracking.tracking_blocked(request, number):
                # Only the digits are closed for this number: the owner can still get a code.
                unlock_form.add_error(None, tracking.last4_closed_message())
                status = 429
            elif unlock_form.is_valid():
                if tracking.last4_matches(case, unlock_form.cleaned_data["last4"]):
                    _unlock(request, case)
                    return redirect(request.path)
                tracking.count_failure(request, number)
                unlock_form.add_error(None, tracking.no_match_message())
    return render(
        request,
        "cases/public/unlock.html",
        {
            "number": number,
            "grouped": grouped(number),
            "unlock_form": unlock_form,
            "code_form": code_form,
            "code_sent": code_sent,
            "demo_code": request.session.get(DEMO_CODE) if settings.DEMO_MODE else None,
        },
        status=status,
    )


def _deadline(case: Case):
    if case.due_at is None or case.is_final or not (case.due_from and case.due_days):
        return None
    return add_working_days(case.due_from, case.due_days)


def _case_page(request, case: Case, *, supplement_form=None, status=200):
    main = None
    if case.status == Status.MERGED and case.merged_into_id:
        main = case.merged_into
        while main.status == Status.MERGED and main.merged_into_id:
            main = main.merged_into
    if supplement_form is not None or status != 200:
        return _build_case_page(request, case, main, supplement_form=supplement_form, status=status)
    # The rendered page, under everything it shows: the cases' versions (every event of either
    # replaces them) and the day (core/public_pages.py). Which cases a number shows is kept
    # beside it, so that a visitor coming back is served without reading the case: a case merged
    # later, or a main case merged on, has a new version, and its page is then built afresh.
    pks = [case.pk, main.pk] if main else [case.pk]
    if settings.LIAISON_PUBLIC_PAGE_CACHE_SECONDS > 0:
        cache.set(_SHOWN.format(number=case.tracking_number), pks, page_cache.TIMEOUT)
    return public_pages.cached(
        request,
        lambda extra: _build_case_page(request, case, main, extra=extra),
        parts=_case_page_parts(pks),
        timeout=page_cache.TIMEOUT,
    )


_SHOWN = "track-shown:{number}"


def _case_page_parts(pks: list[int]) -> list:
    return [*page_cache.versions(*pks), timezone.localdate()]


def _remembered_case_page(request, number: str):
    """The tracking page of a case this visitor unlocked, from the cache if it is there."""
    if not request.session.get(UNLOCKED):
        return None

    def parts(pks):
        return _case_page_parts(pks) if pks[0] in request.session[UNLOCKED] else None

    return public_pages.remembered(request, _SHOWN.format(number=number), parts)


def _build_case_page(request, case: Case, main, *, supplement_form=None, status=200, extra=None):
    followed = main or case
    # The timelines, photos and clock come from the cache, under versions every event of the
    # case (and of the case it was merged into) replaces (page_cache.py); the rest is the row.
    built = page_cache.cached(
        "track",
        [case.pk, main.pk] if main else [case.pk],
        lambda: {
            "timeline": tracking.public_timeline(case),
            "resumed": selectors.clock_resumed(case) if case.due_from else None,
            "photos": list(case.photos.all()),
            "main_timeline": (tracking.public_timeline(main, other_citizens=True) if main else []),
        },
    )
    timeline = built["timeline"]
    asked = next((e["note"] for e in reversed(timeline) if e["verb"] == "case.info_requested"), "")
    answer = next(
        (e for e in reversed(timeline) if e["verb"] in {"case.answered", "case.replied"}), None
    )
    context = {
        "case": case,
        "number": grouped(case.tracking_number),
        "status_label": Status(case.status).label,
        "deadline": _deadline(case),
        "resumed": built["resumed"],
        "timeline": timeline,
        "photos": built["photos"],
        "main": main,
        "main_status": Status(main.status).label if main else "",
        "main_deadline": _deadline(main) if main else None,
        "main_timeline": built["main_timeline"],
        # The raised-by counter merge_case keeps (1 unless cases were merged into it): no
        # query, however many cases were merged.
        "raised_by": selectors.merged_count(followed),
        "asked": asked,
        "answer": answer,
        "can_supplement": case.status == Status.NEEDS_INFO,
        "can_withdraw": case.status not in FINAL,
        "can_rate": case.status == Status.ANSWERED,
        "rating_path": links.RATING_PATH.format(token=links.rating_token(case)),
        "rating_label": Rating(case.rating).label if case.rating else "",
        "supplement_form": supplement_form or SupplementForm(),
        **(extra or {}),
    }
    return render(request, "cases/public/track.html", context, status=status)


def _unlocked_case_or_redirect(request, number: str):
    case = tracking.find_case(digits(number))
    if not _is_unlocked(request, case):
        return None, redirect(links.TRACKING_PATH.format(number=digits(number)))
    return case, None


@require_POST
def supplement(request, number):
    case, response = _unlocked_case_or_redirect(request, number)
    if response:
        return response
    form = SupplementForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, supplement_form=form, status=400)
    try:
        services.supplement_case(case, text=form.cleaned_data["text"])
    except ValidationError as invalid:
        _form_errors(form, invalid)
        return _case_page(request, case, supplement_form=form, status=400)
    except TransitionRefused as refused:
        messages.error(request, refused.message)
        return redirect(request.path.rsplit("/supplement/", 1)[0])
    messages.success(request, _("Thank you. Your information has been added to the message."))
    return redirect(links.TRACKING_PATH.format(number=case.tracking_number))


@never_cache
def withdraw(request, number):
    """撤回 — a confirmation page first; the POST withdraws."""
    case, response = _unlocked_case_or_redirect(request, number)
    if response:
        return response
    tracking = links.TRACKING_PATH.format(number=case.tracking_number)
    if case.is_final:
        messages.error(request, _("This message is closed and can no longer be withdrawn."))
        return redirect(tracking)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and request.POST.get("confirm") == "yes" and form.is_valid():
        try:
            services.withdraw_case(case, reason=form.cleaned_data["reason"])
        except TransitionRefused as refused:
            messages.error(request, refused.message)
            return redirect(tracking)
        messages.success(request, _("Your message has been withdrawn."))
        return redirect(tracking)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "cases/public/withdraw.html",
        {"case": case, "number": grouped(case.tracking_number), "form": form},
        status=status,
    )


def photo(request, number, photo):
    """Photos are shown only to whoever opened the tracking page."""
    case, response = _unlocked_case_or_redirect(request, number)
    if response:
        raise Http404()
    item = case.photos.filter(pk=photo).first()
    if item is None:
        raise Http404()
    try:
        handle = item.image.open("rb")
    except OSError:
        raise Http404() from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- the one-click rating link -----------------------------------------------------------------


@never_cache
def rate(request, token):
    """评价 — from the link in the answer's SMS. A GET only shows the page; the buttons post.
    The opening of the link is not recorded (the services offer no event for it); the rating
    itself is recorded with `via="link"`."""
    number = links.tracking_number_from_rating_token(token)
    case = tracking.find_case(number) if number else None
    if case is None:
        return render(request, "cases/public/rating_invalid.html", status=404)
    form = RatingForm()
    status = 200
    if request.method == "POST":
        form = RatingForm(request.POST)
        status = 400
        if form.is_valid() and _confirm_unsatisfied(request, case, form):
            return _rating_page(request, case, form, confirming=True)
        if form.is_valid():
            case.status = form.cleaned_data["seen_status"] or case.status
            try:
                case = services.rate_case(
                    case,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                    via="link",
                )
            except ValidationError as invalid:
                _form_errors(form, invalid)
            except TransitionRefused as refused:
                messages.error(request, refused.message)
                status = 409
                case.refresh_from_db()
            else:
                _unlock(request, case)  # the link came to the citizen's phone
                if case.status == Status.CLOSED:
                    messages.success(request, _("Thank you for your rating."))
                else:
                    messages.success(
                        request,
                        _(
                            "Thank you. We are sorry the answer did not satisfy you: the matter "
                            "will be handled once more, and you will be answered again."
                        ),
                    )
                return redirect(request.path)
    return _rating_page(request, case, form, status=status)


def _confirm_unsatisfied(request, case: Case, form) -> bool:
    """不满意 cannot be undone: it is asked once more on its own screen (issue 16), unless the
    post is that screen's (`confirmed=1`) or the case is no longer waiting for a rating (the
    service then says why)."""
    return (
        form.cleaned_data["rating"] == Rating.UNSATISFIED
        and request.POST.get("confirmed") != "1"
        and case.status == Status.ANSWERED
    )


def _rating_page(request, case: Case, form, *, status=200, confirming=False):
    timeline = selectors.timeline(case, public=True)
    answer = next(
        (e for e in reversed(timeline) if e.verb in {"case.answered", "case.replied"}), None
    )
    return render(
        request,
        "cases/public/rate.html",
        {
            "case": case,
            "number": grouped(case.tracking_number),
            "answer": answer,
            "form": form,
            "ratings": Rating.choices,
            "rating_label": Rating(case.rating).label if case.rating else "",
            "can_rate": case.status == Status.ANSWERED,
            # The confirmation step of 不满意: what happens depends on the round.
            "confirming": confirming,
            "second_round": case.rehandled,
            "tracking_path": links.TRACKING_PATH.format(number=case.tracking_number),
        },
        status=status,
    )
