"""Statistics pages (thin): the staff dashboard /staff/stats/ and the public page /stats/.
Both read the rollup only (figures.py), scoped by selectors.py."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext

from liaison.core.errors import NotAllowed
from liaison.core.permissions import may_at_all

from . import figures, selectors
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
    if not public:
        # The department table's export (exports.py) takes the same period and place.
        context["querystring"] = request.GET.urlencode()
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
