"""Who sees and registers visits: station staff their station, committee their region,
administrators everything; deputies and departments nothing (403)."""

import pytest

from liaison.cases.models import Case
from liaison.receptions.models import Visit

from .support import NEW, signed_in, visit_form


@pytest.fixture
def visit(client, district, accounts):
    signed_in(client, accounts.station_a_staff)
    assert client.post(NEW, visit_form(district)).status_code == 302
    client.logout()
    return Visit.objects.get()


@pytest.mark.parametrize(
    "role, listed",
    [
        ("station_a_staff", True),
        ("street_a_committee", True),
        ("county_committee", True),
        ("administrator", True),
        ("station_b_staff", False),
    ],
)
def test_list_and_pages_by_scope(client, accounts, visit, role, listed):
    signed_in(client, getattr(accounts, role))
    page = client.get("/staff/receptions/")
    assert page.status_code == 200
    assert (f"/staff/receptions/{visit.pk}/" in page.content.decode()) is listed
    for url in (f"/staff/receptions/{visit.pk}/", f"/staff/receptions/{visit.pk}/print/"):
        assert client.get(url).status_code == (200 if listed else 404)


@pytest.mark.parametrize("role", ["deputy_a", "handler_a"])
def test_deputies_and_departments_get_403(client, district, accounts, visit, role):
    signed_in(client, getattr(accounts, role))
    for url in (
        "/staff/receptions/",
        NEW,
        f"/staff/receptions/{visit.pk}/",
        f"/staff/receptions/{visit.pk}/print/",
    ):
        assert client.get(url).status_code == 403
    assert client.post(NEW, visit_form(district)).status_code == 403
    assert Visit.objects.count() == 1


def test_station_staff_cannot_register_for_another_station(client, district, accounts):
    signed_in(client, accounts.station_b_staff)
    response = client.post(NEW, visit_form(district, deputies=[]))
    assert response.status_code == 400
    assert "station" in response.context["form"].errors
    assert not Visit.objects.exists() and not Case.objects.exists()


def test_street_committee_cannot_register_for_another_street(client, district, accounts):
    signed_in(client, accounts.street_a_committee)
    data = visit_form(district, station=district.station_b.pk, deputies=[district.dep_b.pk])
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert "station" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_the_list_masks_the_phone(client, accounts, visit):
    signed_in(client, accounts.station_a_staff)
    page = client.get("/staff/receptions/").content.decode()
    assert "139****5678" in page and "13912345678" not in page
