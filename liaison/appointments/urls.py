"""Online appointments (线上预约): the citizen's pages; the staff's under staff/appointments/."""

from django.urls import path

from . import views

app_name = "appointments"
urlpatterns = [
    path("s/<str:code>/book/", views.book, name="book"),
    path("book/confirm/", views.confirm, name="confirm"),
    path("book/done/", views.done, name="done"),
    path("booking/", views.lookup, name="lookup"),
    path("booking/<str:code>/", views.manage, name="manage"),
    path("staff/appointments/", views.staff_list, name="staff-list"),
    path("staff/appointments/<int:pk>/", views.staff_detail, name="staff-detail"),
    path("staff/appointments/<int:pk>/action/", views.staff_action, name="staff-action"),
]
