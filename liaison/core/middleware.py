import re

from django.conf import settings
from django.http import QueryDict
from django.http.multipartparser import MultiPartParserError
from django.middleware.locale import LocaleMiddleware
from django.urls import get_resolver, get_urlconf
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .inputs import BadInput


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the visitor chose English with the language switch (a cookie).

    The browser's Accept-Language is not consulted: a phone set to English by a relative, or a
    test browser, would otherwise greet an elderly visitor in a language they did not choose.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else None
        except LookupError:
            language = None
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


# An escaped NUL in JSON text: "\u0000" after an even number of backslashes ("\\u0000" is the
# six characters \u0000, which is harmless).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_FORMS = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _nul_in(data) -> str | None:
    """The first key of a QueryDict (GET, POST, cookies) whose name or value holds a NUL."""
    for key, values in data.lists() if hasattr(data, "lists") else data.items():
        values = values if isinstance(values, list) else [values]
        if "\x00" in key or any("\x00" in str(value) for value in values):
            return key.replace("\x00", "")
    return None


def nul_field(request) -> str | None:
    """Where the request carries a NUL character: a parameter's name, "path", "body", or None."""
    if "\x00" in request.path_info:
        return "path"
    found = _nul_in(request.GET) or _nul_in(request.COOKIES)
    if found is not None:
        return found
    content_type = request.content_type or ""
    if content_type in _FORMS:
        if request.method == "POST":
            form = request.POST  # file names: Django drops non-printable characters itself
        elif content_type == "application/x-www-form-urlencoded":
            form = QueryDict(request.body, encoding=request.encoding)
        else:
            return None  # multipart outside POST: Django and DRF do not parse it
        return _nul_in(form)
    if content_type == "application/json" or content_type.endswith("+json"):
        body = request.body
        if b"\x00" in body or _JSON_NUL.search(body):
            return "body"
    return None


class RejectNulMiddleware:
    """No NUL character reaches a view (docs/design.md, "Bad input").

    PostgreSQL refuses text holding NUL (an error, so a 500), and no person types one. Checked
    here, once, for every URL: the path, the query string, cookies, form fields (urlencoded and
    multipart) and JSON bodies. The refusal is `BadInput`, answered by the root
    URLconf's `handler400` (liaison/error_views.py): an HTML page, the API's problem document or
    an Open311 error, each in its surface's language. Placed before the session and the user are
    read, so the database is never asked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            field = nul_field(request)
        except MultiPartParserError:
            return self.refuse(request, BadInput(_("The form data could not be read.")))
        if field is not None:
            message = _(
                "The request contains a NUL character (in %(field)s), which is not allowed."
            )
            return self.refuse(request, BadInput(message, field=field))
        return self.get_response(request)

    @staticmethod
    def refuse(request, exc):
        # The root URLconf's handler400 words it for the surface; answered here rather than
        # raised, so that a probe is not logged with a traceback.
        return get_resolver(get_urlconf()).resolve_error_handler(400)(request, exc)


# Powerful browser features no page of Liaison uses stay off, also for anything injected into a
# page. Geolocation is the exception, for this origin only: "nearby stations" and "add my phone's
# location" on the message form ask for it (liaison/static/liaison/nearby.js, location.js).
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "camera=()",  # photos come through <input type=file>, which this does not govern
        "display-capture=()",
        "geolocation=(self)",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "usb=()",
    ]
)


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header on every response (Django has no setting for it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
