"""The coarse rollup (RegionFigure, liaison/stats/coarse.py) against the fine one: random rollup
contributions counted in random batches through `rollup._apply`, then every figure a page shows
(figures.compute) read from both tables for a random period — aligned to months or not — and a
random region; and the coarse rebuild from the fine rows gives the rows the increments gave."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liaison.cases.models import ReferralChannel
from liaison.stats import coarse, drill, figures, rollup, selectors
from liaison.stats.models import CaseFigure, RegionFigure
from liaison.stats.rollup import Contribution
from tests.factories import CategoryFactory, StationFactory

FIRST = date(2025, 11, 20)
LAST = date(2026, 4, 10)
SPAN = (LAST - FIRST).days

METRICS = [
    "received",
    "replied",
    "accepted",
    "assigned",
    "due.sign",
    "ontime.sign",
    "due.handle",
    "ontime.handle",
    "extended",
    "returned",
    "rated",
    "satisfied",
    "resolved",
    "answered",
    "rehandled",
]
CHANNELS = ["online", "reception", "phone"]


def days():
    return st.integers(0, SPAN).map(lambda n: FIRST + timedelta(days=n))


def periods():
    """A period inside the data (or around it), its ends snapped to month boundaries or not."""

    def snap(day: date, how: int, last: bool) -> date:
        if how == 0:
            return day
        if not last:
            return day.replace(day=1)
        return coarse._next_month(day) - timedelta(days=1)

    return st.tuples(days(), days(), st.integers(0, 1), st.integers(0, 1)).map(
        lambda t: (
            snap(min(t[0], t[1]), t[2], False),
            snap(max(t[0], t[1]), t[3], True),
        )
    )


contribution = st.tuples(
    st.integers(0, 3),  # station: a, the community room below a, b, the county's own
    st.integers(0, 2),  # deputy: none, a, b
    days(),
    st.integers(0, 3),  # department: none, county, a, b
    st.integers(0, 1),  # category
    st.sampled_from(CHANNELS),
    st.one_of(
        st.tuples(st.sampled_from(METRICS), st.just(-1)),
        st.tuples(st.sampled_from(["wd.review", "wd.sign", "wd.answer"]), st.integers(0, 20)),
        st.tuples(st.just("referred_to"), st.integers(0, 1)),
    ),
)


@pytest.fixture
def world(district):
    d = district
    referral = ReferralChannel.objects.order_by("pk").first() or ReferralChannel.objects.create(
        code="emergency", name="急救"
    )
    return SimpleNamespace(
        d=d,
        # The county's own station: no township above it, its rows count from the county up.
        stations=[d.station_a, d.room_a1, d.station_b, StationFactory(region=d.county)],
        deputies=[None, d.dep_a.pk, d.dep_b.pk],
        departments=[0, d.department_county.pk, d.department_a.pk, d.department_b.pk],
        categories=[d.category.pk, CategoryFactory(sort_order=5).pk],
        referrals=[referral.pk, 32_000],  # the second one no longer exists (bucket: smallint)
        regions=[None, d.province, d.city, d.county, d.street_a, d.street_b, d.community_a1],
    )


def _count(world, found, batches):
    CaseFigure.objects.all().delete()
    RegionFigure.objects.all().delete()
    pairs = []
    for n, (station, deputy, day, department, category, channel, (metric, bucket)) in enumerate(
        found
    ):
        place = world.stations[station]
        case = SimpleNamespace(
            station_id=place.pk,
            deputy_id=world.deputies[deputy],
            category_id=world.categories[category],
            channel=channel,
            region_path=place.region.path,
        )
        if metric == "referred_to":
            bucket = world.referrals[bucket]
        pairs.append(
            (case, Contribution(n + 1, day, world.departments[department], metric, bucket))
        )
    cut = 0
    for size in batches:
        rollup._apply(pairs[cut : cut + size])
        cut += size
    rollup._apply(pairs[cut:])


def _coarse_rows():
    return sorted(
        RegionFigure.objects.values_list(
            "region_id", "grain", "day", "dimension", "value", "metric", "bucket", "count"
        )
    )


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    found=st.lists(contribution, min_size=10, max_size=60),
    batches=st.lists(st.integers(1, 20), max_size=4),
    period=periods(),
    region=st.integers(0, 6),
)
def test_every_figure_is_the_same_from_the_coarse_and_the_fine_rows(
    world, found, batches, period, region
):
    _count(world, found, batches)
    place = world.regions[region]
    start, end = period
    fine = figures.compute(figures.FineRows(selectors.public_rows(place)), start, end)
    reader = selectors.public_sources(place, None, end.year).figures
    # Province … township read the coarse rows; a community its few fine rows.
    assert isinstance(reader, figures.RegionRows) == (place != world.d.community_a1)
    assert figures.compute(reader, start, end) == fine
    fine_rows = figures.FineRows(selectors.public_rows(place))
    assert sorted(reader.by_deputy(start, end)) == sorted(fine_rows.by_deputy(start, end))
    # The drill-down's child regions likewise.
    rows = selectors.public_rows(place)
    assert (
        drill.compute(rows, place, start, end, whole=True).regions
        == drill.compute(rows, place, start, end, whole=False).regions
    )
    # A station's page reads the fine rows.
    assert not isinstance(
        selectors.public_sources(None, world.d.station_a, end.year).figures, figures.RegionRows
    )
    # The rebuild from the fine rows gives the rows the increments gave.
    counted = _coarse_rows()
    assert coarse.rebuild() == len(counted)
    assert _coarse_rows() == counted


@given(period=periods())
def test_the_ranges_of_a_period_cover_each_day_once(period):
    start, end = period
    covered = []
    for grain, first, last in coarse.periods(start, end):
        day = first
        while day <= last:
            if grain == "m":
                assert day.day == 1
                following = coarse._next_month(day)
                covered.extend(day + timedelta(n) for n in range((following - day).days))
                day = following
            else:
                covered.append(day)
                day += timedelta(days=1)
    assert sorted(covered) == [start + timedelta(n) for n in range((end - start).days + 1)]
