from django.urls import path

from . import views, views_plan

app_name = "activities"
urlpatterns = [
    path("", views.staff_list, name="staff-list"),
    path("new/", views.staff_edit, name="staff-new"),
    path("plan/", views_plan.staff_plan, name="staff-plan"),
    path("<int:pk>/", views.staff_detail, name="staff-detail"),
    path("<int:pk>/edit/", views.staff_edit, name="staff-edit"),
    path("<int:pk>/record/", views.staff_hold, name="staff-hold"),
    path("<int:pk>/opinions/", views.staff_opinion, name="staff-opinion"),
    path("<int:pk>/guests/", views.staff_guests, name="staff-guests"),
    path("<int:pk>/check-in-code/", views.staff_checkin_sheet, name="staff-checkin-sheet"),
    path("<int:pk>/check-in-code.png", views.staff_checkin_png, name="staff-checkin-png"),
    path("<int:pk>/photos/<int:photo>.jpg", views.staff_photo, name="staff-photo"),
    path(
        "<int:pk>/photos/<int:photo>/remove/",
        views.staff_photo_remove,
        name="staff-photo-remove",
    ),
    # Last: the POST-only state changes (announce, cancel).
    path("<int:pk>/<slug:action>/", views.staff_action, name="staff-action"),
]
