from django.urls import path

from . import export_views

app_name = "exports"
urlpatterns = [
    path("", export_views.mine, name="mine"),
    path("<int:pk>/", export_views.job, name="job"),
    path("<int:pk>/download/", export_views.download, name="download"),
    path("<slug:kind>/", export_views.start, name="start"),
]
