"""The grid cells on the public pages of the deputy and the station, and in the admin."""

from liaison.core.models import AuditEvent
from liaison.directory import services


def test_the_station_page_shows_the_cells_it_covers(client, district, cells):
    page = client.get(district.station_a.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "翠苑一区网格" in page.text and "周网格" in page.text and "文三路以北" in page.text
    assert "西溪二区网格" not in page.text


def test_the_deputy_page_shows_their_cells_and_not_inactive_ones(client, district, cells):
    services.set_grid_cell_deputies(cells[0], [district.dep_a], actor=None)
    page = client.get(district.dep_a.get_absolute_url())
    assert "翠苑一区网格" in page.text
    assert "翠苑一区网格" not in client.get(district.dep_b.get_absolute_url()).text
    services.set_active(cells[0], False, actor=None)
    assert "翠苑一区网格" not in client.get(district.dep_a.get_absolute_url()).text


def test_assigning_deputies_is_audited_once_per_change(district, cells):
    services.set_grid_cell_deputies(cells[0], [district.dep_a, district.dep_shared], actor=None)
    services.set_grid_cell_deputies(cells[0], [district.dep_a, district.dep_shared], actor=None)
    events = AuditEvent.objects.filter(verb="gridcell.deputies_changed")
    assert events.count() == 1
    assert sorted(events.get().data["added"]) == sorted([district.dep_a.pk, district.dep_shared.pk])


def test_station_staff_edit_their_cells_in_the_admin_and_not_others(
    client, district, cells, accounts
):
    staff = accounts.station_a_staff
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    listing = client.get("/admin/directory/gridcell/")
    assert listing.status_code == 200
    assert "翠苑一区网格" in listing.text and "西溪二区网格" not in listing.text
    assert client.get(f"/admin/directory/gridcell/{cells[1].pk}/change/").status_code in (
        302,
        403,
        404,
    )
    response = client.post(
        f"/admin/directory/gridcell/{cells[0].pk}/change/",
        {
            "name": "翠苑一区网格",
            "boundary": "文三路以北，1至12幢",
            "station": district.station_a.pk,
            "deputies": [district.dep_a.pk],
            "worker_name": "吴网格",
            "worker_phone": "0571-88880002",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    cells[0].refresh_from_db()
    assert cells[0].worker_name == "吴网格"
    assert list(cells[0].deputies.all()) == [district.dep_a]
    assert AuditEvent.objects.filter(verb="gridcell.updated").exists()
