"""Changes made in the admin stay inside the account's scope, are audited, and bad photos are
refused with a message while nothing changes."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from liaison.core.models import AuditEvent
from liaison.directory import services
from liaison.directory.models import Deputy, PositionKind, Station, StationPosition


def _station_form(station, **changes):
    data = {
        "name": station.name,
        "code": station.code,
        "kind": station.kind,
        "region": station.region_id,
        "is_active": "on",
        "address": station.address,
        "latitude": "",
        "longitude": "",
        "coordinate_system": station.coordinate_system,
        "opening_hours": "",
        "reception_days": "",
        "phone": station.phone,
        "rules": "",
        "process": "",
        # The positions inline (站长, 联络员): none sent unless a test adds some.
        "positions-TOTAL_FORMS": "0",
        "positions-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_station_staff_edits_their_station_and_the_change_is_audited(client, district, accounts):
    client.force_login(accounts.station_a_staff)
    url = f"/admin/directory/station/{district.station_a.pk}/change/"
    response = client.post(
        url, _station_form(district.station_a, opening_hours="周一至周五 9:00-17:00")
    )
    assert response.status_code == 302
    district.station_a.refresh_from_db()
    assert district.station_a.opening_hours == "周一至周五 9:00-17:00"
    event = AuditEvent.objects.get(verb="station.updated")
    assert event.actor == accounts.station_a_staff
    assert event.data["fields"] == ["opening_hours"]


def test_station_staff_cannot_change_another_station(client, district, accounts):
    client.force_login(accounts.station_a_staff)
    url = f"/admin/directory/station/{district.station_b.pk}/change/"
    response = client.post(url, _station_form(district.station_b, name="改名"))
    assert response.status_code in (302, 403)
    district.station_b.refresh_from_db()
    assert district.station_b.name == "西溪街道人大代表联络站"
    assert not AuditEvent.objects.exists()


def test_bad_phone_is_refused_with_a_message(client, district, accounts):
    client.force_login(accounts.station_a_staff)
    url = f"/admin/directory/station/{district.station_a.pk}/change/"
    response = client.post(url, _station_form(district.station_a, phone="12-34"))
    assert response.status_code == 200
    assert "12-34" in response.content.decode()
    assert response.context["adminform"].form.errors["phone"]
    district.station_a.refresh_from_db()
    assert district.station_a.phone == "0571-87654321"


def test_committee_cannot_create_a_station_outside_its_region(client, district, accounts):
    client.force_login(accounts.street_a_committee)
    before = Station.objects.count()
    data = _station_form(district.station_b, code="NEW1", name="新站", region=district.street_b.pk)
    response = client.post("/admin/directory/station/add/", data)
    assert response.status_code == 200
    assert "region" in response.context["adminform"].form.errors
    assert Station.objects.count() == before


def test_station_staff_cannot_create_stations(client, district, accounts):
    client.force_login(accounts.station_a_staff)
    assert client.get("/admin/directory/station/add/").status_code == 403


def _deputy_form(deputy, **changes):
    data = {
        "name": deputy.name,
        "code": deputy.code,
        "level": deputy.level,
        "term": deputy.term,
        "region": deputy.region_id,
        "is_active": "on",
        "public_phone": deputy.public_phone,
        "constituency": deputy.constituency,
        "contact_blocks": "",
        "occupation": "",
        "bio": "",
        "stations": [s.pk for s in deputy.stations.all()],
    }
    data.update(changes)
    return data


def _png(size=(600, 800)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def test_photo_upload_is_checked_by_content_and_reencoded(client, district, accounts):
    client.force_login(accounts.administrator)
    url = f"/admin/directory/deputy/{district.dep_a.pk}/change/"
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 'not an image'; ?>", "image/jpeg")
    response = client.post(url, _deputy_form(district.dep_a, photo=fake))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo"]
    district.dep_a.refresh_from_db()
    assert not district.dep_a.photo

    real = SimpleUploadedFile("photo.png", _png(), "image/png")
    response = client.post(url, _deputy_form(district.dep_a, photo=real))
    assert response.status_code == 302
    district.dep_a.refresh_from_db()
    with Image.open(district.dep_a.photo.path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) <= 1200


def test_oversized_photo_is_refused(client, district, accounts, settings):
    settings.PHOTO_MAX_BYTES = 1000
    client.force_login(accounts.administrator)
    url = f"/admin/directory/deputy/{district.dep_a.pk}/change/"
    big = SimpleUploadedFile("big.png", _png(), "image/png")
    response = client.post(url, _deputy_form(district.dep_a, photo=big))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo"]


def test_station_staff_keeps_seats_in_stations_it_cannot_see(client, district, accounts):
    """dep_shared sits in stations A and B; staff of A edits the deputy without seeing B."""
    client.force_login(accounts.station_a_staff)
    deputy = district.dep_shared
    url = f"/admin/directory/deputy/{deputy.pk}/change/"
    form = _deputy_form(deputy, bio="新简介", stations=[district.station_a.pk])
    response = client.post(url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(Deputy.objects.get(pk=deputy.pk).stations.all()) == {
        district.station_a,
        district.station_b,
    }


def test_deactivating_hides_instead_of_deleting(client, district, accounts):
    client.force_login(accounts.county_committee)
    response = client.post(
        "/admin/directory/station/",
        {"action": "deactivate", "_selected_action": [district.station_b.pk]},
    )
    assert response.status_code == 302
    district.station_b.refresh_from_db()
    assert district.station_b.is_active is False
    assert AuditEvent.objects.filter(verb="station.deactivated").count() == 1
    assert client.get(f"/s/{district.station_b.public_code}/").status_code == 404


def test_constituency_is_set_in_the_admin_and_audited(client, district, accounts):
    client.force_login(accounts.administrator)
    url = f"/admin/directory/deputy/{district.dep_a.pk}/change/"
    form = _deputy_form(district.dep_a, constituency_regions=[district.community_a1.pk])
    assert client.post(url, form).status_code == 302
    assert list(district.dep_a.constituency_regions.all()) == [district.community_a1]
    event = AuditEvent.objects.get(verb="deputy.constituency_changed")
    assert event.data == {"added": [district.community_a1.pk], "removed": []}


def test_station_staff_keeps_constituency_regions_it_cannot_see(client, district, accounts):
    """A national deputy's constituency is the province, outside a station's scope."""
    deputy = district.dep_a
    services.set_deputy_constituency(deputy, [district.province], actor=None)
    client.force_login(accounts.station_a_staff)
    url = f"/admin/directory/deputy/{deputy.pk}/change/"
    response = client.post(url, _deputy_form(deputy, bio="新简介"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(Deputy.objects.get(pk=deputy.pk).constituency_regions.all()) == [district.province]


def test_station_positions_are_edited_with_the_station_and_audited(client, district, accounts):
    """站长 and 联络员: added, refused with a bad phone, removed — each in the audit trail."""
    client.force_login(accounts.station_a_staff)
    station = district.station_a
    url = f"/admin/directory/station/{station.pk}/change/"
    head = {
        "positions-TOTAL_FORMS": "1",
        "positions-0-kind": PositionKind.HEAD,
        "positions-0-name": "周站长",
        "positions-0-public_phone": "0571-87001234",
    }
    bad = client.post(url, _station_form(station, **{**head, "positions-0-public_phone": "12"}))
    assert bad.status_code == 200
    assert not StationPosition.objects.exists()
    assert client.post(url, _station_form(station, **head)).status_code == 302
    position = StationPosition.objects.get()
    assert (position.station, position.kind, position.name) == (station, "head", "周站长")
    assert AuditEvent.objects.filter(verb="stationposition.created").count() == 1

    page = client.get(station.get_absolute_url(), HTTP_COOKIE="django_language=en")
    assert "Station head" in page.content.decode() and "0571-87001234" in page.content.decode()

    remove = {
        "positions-TOTAL_FORMS": "1",
        "positions-INITIAL_FORMS": "1",
        "positions-0-id": position.pk,
        "positions-0-station": station.pk,
        "positions-0-kind": position.kind,
        "positions-0-name": position.name,
        "positions-0-public_phone": position.public_phone,
        "positions-0-DELETE": "on",
    }
    client.force_login(accounts.station_a_staff)
    assert client.post(url, _station_form(station, **remove)).status_code == 302
    assert not StationPosition.objects.exists()
    assert AuditEvent.objects.filter(verb="stationposition.removed").count() == 1
