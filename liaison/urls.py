from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from liaison.core import views as core_views
from liaison.directory import admin_import

admin.site.site_header = _("Liaison administration")
admin.site.site_title = _("Liaison")
admin.site.index_title = _("Deputy liaison stations")

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    # First, the pages citizens open most (the QR code's page, the tracking page): Django tries
    # the patterns in order, ≈ 100 of them before these otherwise. None of the others matches
    # their paths (tests/core/test_url_order.py).
    path("", include("liaison.cases.public_urls")),
    path("", include("liaison.directory.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("display/", core_views.set_display, name="set-display"),
    path("accounts/tokens/", include("liaison.api.urls_tokens")),
    path("accounts/", include("liaison.accounts.urls")),
    path("api/v1/", include("liaison.api.urls")),
    path(
        "admin/directory/import/",
        admin.site.admin_view(admin_import.import_view),
        name="directory-import",
    ),
    # The admin's own login would skip the two-factor step: use the staff login.
    path("admin/login/", core_views.admin_login_redirect),
    path("admin/", admin.site.urls),
    path("open311/v2/", include("liaison.open311.urls")),
    path("staff/inbox/", include("liaison.notifications.urls")),
    path("staff/exports/", include("liaison.core.export_urls")),
    path("", include("liaison.notifications.outbox_urls")),
    path("staff/receptions/", include("liaison.receptions.urls")),
    path("staff/activities/", include("liaison.activities.staff_urls")),
    path("staff/records/", include("liaison.records.urls")),
    path("staff/suggestions/", include("liaison.suggestions.urls")),
    path("staff/projects/", include("liaison.projects.urls")),
    path("staff/clues/", include("liaison.clues.urls")),
    path("staff/stats/", include("liaison.stats.staff_urls")),
    path("", include("liaison.appointments.urls")),
    path("", include("liaison.activities.public_urls")),
    path("", include("liaison.records.public_urls")),
    path("", include("liaison.suggestions.public_urls")),
    path("", include("liaison.legislation.urls")),
    path("", include("liaison.budget.urls")),
    path("", include("liaison.projects.public_urls")),
    path("", include("liaison.stats.public_urls")),
    path("staff/", include("liaison.cases.staff_urls")),
]

if settings.SERVE_MEDIA:
    # Only deputies' photos are public; citizens' photos are served by the tracking page to whoever
    # unlocked it. A front web server may serve /media/deputies/ instead (SERVE_MEDIA=0).
    urlpatterns += [
        re_path(r"^media/deputies/(?P<path>.*)$", core_views.deputy_photo),
    ]

# Each answers in the surface's format: JSON under /api/, Open311 errors, else a page.
handler400 = "liaison.error_views.bad_request"
handler403 = "liaison.error_views.permission_denied"
handler404 = "liaison.error_views.page_not_found"
handler500 = "liaison.error_views.server_error"
