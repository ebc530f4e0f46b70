"""The reception registrations' export (core/exports.py, docs/exports.md): the visits of the
account's scope with the list's filters, the visitor's phone masked as on the list, each
matter's case number."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from liaison.core import exports

from . import selectors
from .forms import VisitFilter
from .models import VisitMatter

C = exports.Column


@exports.register("visits", filename="reception-visits", permission="case.enter")
def visits(user, params) -> exports.Prepared:
    form = VisitFilter(params, user=user)
    if not form.is_valid():
        raise exports.refused(form)
    matters = VisitMatter.objects.select_related("case").order_by("position")
    rows = form.visits(selectors.visible_visits(user)).prefetch_related(
        "deputies", Prefetch("matters", queryset=matters)
    )
    columns = [
        C(_("Received on"), lambda v: v.received_on),
        C(_("Station"), lambda v: v.station.name),
        C(_("Visitor's name"), lambda v: v.visitor_name),
        C(_("Phone"), lambda v: v.masked_phone),
        C(_("Deputies"), lambda v: "、".join(d.name for d in v.deputies.all())),
        C(_("Matters"), lambda v: len(v.matters.all())),
        C(_("Case numbers"), lambda v: " ".join(m.case.tracking_number for m in v.matters.all())),
    ]
    return exports.Prepared(rows, columns, {})
