"""One error body for the whole API, an RFC 9457 problem document that keeps our first shape:

    {"type": "urn:liaison:error:not_found", "title": "Not Found", "status": 404,
     "detail": "…in the requested language…",
     "error": {"code": "not_found", "message": "…the same…", "field": null}}

Every error under /api/ has it, also those Django answers before a view runs (an unknown path, a
NUL character, a body too large, a crash): liaison/error_views.py calls `problem_response`.

Messages are in the language of Accept-Language (zh-hans when absent). The codes are DRF's
default codes ("not_authenticated", "permission_denied", "not_found", "throttled", …), "invalid"
for bad input, and the domain errors' own codes ("transition_refused", "concurrent_change",
"not_allowed").
"""

import json
from http import HTTPStatus

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext, trans_real
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from liaison.core.errors import DomainError, NotAllowed


def requested_language(request) -> str:
    """The first supported language of Accept-Language, else what the site chose (zh-hans)."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "") if request is not None else ""
    for code, _quality in trans_real.parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return translation.get_language() or "zh-hans"


class RequestedLanguageMixin:
    """Speak the client's Accept-Language for the whole request (errors are worded when raised),
    and refuse a query parameter the schema does not allow once the client is known to be let in
    or a body field of another JSON type (liaison/api/schema_check.py): every view of the API has
    this mixin."""

    def initial(self, request, *args, **kwargs):
        from .schema_check import check_request  # the schema is built from these views

        super().initial(request, *args, **kwargs)
        check_request(request)

    def dispatch(self, request, *args, **kwargs):
        with translation.override(requested_language(request)):
            response = super().dispatch(request, *args, **kwargs)
            response["Content-Language"] = translation.get_language()
            return response


def error_body(code: str, message, field: str | None = None, status: int = 400) -> dict:
    message = force_str(message)
    return {
        "type": f"urn:liaison:error:{code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": message,
        "error": {"code": code, "message": message, "field": field},
    }


def problem_response(request, status: int, code: str, message, field=None) -> HttpResponse:
    """A problem document outside DRF (Django's own 400/404/500 handlers), in Accept-Language."""
    with translation.override(requested_language(request)):
        body = error_body(code, message, field, status)
        language = translation.get_language()
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )
    response["Content-Language"] = language
    return response


def _first_error(detail, field=None) -> tuple[str | None, str]:
    if isinstance(detail, dict):
        name, value = next(iter(detail.items()))
        if name in ("non_field_errors", "__all__"):
            name = None
        nested = name if field is None else f"{field}.{name}" if name else field
        return _first_error(value, nested)
    if isinstance(detail, list) and detail:
        return _first_error(detail[0], field)
    return field, force_str(detail)


def too_large_message() -> str:
    return gettext("The request body is too large.")


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail)
    if isinstance(exc, RequestDataTooBig):
        http = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        return Response(error_body("too_large", too_large_message(), status=http), status=http)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, DomainError):
        # TransitionRefused and ConcurrentChange: the case is not in a state that allows it.
        http = (
            status.HTTP_403_FORBIDDEN if isinstance(exc, NotAllowed) else status.HTTP_409_CONFLICT
        )
        return Response(error_body(exc.code, exc.message, status=http), status=http)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        field, message = _first_error(exc.detail)
        response.data = error_body("invalid", message, field, response.status_code)
        return response
    code = getattr(exc, "default_code", "error")
    detail = getattr(exc, "detail", exc)
    if isinstance(detail, dict | list):
        _field, detail = _first_error(detail)
    response.data = error_body(code, detail, status=response.status_code)
    if request is not None:
        response["Content-Language"] = requested_language(request)
    return response
