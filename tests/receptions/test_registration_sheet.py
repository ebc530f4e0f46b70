"""The printable registration sheet (接待选民登记表)."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from liaison.core.models import AuditEvent
from liaison.receptions.models import Visit

from .support import NEW, matter, signed_in, visit_form


@pytest.fixture
def visit(client, district, accounts):
    signed_in(client, accounts.station_a_staff)
    rows = [
        matter(district, "路灯不亮", proposed_handling="当场答复"),
        matter(district, "井盖缺失", proposed_handling="交办区住建局"),
    ]
    assert client.post(NEW, visit_form(district, rows)).status_code == 302
    client.logout()
    return Visit.objects.get()


def test_the_sheet_has_every_part_of_the_form(client, district, accounts, visit):
    signed_in(client, accounts.station_a_staff)
    response = client.get(f"/staff/receptions/{visit.pk}/print/")
    page = response.content.decode()
    assert response.status_code == 200
    # The print style sheet is a static file (the Content-Security-Policy allows no <style>).
    assert "/static/liaison/print-reception.css" in page
    css = Path(finders.find("liaison/print-reception.css")).read_text()
    assert "@media print" in css and "size: A4" in css
    assert 'class="site-nav"' not in page  # no navigation on paper
    for text in (
        "Voter reception registration sheet",
        district.station_a.name,
        "张明华",
        "李秀英",
        "陈女士",
        "保俶路12号",
        "路灯不亮",
        "井盖缺失",
        "当场答复",
        "交办区住建局",
        "Deputy (signature)",
        "Recorded by (signature)",
    ):
        assert text in page, text
    for m in visit.matters.select_related("case"):
        assert m.case.tracking_number in page


def test_station_staff_see_the_full_phone_and_the_view_is_logged(client, accounts, visit):
    signed_in(client, accounts.station_a_staff)
    page = client.get(f"/staff/receptions/{visit.pk}/print/").content.decode()
    assert "13912345678" in page
    assert AuditEvent.objects.filter(
        verb="visit.phone_viewed", actor=accounts.station_a_staff, object_id=str(visit.pk)
    ).exists()


@pytest.mark.parametrize("role", ["street_a_committee", "county_committee", "administrator"])
def test_other_roles_see_it_masked(client, accounts, visit, role):
    signed_in(client, getattr(accounts, role))
    page = client.get(f"/staff/receptions/{visit.pk}/print/").content.decode()
    assert "139****5678" in page and "13912345678" not in page
    assert not AuditEvent.objects.filter(verb="visit.phone_viewed").exists()


def test_the_detail_page_links_the_cases_and_masks_the_phone(client, accounts, visit):
    signed_in(client, accounts.station_a_staff)
    page = client.get(f"/staff/receptions/{visit.pk}/").content.decode()
    assert "139****5678" in page and "13912345678" not in page
    for m in visit.matters.select_related("case"):
        assert f"/staff/cases/{m.case.tracking_number}/" in page
    assert f"/staff/receptions/{visit.pk}/print/" in page
