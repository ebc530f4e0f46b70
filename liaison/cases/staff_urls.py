"""Staff pages: queues, case detail and every action of the workflow."""

from django.urls import path

from . import grid_entry, hotspot_views, staff_entry, staff_views

app_name = "staff"
urlpatterns = [
    path("cases/", staff_views.queue, name="case-queue"),
    path("hotspots/<int:pk>/", hotspot_views.hotspot, name="hotspot"),
    path(
        "cases/filter-choices/<str:kind>/",
        staff_views.filter_choices,
        name="case-filter-choices",
    ),
    path("cases/new/", staff_entry.new_case, name="case-new"),
    path("cases/new/grid/", grid_entry.new_grid_case, name="case-new-grid"),
    path("cases/<str:tracking_number>/", staff_views.detail, name="case-detail"),
    path("cases/<str:tracking_number>/phone/", staff_views.reveal_phone, name="case-phone"),
    path(
        "cases/<str:tracking_number>/reply-letter/",
        staff_views.reply_letter,
        name="case-reply-letter",
    ),
    path(
        "cases/<str:tracking_number>/attachments/<int:pk>/",
        staff_views.result_attachment,
        name="case-attachment",
    ),
    path(
        "cases/<str:tracking_number>/photos/<int:pk>/",
        staff_views.photo_original,
        name="case-photo",
    ),
    path(
        "cases/<str:tracking_number>/photos/<int:pk>/thumbnail/",
        staff_views.photo_thumbnail,
        name="case-photo-thumbnail",
    ),
    path(
        "cases/<str:tracking_number>/related/",
        staff_views.link_related,
        name="case-link",
    ),
    path(
        "cases/<str:tracking_number>/related/<str:other>/unlink/",
        staff_views.unlink_related,
        name="case-unlink",
    ),
    path("cases/<str:tracking_number>/<slug:action>/", staff_views.act, name="case-action"),
]
