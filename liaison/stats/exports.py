"""The department timeliness table's export from /staff/stats/ (core/exports.py,
docs/exports.md): the dashboard's period and place (forms.PeriodForm), the same scope
(selectors.staff_rows: a region or station outside it is refused), the same order (by the lower
end of the 95 % interval of "resolved on time"). Each rate as its two numbers, the percentage and
the interval's ends, so that a spreadsheet can recompute and re-sort them. No person is in it."""

from django.utils.translation import gettext_lazy as _

from liaison.core import exports
from liaison.core.errors import NotAllowed
from liaison.core.permissions import may

from . import figures, selectors
from .forms import PeriodForm

C = exports.Column


def _percent(value: float | None):
    return None if value is None else round(value * 100, 1)


def _rate(name: str, label_done, label_of, attribute: str) -> list[exports.Column]:
    def rate(row) -> figures.Rate:
        return getattr(row, attribute)

    return [
        C(label_done, lambda row: rate(row).numerator),
        C(label_of, lambda row: rate(row).denominator),
        C(name, lambda row: _percent(rate(row).value)),
    ]


COLUMNS = [
    C(_("Department"), lambda row: row.department.name),
    C(_("Department code"), lambda row: row.department.code),
    C(_("Assigned"), lambda row: row.assigned),
    *_rate(_("Signed on time (%)"), _("Signed on time"), _("Due to sign"), "signed_on_time"),
    *_rate(
        _("Resolved on time (%)"), _("Resolved on time"), _("Due to resolve"), "resolved_on_time"
    ),
    C(
        _("95% interval, lower end (%)"),
        lambda row: (
            _percent(row.resolved_on_time.wilson[0]) if row.resolved_on_time.denominator else None
        ),
    ),
    C(
        _("95% interval, upper end (%)"),
        lambda row: (
            _percent(row.resolved_on_time.wilson[1]) if row.resolved_on_time.denominator else None
        ),
    ),
    C(_("Extensions"), lambda row: row.extended),
    C(_("Returned"), lambda row: row.returned),
    *_rate(_("Satisfaction (%)"), _("Satisfied"), _("Rated"), "satisfaction"),
]


@exports.register("departments", filename="department-timeliness", permission="casefigure.view")
def departments(user, params) -> exports.Prepared:
    form = PeriodForm(params)
    if not form.is_valid():
        raise exports.refused(form)
    data = form.cleaned_data
    try:
        rows = selectors.staff_rows(user, data["region"], data["station"])
    except NotAllowed as refused:
        region = data["region"]
        field = "region" if region and not may(user, "region.view_stats", region) else "station"
        raise exports.Refused({str(form.fields[field].label): [str(refused)]}) from refused
    table = figures.departments(rows, data["start"], data["end"])
    filters = {
        "start": data["start"].isoformat(),
        "end": data["end"].isoformat(),
        # Places by their codes, as in the dashboard's address.
        **({"region": data["region"].code} if data["region"] else {}),
        **({"station": data["station"].code} if data["station"] else {}),
    }
    return exports.Prepared(exports.Listed(table), COLUMNS, filters)
