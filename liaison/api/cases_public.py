"""The citizen's side of the case API: leave a message, confirm the phone, track, add
information, withdraw, rate. The same services and checks as the web pages
(liaison/cases/public_views.py): a draft until the SMS code, tracking opened with the phone's
last 4 digits (rate limited, an unknown number answers like wrong digits), rating with the
signed token of the SMS link. Application keys with "cases:submit" file verified cases, the
partner vouching for the phone and the privacy notice (as Open311 does)."""

import hashlib
import json
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status, views
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from liaison.cases import links, selectors, services, tracking, verification
from liaison.cases.models import Case, Channel
from liaison.cases.public_forms import digits
from liaison.cases.workflow import FINAL, Status
from liaison.core import ratelimit
from liaison.notifications import phonecodes

from .cases_public_serializers import (
    AWAITING,
    CodeSerializer,
    RateSerializer,
    StatusSerializer,
    SubmitResultSerializer,
    SubmitSerializer,
    SupplementSerializer,
    TrackSerializer,
    WithdrawSerializer,
)
from .errors import RequestedLanguageMixin
from .models import IdempotencyRecord, Scope
from .schema import ErrorSerializer

IDEMPOTENCY_KEPT = timedelta(hours=24)
IDEMPOTENCY_KEY_LENGTH = 255
TAG = ["citizen cases"]


class IdempotencyConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_conflict"
    default_detail = _(
        "This Idempotency-Key was used for a different request. Use a new key for a new message."
    )


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = _("The photos together are too large.")


def _too_many(detail) -> exceptions.Throttled:
    return exceptions.Throttled(wait=ratelimit.HOUR, detail=str(detail))


# --- helpers -------------------------------------------------------------------------------------


def _status(case: Case) -> dict:
    return {
        "tracking_number": case.tracking_number,
        "status": case.status,
        "status_label": str(Status(case.status).label),
    }


def _timeline(case: Case, **kwargs) -> list[dict]:
    return [
        {key: entry[key] for key in ("at", "verb", "what", "who", "status", "note")}
        for entry in tracking.public_timeline(case, **kwargs)
    ]


def _due(case: Case) -> dict:
    open_ = case.status not in FINAL
    return {
        "due_at": case.due_at if open_ else None,
        "due_provisional": bool(case.due_provisional and open_ and case.due_at),
    }


def _track_body(case: Case) -> dict:
    main = None
    if case.status == Status.MERGED and case.merged_into_id:
        main = case.merged_into
        while main.status == Status.MERGED and main.merged_into_id:
            main = main.merged_into
    return {
        **_status(case),
        "title": case.title,
        "category": case.category.code,
        "submitted_at": case.created_at,
        **_due(case),
        "rating": case.rating,
        "supporters": case.supporters,
        "can_supplement": case.status == Status.NEEDS_INFO,
        "can_withdraw": case.status not in FINAL,
        "can_rate": case.status == Status.ANSWERED,
        "rating_token": links.rating_token(case),
        "timeline": _timeline(case),
        "merged_into": {
            "status": main.status,
            "status_label": str(Status(main.status).label),
            **_due(main),
            "raised_by": selectors.merged_count(main),
            "timeline": _timeline(main, other_citizens=True),
        }
        if main
        else None,
    }


def _opened_case(request, number: str, last4: str) -> Case:
    """The verified case if `last4` are its phone's last digits; 404 otherwise, the same for an
    unknown number, and failures counted as on the tracking page (429 over the limit)."""
    number = digits(number)
    if tracking.tracking_blocked(request, number):
        raise _too_many(_("Too many failed tries. Please try again later."))
    case = tracking.find_case(number)
    if not tracking.last4_matches(case, last4):
        tracking.count_failure(request, number)
        raise exceptions.NotFound(tracking.no_match_message())
    return case


def _opened_with_code(request, number: str, code: str) -> Case:
    """As `_opened_case`, with the tracking SMS code (used up when right). Wrong codes count for
    the client only, never close the number: the code reached the owner's phone."""
    number = digits(number)
    if tracking.client_blocked(request):
        raise _too_many(_("Too many failed tries. Please try again later."))
    case = tracking.find_case(number)
    try:
        if case is None:
            raise ValidationError({"code": ""})
        verification.check_code(case, verification.Purpose.TRACK, code)
    except ValidationError as wrong:
        tracking.count_code_failure(request)
        raise exceptions.NotFound(tracking.no_match_message()) from wrong
    return case


