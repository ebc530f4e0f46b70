"""The case list's export (core/exports.py, docs/exports.md): the queue's own filter
(filters.CaseFilter), the citizen's name by the one rule of selectors.citizen_name, the phone
always masked, as on the queue and the staff API."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core import exports

from . import selectors
from .filters import CaseFilter
from .models import Case

C = exports.Column


@exports.register("cases", filename="cases", permission="case.view")
def cases(user, params) -> exports.Prepared:
    form = CaseFilter(params, user=user)
    if not form.is_valid():
        raise exports.refused(form)
    now = timezone.now()
    columns = [
        C(_("Tracking number"), lambda c: c.tracking_number),
        C(_("Received at"), lambda c: c.created_at),
        C(_("Channel"), exports.label(Case, "channel")),
        C(_("Station"), lambda c: c.station.name),
        C(_("Deputy"), lambda c: c.deputy.name if c.deputy else ""),
        C(_("Category"), lambda c: c.category.name if c.category else ""),
        C(_("Title"), lambda c: c.title),
        C(_("Status"), exports.label(Case, "status")),
        C(_("Due"), lambda c: c.due_at),
        C(_("Overdue"), lambda c: not c.is_final and c.due_at is not None and c.due_at < now),
        C(_("Citizen's name"), lambda c: selectors.citizen_name(c, user)),
        C(_("Phone"), lambda c: c.masked_phone),
        C(_("Rating"), exports.label(Case, "rating")),
        C(_("Closed at"), lambda c: c.closed_at),
    ]
    return exports.Prepared(form.cases(now=now), columns, form.described())
