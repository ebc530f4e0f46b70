"""Statistics pages (thin): the staff dashboard /staff/stats/ and the public page /stats/.
Both read the rollups (overview.py), scoped by selectors.py."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from liaison.core.errors import NotAllowed
from liaison.core.permissions import may_at_all
from liaison.workdays.deadlines import local_day

from . import overview, selectors
from .forms import PeriodForm


def _page(request, template, sources_for, *, public: bool):
    form = PeriodForm(request.GET or None)
    found, status = None, 200
    if not request.GET or form.is_valid():
        if not request.GET:
            form = PeriodForm({})
            form.is_valid()
        data = form.cleaned_data
        try:
            sources = sources_for(data["region"], data["station"], data["end"].year)
        except NotAllowed as refused:
            # Said on the page, with the form to choose again; no figure of that place.
            form.add_error(None, str(refused))
            status = 403
        else:
            found = overview.compute(
                sources,
                data["start"],
                data["end"],
                today=local_day(timezone.now()),
                public=public,
            )
    else:
        status = 400
    context = {
        "form": form,
        "overview": found,
        "figures": found.cases if found else None,
        "public": public,
    }
    return render(request, template, context, status=status)


@login_required
def dashboard(request):
    user = request.user
    if not may_at_all(user, "casefigure.view"):
        raise PermissionDenied(gettext("Your account has no statistics to see."))
    return _page(
        request,
        "stats/staff/dashboard.html",
        lambda region, station, year: selectors.staff_sources(user, region, station, year),
        public=False,
    )


def public(request):
    return _page(request, "stats/public/stats.html", selectors.public_sources, public=True)
