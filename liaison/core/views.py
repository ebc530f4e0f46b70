from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.static import serve

from .context_processors import DISPLAY_COOKIE, DISPLAY_OPTIONS, display_options


@never_cache
def healthz(request):
    """Liveness and readiness in one: 200 when the app can query its database, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse(
            {"status": "error", "database": "unavailable", "detail": exc.__class__.__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@require_POST
def set_display(request):
    """Toggle one display option (large type / high contrast); works as a plain form post."""
    options = display_options(request)
    option = request.POST.get("option", "")
    if option in DISPLAY_OPTIONS:
        options ^= {option}
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        DISPLAY_COOKIE,
        ",".join(sorted(options)),
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
    )
    return response


def favicon(request):
    """Browsers and link-preview robots ask for /favicon.ico whatever the page links to."""
    response = HttpResponseRedirect(static("liaison/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def deputy_photo(request, path):
    """Deputies' photos are public; the folder is the document root, so no path leaves it."""
    return serve(request, path, document_root=Path(settings.MEDIA_ROOT) / "deputies")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def admin_login_redirect(request):
    """The admin's login form signs in with a password alone; the staff login asks for the
    two-factor code too, so the admin sends people there."""
    from django.contrib.auth.views import redirect_to_login

    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/admin/"
    return redirect_to_login(next_url)
