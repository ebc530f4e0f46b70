"""Reads that need scoping: which deputies and entries an account sees, and the 三个一 overview
for station and committee staff (a bounded number of queries per page, see three.py)."""

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from liaison.core.permissions import restrict
from liaison.directory.models import Deputy, Station

from . import three
from .models import RecordEntry

PAGE_SIZE = 25


def visible_deputies(user) -> QuerySet:
    return restrict(Deputy.objects.all(), user)


def visible_entries(user) -> QuerySet:
    return restrict(RecordEntry.objects.all(), user).select_related("deputy")


@dataclass
class OverviewQuery:
    year: int
    q: str = ""
    station: Station | None = None
    behind: bool = False
    sort: str = "name"
    page: str | int | None = 1


def overview(user, query: OverviewQuery, *, on: date | None = None) -> tuple[Page, list]:
    """A page of the account's active deputies with their 三个一: rows of (deputy, progress).

    Sorted by name or level, the page is cut in the database and 三个一 read for its deputies
    only. Filtered on "behind" or sorted by progress, 三个一 is read for all the matching deputies
    at once (still five queries) and the page cut afterwards."""
    deputies = visible_deputies(user).filter(is_active=True)
    if query.q:
        deputies = deputies.filter(Q(name__icontains=query.q) | Q(code__iexact=query.q))
    if query.station is not None:
        deputies = deputies.filter(stations=query.station)
    order = ["level", "name", "pk"] if query.sort == "level" else ["name", "pk"]
    deputies = deputies.order_by(*order)
    if not query.behind and query.sort not in ("behind", "contact"):
        page = Paginator(deputies, PAGE_SIZE).get_page(query.page)
        found = three.progress_for([d.pk for d in page.object_list], query.year, on=on)
        return page, [(deputy, found[deputy.pk]) for deputy in page.object_list]
    ids = list(deputies.values_list("pk", flat=True))
    found = three.progress_for(ids, query.year, on=on)
    if query.behind:
        ids = [pk for pk in ids if found[pk].behind]
    if query.sort == "behind":
        ids.sort(key=lambda pk: -found[pk].behind_count)  # stable: names stay in order
    elif query.sort == "contact":
        ids.sort(key=lambda pk: len(found[pk].contact_months))
    page = Paginator(ids, PAGE_SIZE).get_page(query.page)
    by_pk = Deputy.objects.in_bulk(list(page.object_list))
    return page, [(by_pk[pk], found[pk]) for pk in page.object_list]
