from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/download", views.report_download, name="report-download"),
]
