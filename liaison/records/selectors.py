"""Reads that need scoping: which deputies and entries an account sees, and the 三个一 overview
for station and committee staff (a bounded number of queries per page, see three.py)."""

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from liaison.core import exports
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


def _deputies(user, query: OverviewQuery) -> QuerySet:
    deputies = visible_deputies(user).filter(is_active=True)
    if query.q:
        deputies = deputies.filter(Q(name__icontains=query.q) | Q(code__iexact=query.q))
    if query.station is not None:
        deputies = deputies.filter(stations=query.station)
    order = ["level", "name", "pk"] if query.sort == "level" else ["name", "pk"]
    return deputies.order_by(*order)


def _reads_all(query: OverviewQuery) -> bool:
    """Whether the order or the filter depends on every deputy's 三个一."""
    return query.behind or query.sort in ("behind", "contact")


def _order_key(progress: three.Progress) -> tuple[int, int]:
    """All that filtering on "behind" and sorting by progress need of a deputy's 三个一."""
    return progress.behind_count, len(progress.contact_months)


def _ordered_ids(ids: list[int], keys: dict[int, tuple[int, int]], query: OverviewQuery):
    if query.behind:
        ids = [pk for pk in ids if keys[pk][0]]
    if query.sort == "behind":
        ids.sort(key=lambda pk: -keys[pk][0])  # stable: names stay in order
    elif query.sort == "contact":
        ids.sort(key=lambda pk: keys[pk][1])
    return ids


def overview(user, query: OverviewQuery, *, on: date | None = None) -> tuple[Page, list]:
    """A page of the account's active deputies with their 三个一: rows of (deputy, progress).

    Sorted by name or level, the page is cut in the database and 三个一 read for its deputies
    only. Filtered on "behind" or sorted by progress, 三个一 is read for all the matching deputies
    at once (still five queries) and the page cut afterwards."""
    deputies = _deputies(user, query)
    if not _reads_all(query):
        page = Paginator(deputies, PAGE_SIZE).get_page(query.page)
        found = three.progress_for([d.pk for d in page.object_list], query.year, on=on)
        return page, [(deputy, found[deputy.pk]) for deputy in page.object_list]
    ids = list(deputies.values_list("pk", flat=True))
    found = three.progress_for(ids, query.year, on=on)
    keys = {pk: _order_key(progress) for pk, progress in found.items()}
    page = Paginator(_ordered_ids(ids, keys, query), PAGE_SIZE).get_page(query.page)
    by_pk = Deputy.objects.in_bulk(list(page.object_list))
    return page, [(by_pk[pk], found[pk]) for pk in page.object_list]


class OverviewRows:
    """Every row of the overview for an export, in the page's order, worked out `BATCH` deputies
    at a time: five queries per batch, and never more than one batch of deputies and their
    三个一 in memory, whatever the number of deputies (a province's). Filtered on "behind" or
    sorted by progress, a first pass keeps only each deputy's id and the number the order needs.
    Rows are (deputy, progress) as on the page."""

    BATCH = 500

    def __init__(self, user, query: OverviewQuery, *, on: date | None = None):
        self.deputies = _deputies(user, query)
        self.query, self.on = query, on
        self._ids: list[int] | None = None

    def _progress(self, ids: list[int]) -> dict[int, three.Progress]:
        return three.progress_for(ids, self.query.year, on=self.on)

    def ordered_ids(self) -> list[int]:
        if self._ids is None:
            ids: list[int] = []
            keys: dict[int, tuple[int, int]] = {}
            pks = self.deputies.values_list("pk", flat=True).iterator(chunk_size=self.BATCH)
            for batch in exports.batches(pks, self.BATCH):
                found = self._progress(batch)
                ids.extend(batch)
                keys.update((pk, _order_key(found[pk])) for pk in batch)
            self._ids = _ordered_ids(ids, keys, self.query)
        return self._ids

    def count(self) -> int:
        if not _reads_all(self.query):
            return self.deputies.count()
        return len(self.ordered_ids())

    def iterator(self, chunk_size: int = BATCH):
        if not _reads_all(self.query):
            for batch in exports.batches(self.deputies.iterator(chunk_size=self.BATCH), self.BATCH):
                found = self._progress([d.pk for d in batch])
                yield from ((deputy, found[deputy.pk]) for deputy in batch)
            return
        for ids in exports.batches(self.ordered_ids(), self.BATCH):
            by_pk = Deputy.objects.in_bulk(ids)
            found = self._progress(ids)
            yield from ((by_pk[pk], found[pk]) for pk in ids)
