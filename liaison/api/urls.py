from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from . import views

app_name = "api"

urlpatterns = [
    path("regions/", views.RegionList.as_view(), name="region-list"),
    path("stations/", views.StationList.as_view(), name="station-list"),
    path("stations/<str:public_code>/", views.StationDetail.as_view(), name="station-detail"),
    path("deputies/", views.DeputyList.as_view(), name="deputy-list"),
    path("deputies/<str:public_code>/", views.DeputyDetail.as_view(), name="deputy-detail"),
    path("departments/", views.DepartmentList.as_view(), name="department-list"),
    path("categories/", views.CategoryList.as_view(), name="category-list"),
    path(
        "calendar/add-working-days",
        views.AddWorkingDays.as_view(),
        name="calendar-add-working-days",
    ),
    path("calendar/<int:year>", views.CalendarYear.as_view(), name="calendar-year"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
