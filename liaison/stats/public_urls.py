from django.urls import path

from . import views

app_name = "stats_public"
urlpatterns = [
    path("stats/", views.public, name="page"),
    path("stats/open-data/", views.open_data, name="open-data"),
    path("stats/open-data/<str:name>", views.open_data_file, name="open-data-file"),
]
