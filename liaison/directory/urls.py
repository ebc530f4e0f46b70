from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("stations/", views.home, name="station-list"),
    path("deputies/", views.find_deputy, name="find-deputy"),
    # The short, permanent URLs that QR codes encode: /s/<code>/ and /d/<code>/.
    path("s/<str:code>/", views.station_detail, name="station"),
    path("s/<str:code>/qr.svg", views.station_qr, {"fmt": "svg"}, name="station-qr-svg"),
    path("s/<str:code>/qr.png", views.station_qr, {"fmt": "png"}, name="station-qr-png"),
    path("s/<str:code>/signs.pdf", views.station_signs, name="station-signs"),
    path("d/<str:code>/", views.deputy_detail, name="deputy"),
    path("d/<str:code>/qr.svg", views.deputy_qr, {"fmt": "svg"}, name="deputy-qr-svg"),
    path("d/<str:code>/qr.png", views.deputy_qr, {"fmt": "png"}, name="deputy-qr-png"),
    path("d/<str:code>/sign.pdf", views.deputy_sign, name="deputy-sign"),
]
