"""The reception registrations' export (core/exports.py, docs/exports.md): the visits of the
account's scope, the visitor's phone masked as on the list, each matter's case number."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from liaison.core import exports

from . import selectors
from .models import VisitMatter

C = exports.Column


@exports.register("visits", filename="reception-visits", permission="case.enter")
def visits(user, params) -> exports.Prepared:
    matters = VisitMatter.objects.select_related("case").order_by("position")
    rows = (
        selectors.visible_visits(user)
        .prefetch_related("deputies", Prefetch("matters", queryset=matters))
        .order_by("-received_on", "-id")
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
