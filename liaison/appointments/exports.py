"""The staff booking list's export (core/exports.py, docs/exports.md): the list's own filter form,
the phone masked as on the list."""

from django.utils.translation import gettext_lazy as _

from liaison.core import exports
from liaison.core.permissions import restrict
from liaison.directory.models import Station

from . import selectors
from .forms import StaffFilterForm

C = exports.Column


@exports.register("appointments", filename="appointments", permission="appointment.view")
def appointments(user, params) -> exports.Prepared:
    stations = restrict(Station.objects.all(), user, "change").order_by("name")
    form = StaffFilterForm(params, stations=stations)
    if not form.is_valid():
        raise exports.refused(form)
    data = form.cleaned_data
    rows = selectors.filtered(
        selectors.visible_appointments(user),
        station=data.get("station"),
        day=data.get("day"),
        status=data.get("status", ""),
        q=data.get("q", ""),
        sort=data.get("sort") or "date",
    )
    columns = [
        C(_("Booking code"), lambda a: a.code),
        C(_("Date"), lambda a: a.date),
        C(_("From"), lambda a: a.start_time.strftime("%H:%M")),
        C(_("Until"), lambda a: a.end_time.strftime("%H:%M")),
        C(_("Station"), lambda a: a.station.name),
        C(_("Deputy"), lambda a: a.deputy.name if a.deputy else ""),
        C(_("Name"), lambda a: a.name),
        C(_("Phone"), lambda a: a.masked_phone),
        C(_("Topic"), lambda a: a.topic),
        C(_("Status"), lambda a: a.get_status_display()),
    ]
    filters = exports.described(data)
    return exports.Prepared(rows, columns, filters)
