from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
