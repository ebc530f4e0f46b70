from django.urls import path  # noqa: F401

app_name = "suggestions_public"
urlpatterns: list = []
