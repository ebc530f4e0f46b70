from django.urls import path

from . import views

app_name = "stats_public"
urlpatterns = [path("stats/", views.public, name="page")]
