"""Staff pages of the suggestions, under /staff/suggestions/."""

from django.urls import path

from . import views

app_name = "suggestions"
urlpatterns = [
    path("", views.suggestion_list, name="list"),
    path("assignments/", views.assignment_list, name="assignments"),
    path("outcomes/", views.outcome_list, name="outcomes"),
    path("new/", views.edit, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/related/<str:op>/", views.relate, name="relate"),
    path("<int:pk>/<slug:action>/", views.act, name="action"),
]
