from django.urls import path

from . import views_public, views_staff

app_name = "legislation"
urlpatterns = [
    path("legislation/", views_public.draft_list, name="list"),
    path("legislation/reports/", views_public.deputy_reports, name="reports"),
    path("legislation/<int:pk>/", views_public.draft_detail, name="draft"),
    path("legislation/<int:pk>/comment/", views_public.comment, name="comment"),
    path(
        "legislation/<int:pk>/articles/<int:article>/comment/",
        views_public.comment,
        name="comment-article",
    ),
    path("legislation/<int:pk>/opinions/", views_public.opinions, name="opinions"),
    path(
        "legislation/<int:pk>/articles/<int:article>/",
        views_public.opinions,
        name="article-opinions",
    ),
    path("legislation/confirm/", views_public.confirm, name="confirm"),
    path("legislation/sent/", views_public.sent, name="sent"),
    path("staff/legislation/", views_staff.staff_list, name="staff-list"),
    path("staff/legislation/new/", views_staff.staff_edit, name="staff-new"),
    path("staff/legislation/<int:pk>/", views_staff.staff_detail, name="staff-detail"),
    path("staff/legislation/<int:pk>/edit/", views_staff.staff_edit, name="staff-edit"),
    path("staff/legislation/<int:pk>/import/", views_staff.staff_import, name="staff-import"),
    path("staff/legislation/<int:pk>/comments/", views_staff.staff_comments, name="staff-comments"),
    path(
        "staff/legislation/<int:pk>/comments/<int:comment>/<slug:action>/",
        views_staff.staff_comment_action,
        name="staff-comment-action",
    ),
    path("staff/legislation/<int:pk>/offline/", views_staff.staff_offline, name="staff-offline"),
    path(
        "staff/legislation/<int:pk>/report.<slug:fmt>",
        views_staff.staff_report,
        name="staff-report",
    ),
    path(
        "staff/legislation/<int:pk>/<slug:action>/",
        views_staff.staff_draft_action,
        name="staff-action",
    ),
]
