from django.urls import path

from . import views

app_name = "activities_public"
urlpatterns = [
    path("activities/", views.public_list, name="public-list"),
    path("a/<str:code>/", views.public_detail, name="public-detail"),
    path("a/<str:code>/confirm/", views.public_sign_up_confirm, name="sign-up-confirm"),
    # What the venue's QR code encodes: the activity's public code and its secret check-in code.
    path("a/<str:code>/check-in/<str:token>/", views.public_check_in, name="check-in"),
    path("s/<str:code>/activities.ics", views.station_ics, name="station-ics"),
    path("s/<str:code>/calendar/", views.station_calendar, name="station-calendar"),
    path("s/<str:code>/programme/", views.station_programme, name="station-programme"),
    path("regions/<str:code>/activities.ics", views.region_ics, name="region-ics"),
    path("regions/<str:code>/calendar/", views.region_calendar, name="region-calendar"),
    path("regions/<str:code>/programme/", views.region_programme, name="region-programme"),
]
