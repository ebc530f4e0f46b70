"""The figures service: rates with denominators, Wilson intervals, the league table's order,
quantiles from the histograms."""

from datetime import date

import pytest

from liaison.stats import figures
from liaison.stats.figures import Rate, quantile
from liaison.stats.models import CaseFigure
from tests.factories import DepartmentFactory

DAY = date(2026, 3, 2)


def row(metric, count, *, department=0, bucket=-1, day=DAY, station=1):
    return CaseFigure(
        day=day,
        region_path="/330000000000/",
        station_id=station,
        department_id=department,
        category_id=1,
        channel="online",
        metric=metric,
        bucket=bucket,
        count=count,
    )


def test_wilson_interval_of_known_values():
    low, high = Rate(290, 300).wilson
    assert (round(low, 4), round(high, 4)) == (0.9397, 0.9818)
    low, high = Rate(3, 3).wilson
    assert (round(low, 4), high) == (0.4385, 1.0)
    assert Rate(0, 0).wilson == (0.0, 1.0)
    assert Rate(0, 0).percent == "—"


def test_quantiles_from_a_histogram():
    histogram = {0: 5, 1: 3, 4: 1, 20: 1}
    assert quantile(histogram, 0.5) == 0
    assert quantile(histogram, 0.9) == 4
    assert quantile(histogram, 1.0) == 20
    assert quantile({}, 0.5) is None


@pytest.mark.django_db
def test_a_small_department_is_not_ranked_above_a_large_one_by_luck(district):
    small = DepartmentFactory(name="小单位", region=district.county)
    large = DepartmentFactory(name="大单位", region=district.county)
    CaseFigure.objects.bulk_create(
        [
            row("due.handle", 3, department=small.pk),
            row("ontime.handle", 3, department=small.pk),
            row("due.handle", 300, department=large.pk),
            row("ontime.handle", 290, department=large.pk),
        ]
    )
    found = figures.compute(CaseFigure.objects.all(), DAY, DAY)
    assert [r.department for r in found.departments] == [large, small]
    assert found.departments[0].resolved_on_time == Rate(290, 300)


@pytest.mark.django_db
def test_only_the_period_is_counted_and_months_add_up(district):
    CaseFigure.objects.bulk_create(
        [
            row("received", 2, day=date(2026, 1, 31)),
            row("received", 3, day=date(2026, 2, 1), station=2),
            row("received", 7, day=date(2026, 3, 1)),
        ]
    )
    found = figures.compute(CaseFigure.objects.all(), date(2026, 1, 1), date(2026, 2, 28))
    assert found.totals["received"] == 5
    assert [(m["month"], m["received"]) for m in found.months] == [
        (date(2026, 1, 1), 2),
        (date(2026, 2, 1), 3),
    ]
