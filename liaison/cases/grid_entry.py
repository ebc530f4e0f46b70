"""A grid worker files a case for a resident (网格员代为反映, docs/grid.md): the matter goes to
the station that covers the worker's grid cell, with the channel "grid worker". Like a phone call,
no SMS code: the worker met the resident and told them the privacy notice in person."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role
from liaison.core.errors import NotAllowed
from liaison.directory.models import Category

from . import services
from .models import Channel
from .staff_entry import StaffCaseForm, grouped

CONSENT_HOW = "told_in_person_by_grid_worker"  # 网格员当面告知


class GridCaseForm(StaffCaseForm):
    """The staff form without station, channel and deputy: the cell decides them."""

    def __init__(self, *args, user, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)
        for name in ("station", "channel", "deputy"):
            del self.fields[name]
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.fields["description"].label = _("What the resident raised")
        self.fields["citizen_name"].label = _("Resident's name")
        self.fields["citizen_phone"].label = _("Resident's mobile phone")
        self.fields["citizen_landline"].label = _("Resident's landline")
        self.fields["citizen_address"].label = _("Resident's postal address")
        self.fields["confidential"].label = _(
            "The resident asks to keep their identity confidential"
        )
        self.fields["privacy_accepted"].label = _(
            "I told the resident the privacy notice and they agreed"
        )


@login_required
def new_grid_case(request):
    """网格员代为反映 — one case from a resident of the grid worker's cell."""
    user = request.user
    if user.role != Role.GRID_WORKER or user.grid_cell_id is None:
        raise PermissionDenied(gettext("Only grid workers file cases from a grid cell."))
    cell = user.grid_cell
    form = GridCaseForm(request.POST or None, user=user)
    context = {"form": form, "cell": cell}
    if request.method != "POST":
        return render(request, "cases/staff/new_grid_case.html", context)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "privacy_accepted"}
        try:
            case = services.submit_case(
                **data,
                channel=Channel.GRID,
                station=cell.station,
                deputy=None,
                grid_cell=cell,
                privacy_accepted=True,
                privacy_consent={"how": CONSENT_HOW},
                actor=user,
            )
        except NotAllowed as refused:
            raise PermissionDenied(str(refused.message)) from refused
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                gettext("Case registered. Tracking number for the resident: %(number)s")
                % {"number": grouped(case.tracking_number)},
            )
            return redirect("staff:case-detail", tracking_number=case.tracking_number)
    return render(request, "cases/staff/new_grid_case.html", context, status=400)
