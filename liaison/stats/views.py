"""Statistics pages (thin): the staff dashboard /staff/stats/ and the public page /stats/.
Both read the rollup only (figures.py), scoped by selectors.py."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext

from liaison.core.errors import NotAllowed
from liaison.core.permissions import may_at_all

from . import figures, opendata, selectors
from .forms import PeriodForm


def _page(request, template, rows_for, *, public: bool):
    form = PeriodForm(request.GET or None)
    found, status = None, 200
    if not request.GET or form.is_valid():
        if not request.GET:
            form = PeriodForm({})
            form.is_valid()
        data = form.cleaned_data
        try:
            rows = rows_for(data["region"], data["station"])
        except NotAllowed as refused:
            # Said on the page, with the form to choose again; no figure of that place.
            form.add_error(None, str(refused))
            status = 403
        else:
            found = figures.compute(rows, data["start"], data["end"])
    else:
        status = 400
    context = {"form": form, "figures": found, "public": public}
    return render(request, template, context, status=status)


@login_required
def dashboard(request):
    user = request.user
    if not may_at_all(user, "casefigure.view"):
        raise PermissionDenied(gettext("Your account has no statistics to see."))
    return _page(
        request,
        "stats/staff/dashboard.html",
        lambda region, station: selectors.staff_rows(user, region, station),
        public=False,
    )


def public(request):
    return _page(request, "stats/public/stats.html", selectors.public_rows, public=True)


def open_data(request):
    """The monthly open data files (docs/open-data.md), newest first."""
    return render(request, "stats/public/open_data.html", {"months": opendata.published()})


def open_data_file(request, name):
    stored = opendata.open_file(name)
    if stored is None:
        raise Http404(gettext("There is no open data file of this name."))
    content_type = "text/csv; charset=utf-8" if name.endswith(".csv") else "application/json"
    return FileResponse(stored, as_attachment=True, filename=name, content_type=content_type)
