from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from liaison.core.permissions import restrict
from liaison.directory.models import Department, Deputy, Station

from .workspace import work_for


@login_required
def home(request):
    """工作台 — the staff workspace: what this account covers."""
    user = request.user
    stations = restrict(Station.objects.filter(is_active=True), user).select_related("region")
    deputies = restrict(Deputy.objects.filter(is_active=True), user)
    departments = restrict(Department.objects.filter(is_active=True), user)
    return render(
        request,
        "accounts/home.html",
        {
            "work": work_for(user),
            "stations": stations.order_by("name")[:50],
            "station_count": stations.count(),
            "deputies": deputies.order_by("name")[:50],
            "deputy_count": deputies.count(),
            "departments": departments.order_by("name")[:50],
            "department_count": departments.count(),
        },
    )
