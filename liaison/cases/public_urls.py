"""Citizen pages: leave a message, track it, answer, rate, withdraw."""

from django.urls import path  # noqa: F401

app_name = "cases"
urlpatterns: list = []
