from django.urls import path

from . import views

app_name = "budget"
urlpatterns = [
    path("budget/", views.budget_list, name="list"),
    path("budget/template.xlsx", views.template, name="template"),
    path("budget/<int:pk>/", views.budget_detail, name="detail"),
    path("budget/<int:pk>/departments/<int:department>/", views.department, name="department"),
    path("budget/<int:pk>/ask/", views.ask, name="ask"),
    path("staff/budget/new/", views.create, name="create"),
    path("staff/budget/<int:pk>/import/", views.import_table, name="import"),
    path("staff/budget/<int:pk>/flags/", views.flags, name="flags"),
    path("staff/budget/questions/<int:question>/reply/", views.reply, name="reply"),
]
