from django.urls import path

from . import views

app_name = "clues"
urlpatterns = [
    path("", views.staff_list, name="list"),
    path("new/case/<str:number>/", views.new_for_case, name="new-case"),
    path("new/suggestion/<int:pk>/", views.new_for_suggestion, name="new-suggestion"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
]
