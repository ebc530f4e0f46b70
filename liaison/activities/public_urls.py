from django.urls import path

from . import views

app_name = "activities_public"
urlpatterns = [
    path("activities/", views.public_list, name="public-list"),
    path("a/<str:code>/", views.public_detail, name="public-detail"),
    path("s/<str:code>/activities.ics", views.station_ics, name="station-ics"),
]
