from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notice_list, name="inbox"),
    path("<int:pk>/open/", views.open_notice, name="open"),
    path("read/", views.mark_all_read, name="read-all"),
    path("preferences/", views.preferences, name="preferences"),
]
