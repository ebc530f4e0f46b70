"""The grid's figures on the statistics pages (stats/grid.py): the cases filed from each grid
cell in the period and those still open, within the viewer's scope; small counts hidden on the
public page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.cases.models import Case, Channel
from liaison.directory.models import GridCell
from liaison.stats import grid

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def cells(flow, district):
    """Cell A (street A) with three grid cases, one closed; cell B (street B) with one."""
    a = GridCell.objects.create(
        code="G-A", name="翠苑一区网格", region=district.street_a, station=district.station_a
    )
    b = GridCell.objects.create(
        code="G-B", name="北山二区网格", region=district.street_b, station=district.station_b
    )
    from_a = [flow.submit() for _ in range(2)] + [flow.to("closed")]
    from_b = flow.submit(station=district.station_b, deputy=district.dep_b)
    flow.submit()  # not from a cell: not counted
    Case.objects.filter(pk__in=[c.pk for c in from_a]).update(grid_cell=a, channel=Channel.GRID)
    Case.objects.filter(pk=from_b.pk).update(grid_cell=b, channel=Channel.GRID)
    return a, b


def period():
    today = timezone.localdate()
    return {"start": (today - timedelta(days=1)).isoformat(), "end": today.isoformat()}


def test_cases_by_cell_with_those_still_open(cells, django_assert_num_queries):
    today = timezone.localdate()
    with django_assert_num_queries(2):  # one GROUP BY, one name lookup
        lines = grid.compute(Case.objects.verified(), today, today)
    assert [(line.code, line.received, line.open) for line in lines] == [
        ("G-A", 3, 2),
        ("G-B", 1, 1),
    ]
    later = today + timedelta(days=1)
    assert grid.compute(Case.objects.verified(), later, later) == []


def test_the_dashboard_shows_the_cells_of_the_scope(client, accounts, cells):
    client.force_login(accounts.street_a_committee)
    page = client.get("/staff/stats/", period()).content.decode()
    table = page.split('id="table-grid"')[1].split("</table>")[0]
    assert "翠苑一区网格" in table and "北山二区网格" not in table
    client.force_login(accounts.county_committee)
    page = client.get("/staff/stats/", period()).content.decode()
    assert "北山二区网格" in page.split('id="table-grid"')[1]


def test_the_public_page_hides_small_counts(client, cells):
    page = client.get("/stats/", period()).content.decode()
    table = page.split('id="table-grid"')[1].split("</table>")[0]
    assert "翠苑一区网格" in table and "<td>3</td>" not in table
    assert "&lt;5" in table


def test_no_grid_case_no_table(client, accounts, flow):
    flow.submit()
    client.force_login(accounts.county_committee)
    assert 'id="table-grid"' not in client.get("/staff/stats/", period()).content.decode()
