from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.staff_list, name="staff-list"),
    path("new/", views.staff_edit, name="staff-new"),
    path("<int:pk>/", views.staff_detail, name="staff-detail"),
    path("<int:pk>/edit/", views.staff_edit, name="staff-edit"),
    path("<int:pk>/<slug:action>/", views.staff_action, name="staff-action"),
]