def _owner(request) -> str:
    key = request.auth
    if key is not None and hasattr(key, "pk"):
        return f"key-{key.pk}"
    if request.user.is_authenticated:
        return f"user-{request.user.pk}"
    ip = ratelimit.client_ip(request)
    return "ip-" + hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()[:32]


def _fingerprint(request) -> str:
    """A hash of what was sent: the fields and each photo's bytes."""
    digest = hashlib.sha256()
    data = request.data
    fields = (
        {k: v for k, v in data.lists() if k not in request.FILES}
        if hasattr(data, "lists")
        else data
    )
    digest.update(json.dumps(fields, sort_keys=True, default=str).encode())
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def _idempotency_key(request) -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > IDEMPOTENCY_KEY_LENGTH or not key.isprintable():
        raise exceptions.ValidationError(
            {"Idempotency-Key": [_("Give at most 255 printable characters.")]}
        )
    return key


def prune_idempotency_records() -> int:
    """Forget answers older than a day (also a periodic job, so that a quiet API forgets too)."""
    old = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - IDEMPOTENCY_KEPT)
    return old.delete()[0]


def _replay(owner: str, key: str, fingerprint: str) -> dict | None:
    record = IdempotencyRecord.objects.filter(
        owner=owner, key=key, created_at__gte=timezone.now() - IDEMPOTENCY_KEPT
    ).first()
    if record is None:
        return None
    if record.fingerprint != fingerprint:
        raise IdempotencyConflict()
    return record.response


def _is_partner(request) -> bool:
    key = request.auth
    return (
        key is not None
        and getattr(key, "is_application", False)
        and key.has_scope(Scope.SUBMIT.value)
    )


class CitizenView(RequestedLanguageMixin, views.APIView):
    permission_classes = [AllowAny]


ERROR_409 = OpenApiResponse(ErrorSerializer, description="The case's status does not allow it.")


# --- views ---------------------------------------------------------------------------------------


