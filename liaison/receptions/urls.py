"""Staff pages of receptions, under /staff/receptions/."""

from django.urls import path

from . import views, views_days

app_name = "receptions"
urlpatterns = [
    path("", views.visit_list, name="visit-list"),
    path("new/", views.visit_new, name="visit-new"),
    path("days/", views_days.reception_days, name="reception-days"),
    path("my-duties/", views_days.my_duties, name="my-duties"),
    path("<int:pk>/", views.visit_detail, name="visit-detail"),
    path("<int:pk>/print/", views.visit_print, name="visit-print"),
]
