"""Django's error handlers (liaison/urls.py), one per status, each answering in the format of the
surface the URL belongs to: the API's problem document under /api/, Open311's error list under
/open311/, an HTML page elsewhere. They also answer what fails before any view runs: an unknown
path, a NUL character (liaison/core/middleware.py), a body over the size limit, a crash.

They sit beside urls.py, above the apps, because they speak for several of them.
"""

from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from liaison.api.errors import problem_response, requested_language, too_large_message
from liaison.core import views as core_views
from liaison.core.inputs import BadInput
from liaison.open311.render import error as open311_error

API = "/api/"
OPEN311 = "/open311/"


def _open311_format(request) -> str:
    return "xml" if request.path.endswith(".xml") else "json"


def _bad_request_message(exception) -> str:
    if isinstance(exception, BadInput):
        return exception.message
    return gettext("The request could not be read.")


def bad_request(request, exception=None):
    too_large = isinstance(exception, RequestDataTooBig)
    status = 413 if too_large else 400
    if request.path.startswith(API):
        # Worded in the client's Accept-Language, as every API error is.
        with translation.override(requested_language(request)):
            if too_large:
                return problem_response(request, status, "too_large", too_large_message())
            field = exception.field if isinstance(exception, BadInput) else None
            message = _bad_request_message(exception)
            return problem_response(request, status, "invalid", message, field)
    message = _bad_request_message(exception)
    if request.path.startswith(OPEN311):
        return open311_error(_open311_format(request), status, message)
    return render(request, "400.html", {"message": message}, status=status)


def _api_problem(request, status, code, message):
    # Worded in the client's Accept-Language, as every API error is.
    with translation.override(requested_language(request)):
        return problem_response(request, status, code, str(message))


def permission_denied(request, exception=None):
    if request.path.startswith(API):
        return _api_problem(request, 403, "permission_denied", _("You do not have permission."))
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if request.path.startswith(API):
        return _api_problem(request, 404, "not_found", _("Not found."))
    return core_views.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API):
        return _api_problem(request, 500, "server_error", _("Something went wrong on our side."))
    if request.path.startswith(OPEN311):
        return open311_error(
            _open311_format(request), 500, gettext("Something went wrong on our side.")
        )
    return core_views.server_error(request)
