"""Capped counts: a list never runs an exact COUNT(*) over hundreds of thousands of rows just to
print a number (issue 17). It counts up to `COUNT_CAP` rows — `SELECT count(*) FROM (SELECT 1 …
LIMIT cap + 1)` stops after cap + 1 rows — and says "10000+" past that.

`CappedPaginator` is Django's Paginator over such a count: pages up to the cap are numbered as
usual, and `capped` tells the template (and the API's `count_capped`) that there are more.
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 10_000


def _cap(cap: int | None) -> int:
    return COUNT_CAP if cap is None else cap


def capped_count(queryset: QuerySet, cap: int | None = None) -> int:
    """The number of rows, counted up to cap + 1 (more than `cap` means "cap+")."""
    return queryset.order_by()[: _cap(cap) + 1].count()


def capped_counts(querysets: dict[str, QuerySet], cap: int | None = None) -> dict[str, int]:
    """Several capped counts in one query: one scalar subquery per queryset, each stopping after
    cap + 1 rows. Empty querysets (`.none()`) count 0 without a query."""
    cap = _cap(cap)
    found = dict.fromkeys(querysets, 0)
    parts, params, keys, using = [], [], [], None
    for key, queryset in querysets.items():
        limited = queryset.order_by().values("pk")[: cap + 1]
        try:
            sql, sql_params = limited.query.get_compiler(using=limited.db).as_sql()
        except EmptyResultSet:
            continue
        using = limited.db
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) capped_{len(parts)})")
        params.extend(sql_params)
        keys.append(key)
    if not parts:
        return found
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    found.update(zip(keys, row, strict=True))
    return found


def capped_label(count: int, cap: int | None = None) -> str:
    """The number as shown: "10000+" past the cap."""
    cap = _cap(cap)
    return f"{cap}+" if count > cap else str(count)


class CappedPaginator(Paginator):
    """Django's Paginator over a capped count. Past the cap, the last page offered is the one
    holding row `cap`; `capped` says that more rows exist. `count`: the capped count when the
    caller already has it (a queue's tab count), so it is not counted twice. `ids_first`: a
    page of a queryset is read as its ids, then its rows (`page`)."""

    def __init__(
        self, object_list, per_page, *, count: int | None = None, ids_first=False, **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.ids_first = ids_first
        if count is not None:
            self.count = min(count, self.cap + 1)

    def page(self, number):
        """With `ids_first`, the page's ids are sorted first — from an index that holds what the
        filter and the order need, without a row of the table — and only the page's rows are read
        after: sorting a county's hundreds of thousands of open cases reads none of their rows
        (docs/cases.md, "Queues at a million cases")."""
        page = super().page(number)
        if self.ids_first and isinstance(page.object_list, QuerySet):
            ids = list(page.object_list.values_list("pk", flat=True))
            page.object_list = list(self.object_list.filter(pk__in=ids)) if ids else []
        return page

    @property
    def cap(self) -> int:
        return COUNT_CAP

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return capped_count(self.object_list, self.cap)
        return min(len(self.object_list), self.cap + 1)

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @property
    def count_label(self) -> str:
        return capped_label(self.count, self.cap)
