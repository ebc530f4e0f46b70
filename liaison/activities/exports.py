"""The staff activity list's export with attendance (core/exports.py, docs/exports.md): the list's
own filter form; counts only, no participant's name or phone."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from liaison.core import exports

from . import selectors
from .forms import StaffListForm

C = exports.Column


@exports.register("activities", filename="activities", permission="activity.view")
def activities(user, params) -> exports.Prepared:
    form = StaffListForm(params, user=user)
    if not form.is_valid():
        raise exports.refused(form)
    rows = (
        selectors.staff_activities(user, form.query())
        .select_related("station", "region", "kind")
        .prefetch_related("deputies", "attended_deputies")
        .annotate(
            signed_up=Count("signups", distinct=True),
            checked_in=Count(
                "signups", filter=Q(signups__checked_in_at__isnull=False), distinct=True
            ),
        )
    )
    columns = [
        C(_("Title"), lambda a: a.title),
        C(_("Kind"), lambda a: a.kind.name if a.kind else ""),
        C(_("Station"), lambda a: a.host_name),
        C(_("Starts at"), lambda a: a.starts_at),
        C(_("Place"), lambda a: a.place),
        C(_("Status"), lambda a: a.get_status_display()),
        C(_("Invited deputies"), lambda a: "、".join(d.name for d in a.deputies.all())),
        C(
            _("Deputies who attended"),
            lambda a: "、".join(d.name for d in a.attended_deputies.all()),
        ),
        C(_("Signed up"), lambda a: a.signed_up),
        C(_("Checked in"), lambda a: a.checked_in),
    ]
    filters = exports.described(form.cleaned_data)
    return exports.Prepared(rows, columns, filters)
