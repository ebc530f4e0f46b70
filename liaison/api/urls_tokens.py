from django.urls import path

from . import views_tokens

app_name = "api-tokens"

urlpatterns = [
    path("", views_tokens.tokens, name="list"),
    path("<int:pk>/revoke/", views_tokens.revoke, name="revoke"),
]