class SubmitCase(CitizenView):
    @extend_schema(
        tags=TAG,
        summary="Leave a message (码上找代表)",
        description=(
            "Creates a draft and sends a 6-digit code by SMS; POST it to verify_url. An "
            "application key with the cases:submit scope files a verified case instead (the "
            "partner vouches for the phone and the privacy notice). With an Idempotency-Key "
            "header a retry within 24 hours gets the same answer and creates nothing."
        ),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key", str, OpenApiParameter.HEADER, description="At most 255 chars."
            )
        ],
        request={
            "application/json": SubmitSerializer,
            "multipart/form-data": SubmitSerializer,
        },
        responses={
            201: SubmitResultSerializer,
            409: OpenApiResponse(
                ErrorSerializer, description="idempotency_conflict: the key was used before."
            ),
            413: OpenApiResponse(ErrorSerializer, description="The photos are too large."),
        },
    )
    def post(self, request):
        if int(request.META.get("CONTENT_LENGTH") or 0) > settings.MESSAGE_UPLOAD_MAX_BYTES + 2**20:
            raise TooLarge()
        idempotency_key = _idempotency_key(request)
        owner = _owner(request)
        fingerprint = _fingerprint(request) if idempotency_key else ""
        if idempotency_key:
            replayed = _replay(owner, idempotency_key, fingerprint)
            if replayed is not None:
                return Response(replayed, status=status.HTTP_201_CREATED)
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        partner = _is_partner(request)
        ip = ratelimit.client_ip(request)
        if ratelimit.MESSAGES_PER_PHONE.exceeded(data["citizen_phone"]) or (
            not partner and ratelimit.MESSAGES_PER_IP.exceeded(ip)
        ):
            raise _too_many(
                _("Too many messages were sent from this phone number or this network.")
            )
        if not idempotency_key:
            # Without a key there is nothing to write beside the case: submit_case's own
            # transaction, no savepoints.
            body = self._body(request, self._submit(request, data, partner), partner)
        else:
            try:
                with transaction.atomic():
                    body = self._body(request, self._submit(request, data, partner), partner)
                    prune_idempotency_records()
                    IdempotencyRecord.objects.create(
                        owner=owner,
                        key=idempotency_key,
                        fingerprint=fingerprint,
                        tracking_number=body["tracking_number"],
                        response=body,
                    )
            except IntegrityError:
                # The same key was used at the same moment by a concurrent request, which won.
                replayed = _replay(owner, idempotency_key, fingerprint)
                if replayed is None:
                    raise
                return Response(replayed, status=status.HTTP_201_CREATED)
        ratelimit.MESSAGES_PER_PHONE.hit(data["citizen_phone"])
        if not partner:
            ratelimit.MESSAGES_PER_IP.hit(ip)
        return Response(body, status=status.HTTP_201_CREATED)

    def _body(self, request, case: Case, partner: bool) -> dict:
        return {
            "tracking_number": case.tracking_number,
            "status": case.status if partner else AWAITING,
            "verify_url": None
            if partner
            else request.build_absolute_uri(
                reverse("api:case-verify", args=[case.tracking_number])
            ),
            "tracking_url": links.tracking_url(case),
        }

    def _submit(self, request, data, partner: bool) -> Case:
        key = request.auth
        case = services.submit_case(
            channel=Channel.API if partner else Channel.ONLINE,
            station=data["station"],
            deputy=data["deputy"],
            category=data["category"],
            title=data["title"],
            description=data["description"],
            location_text=data.get("location_text", ""),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            citizen_name=data.get("citizen_name", ""),
            citizen_phone=data["citizen_phone"],
            confidential=data["confidential"],
            public_consent=data["public_consent"],
            privacy_accepted=data["privacy_accepted"],
            photos=[
                ContentFile(content, name=f"photo-{n}.jpg")
                for n, content in enumerate(data.get("photos") or [], start=1)
            ],
            verify_phone=not partner,
            privacy_consent={
                "how": "api",
                "api_key": key.prefix,
                "application": key.name,
                # The partner confirmed the phone and the privacy notice with the citizen.
                "vouched_by_partner": ["phone", "privacy_notice"],
            }
            if partner
            else None,
            # The draft and its code in one transaction.
            then=None if partner else verification.send_verification_code,
        )
        return case


class CodeSentSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    resend_after = serializers.IntegerField(help_text="Seconds before a new code may be asked.")


def _send_code(case: Case, purpose: str) -> None:
    """verification.send_code with its refusals as 429: Retry-After is the wait until a new code
    may be asked (the page's one minute), or an hour when the phone's daily limit is reached."""
    try:
        verification.send_code(case, purpose)
    except ValidationError as invalid:
        wait = verification.seconds_until_resend(case, purpose)
        raise exceptions.Throttled(
            wait=wait or ratelimit.HOUR, detail=" ".join(invalid.messages)
        ) from invalid


def _code_sent(number: str) -> Response:
    body = {
        "tracking_number": number,
        "resend_after": int(phonecodes.RESEND_AFTER.total_seconds()),
    }
    return Response(body, status=status.HTTP_202_ACCEPTED)


def _draft_or_404(tracking_number: str) -> Case:
    case = Case.objects.filter(
        tracking_number=digits(tracking_number)[:10],
        channel=Channel.ONLINE,
        phone_verified_at__isnull=True,
    ).first()
    if case is None:
        raise exceptions.NotFound()
    return case


class ResendCode(CitizenView):
    @extend_schema(
        tags=TAG,
        summary="Send a new SMS code for an unconfirmed message",
        description="As the confirmation page's resend button: a new code after a minute, a "
        "limited number a day (429 with Retry-After). 404 unless the case is a draft awaiting "
        "its phone's confirmation.",
        request=None,
        responses={202: CodeSentSerializer},
    )
    def post(self, request, tracking_number):
        case = _draft_or_404(tracking_number)
        _send_code(case, verification.Purpose.VERIFY)
        return _code_sent(case.tracking_number)


