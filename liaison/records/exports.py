"""The 三个一 table's export (core/exports.py, docs/exports.md): the overview's own filter form,
every matching deputy in the page's order, read a batch of deputies at a time
(selectors.OverviewRows) so that a province's deputies are never all in memory. Deputies are
public persons: their names are in the file as on the page; there is no citizen in it."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.core import exports

from . import selectors, three
from .forms import OverviewForm

C = exports.Column

# The words of the page's cells (records/_cell.html), not its signs: a file is read without
# the legend.
STATES = {
    three.DONE: _("done"),
    three.MISSED: _("missed"),
    three.LATE: _("not yet, reminded"),
    three.OPEN: _("not yet"),
    three.FUTURE: _("to come"),
}


def _month(month: int) -> exports.Column:
    return C(
        gettext("Month %(month)s") % {"month": month},
        lambda row: STATES[row[1].month_state(month)],
    )


def _quarter(quarter: int) -> exports.Column:
    return C(f"Q{quarter}", lambda row: STATES[row[1].quarter_state(quarter)])


@exports.register("three", filename="three-ones", permission="recordentry.change")
def three_ones(user, params) -> exports.Prepared:
    form = OverviewForm(params, user=user)
    if not form.is_valid():
        raise exports.refused(form)
    data = form.cleaned_data
    query = selectors.OverviewQuery(
        year=data["year"] or three.today().year,
        q=data["q"].strip(),
        station=data["station"],
        behind=data["behind"],
        sort=data["sort"] or "name",
    )
    columns = [
        C(_("Deputy"), lambda row: row[0].name),
        C(_("Number"), lambda row: row[0].code),
        C(_("Level"), lambda row: row[0].get_level_display()),
        C(_("Year"), lambda row: query.year),
        *(_month(month) for month in range(1, 13)),
        *(_quarter(quarter) for quarter in range(1, 5)),
        C(_("Report"), lambda row: STATES[row[1].report_state]),
        C(_("Months with contact with voters"), lambda row: len(row[1].contact_months)),
        C(_("Periods missed or overdue"), lambda row: row[1].behind_count),
    ]
    # The year is always in the file's record, also when the page's default was used.
    filters = {**exports.described(data), "year": str(query.year)}
    return exports.Prepared(selectors.OverviewRows(user, query), columns, filters)
