"""Every count on the staff dashboard is a link to the list behind it (docs/statistics.md,
"Links"): the staff case queue filtered with the queue's own filter (liaison/cases/filters.py)
by the same period, region and station, and by what the count is of — an event in the period
(`event`), a channel, a category, a department, open or overdue now. The queue checks the scope
again, so a link can never show more than the viewer may see. The public page has no links."""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from liaison.core.permissions import may_at_all
from liaison.directory.models import Region, Station


@dataclass
class CaseLinks:
    start: date
    end: date
    region: Region | None = None
    station: Station | None = None
    departments: bool = True  # whether the viewer's queue filters by department
    visit_list: bool = True  # whether the viewer has the visit list (station, committee staff)
    activity_list: bool = True  # and the activity list
    base: dict = field(init=False)

    def __post_init__(self):
        self.base = {"tab": "all"}
        if self.region is not None:
            self.base["region"] = self.region.code
        if self.station is not None:
            self.base["station"] = self.station.pk

    def url(self, *, period: bool = True, month: date | None = None, **filters) -> str:
        """The queue's URL; `period=False` for the counts of now (open, overdue), `month` for a
        row of the monthly table (that month, within the period)."""
        params = dict(self.base)
        if period:
            start, end = self.start, self.end
            if month is not None:
                last = date(month.year, month.month, monthrange(month.year, month.month)[1])
                start, end = max(start, month), min(end, last)
            params["received_from"] = start.isoformat()
            params["received_to"] = end.isoformat()
        params.update({k: v for k, v in filters.items() if v not in (None, "")})
        return f"{reverse('staff:case-queue')}?{urlencode(params)}"

    def visits(self) -> str:
        """The reception visits of the period, in the region or at the station chosen."""
        if not self.visit_list:
            return ""
        params = {"received_from": self.start.isoformat(), "received_to": self.end.isoformat()}
        params.update({k: v for k, v in self.base.items() if k != "tab"})
        return f"{reverse('receptions:visit-list')}?{urlencode(params)}"

    def activities(self) -> str:
        """The activities held in the period, at the station when one is chosen."""
        if not self.activity_list:
            return ""
        params = {
            "status": "held",
            "starts_from": self.start.isoformat(),
            "starts_until": self.end.isoformat(),
        }
        if self.station is not None:
            params["station"] = self.station.pk
        return f"{reverse('activities:staff-list')}?{urlencode(params)}"

    def suggestions(self, status: str = "") -> str:
        """The suggestions submitted in the period (in a state), within the viewer's scope."""
        params = {"submitted_from": self.start.isoformat(), "submitted_to": self.end.isoformat()}
        params.update({k: v for k, v in self.base.items() if k != "tab"})
        if status:
            params["status"] = status
        return f"{reverse('suggestions:list')}?{urlencode(params)}"


def for_viewer(user, start: date, end: date, region, station) -> CaseLinks:
    return CaseLinks(
        start,
        end,
        region,
        station,
        departments=may_at_all(user, "department.view"),
        visit_list=may_at_all(user, "case.enter"),
        activity_list=may_at_all(user, "activity.view"),
    )
