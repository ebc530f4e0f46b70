"""Staff pages of receptions, under /staff/receptions/."""

from django.urls import path

from . import views, views_days

app_name = "receptions"
urlpatterns = [
    path("", views.visit_list, name="visit-list"),
    path("new/", views.visit_new, name="visit-new"),
    path("days/", views_days.reception_days, name="reception-days"),
    path("days/rules/", views_days.rule_list, name="rule-list"),
    path("days/rules/new/", views_days.rule_new, name="rule-new"),
    path("days/rules/<int:pk>/", views_days.rule_edit, name="rule-edit"),
    path("days/rules/<int:pk>/active/", views_days.rule_active, name="rule-active"),
    path("days/attendance/", views_days.attendance, name="attendance"),
    path("my-duties/", views_days.my_duties, name="my-duties"),
    path("<int:pk>/", views.visit_detail, name="visit-detail"),
    path("<int:pk>/print/", views.visit_print, name="visit-print"),
]
