"""The site's URLs plus three that fail on purpose, for the error page tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from liaison.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def crash(request):
    raise RuntimeError("a bug")


def forbidden(request):
    raise PermissionDenied("You can print the signs of your own stations only.")


urlpatterns = [
    path("test-crash/", crash),
    path("test-forbidden/", forbidden),
    *urlpatterns,
]
