from django.urls import path

from . import views

app_name = "projects-public"
urlpatterns = [
    path("projects/", views.public_list, name="list"),
    path("projects/<int:pk>/", views.public_detail, name="detail"),
    path("projects/photos/<int:pk>.jpg", views.photo, name="photo"),
    path("projects/<int:pk>/rate/code/", views.rate_code, name="rate-code"),
    path("projects/<int:pk>/rate/", views.rate, name="rate"),
]
