from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("me/", views.my_record, name="me"),
    path("deputies/<int:pk>/", views.deputy_record, name="deputy"),
    path("deputies/<int:pk>/report.pdf", views.annual_report, name="report"),
    path("entries/", views.entry_list, name="entry-list"),
    path("entries/new/", views.entry_new, name="entry-new"),
    path("entries/<int:pk>/", views.entry_detail, name="entry-detail"),
    path(
        "entries/<int:pk>/<slug:decision>/",
        views.entry_decide,
        name="entry-decide",
    ),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