class TrackingCode(CitizenView):
    @extend_schema(
        tags=TAG,
        summary="Send an SMS code that opens tracking (instead of the last 4 digits)",
        description="The same 202 and body whether or not the number exists, has a mobile, or "
        "was sent a code within the minute (it must not tell which numbers are real): a code "
        "is sent only to the case's own mobile, at most one a minute and a limited number a "
        "day. Then GET the case with ?code=. 429 (depending on the client only) after too many "
        "requests or failed tries from the same address. Wrong last-4 digits never close this "
        "way for the owner.",
        request=None,
        responses={202: CodeSentSerializer},
    )
    def post(self, request, tracking_number):
        number = digits(tracking_number)[:10]
        if tracking.code_requests_blocked(request):
            raise _too_many(_("Too many requests from this address. Please try again later."))
        tracking.send_tracking_code(request, number)
        return _code_sent(number)


class VerifyCase(CitizenView):
    @extend_schema(
        tags=TAG,
        summary="Confirm the phone with the SMS code",
        request=CodeSerializer,
        responses={200: StatusSerializer},
    )
    def post(self, request, tracking_number):
        case = _draft_or_404(tracking_number)
        serializer = CodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = verification.verify_case_phone(case, serializer.validated_data["code"])
        return Response(_status(case))


LAST4_PARAMETERS = [
    OpenApiParameter(
        "phone_last4", {"type": "string", "pattern": r"^\d{4}$"}, description="Or the header."
    ),
    OpenApiParameter(
        "X-Phone-Last4",
        {"type": "string", "pattern": r"^\d{4}$"},
        OpenApiParameter.HEADER,
        description="The phone's last 4 digits (instead of the query parameter).",
    ),
]


class TrackCase(CitizenView):
    @extend_schema(
        tags=TAG,
        summary="Track a case (the citizen's view)",
        description="Opened with the phone's last 4 digits, or with a code from POST "
        "…/tracking-code (each code opens it once); a wrong number, wrong digits or a wrong "
        "code all answer 404, and repeated failures 429.",
        parameters=[
            *LAST4_PARAMETERS,
            OpenApiParameter(
                "code",
                {"type": "string", "pattern": r"^\d{6}$"},
                description="The SMS code from POST …/tracking-code (instead of phone_last4).",
            ),
        ],
        responses={200: TrackSerializer},
    )
    def get(self, request, tracking_number):
        last4 = request.query_params.get("phone_last4") or request.headers.get("X-Phone-Last4")
        code = request.query_params.get("code", "")
        if re.fullmatch(r"\d{4}", last4 or ""):
            case = _opened_case(request, tracking_number, last4)
        elif re.fullmatch(r"\d{6}", code):
            case = _opened_with_code(request, tracking_number, code)
        else:
            # Without the digits nothing is opened (and no failure is counted).
            raise exceptions.NotFound(tracking.no_match_message())
        return Response(TrackSerializer(_track_body(case)).data)


class SupplementCase(CitizenView):
    @extend_schema(
        tags=TAG,
        summary="Add the information asked for",
        request=SupplementSerializer,
        responses={200: StatusSerializer, 409: ERROR_409},
    )
    def post(self, request, tracking_number):
        serializer = SupplementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = _opened_case(request, tracking_number, data["phone_last4"])
        return Response(_status(services.supplement_case(case, text=data["text"])))


class WithdrawCase(CitizenView):
    @extend_schema(
        tags=TAG,
        summary="Withdraw an open case",
        request=WithdrawSerializer,
        responses={200: StatusSerializer, 409: ERROR_409},
    )
    def post(self, request, tracking_number):
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = _opened_case(request, tracking_number, data["phone_last4"])
        return Response(_status(services.withdraw_case(case, reason=data.get("reason", ""))))


class RateCase(CitizenView):
    @extend_schema(
        tags=TAG,
        summary="Rate the answer (满意 / 基本满意 / 不满意)",
        description="With the token of the rating link sent by SMS (also in the tracking view).",
        request=RateSerializer,
        responses={200: StatusSerializer, 409: ERROR_409},
    )
    def post(self, request, tracking_number):
        serializer = RateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        number = links.tracking_number_from_rating_token(data["token"])
        case = tracking.find_case(number) if number else None
        if case is None or number != digits(tracking_number):
            raise exceptions.NotFound()
        case = services.rate_case(
            case, rating=data["rating"], comment=data.get("comment", ""), via="api"
        )
        return Response(_status(case))
