"""Staff pages: queues, case detail and every action of the workflow."""

from django.urls import path  # noqa: F401

app_name = "staff"
urlpatterns: list = []
