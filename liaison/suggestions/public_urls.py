"""Public pages: answered suggestions and their rating (办理结果网上晒、网上评)."""

from django.urls import path

from . import views

app_name = "suggestions_public"
urlpatterns = [
    path("suggestions/", views.public_list, name="list"),
    path("suggestions/<str:number>/", views.public_detail, name="detail"),
]
