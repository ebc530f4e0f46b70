"""The citizen's photos and the result attachments on the staff case page: thumbnails made once
and kept under MEDIA_ROOT, the original behind a link with every view logged, only for whoever
may see the case — and a department only with the citizen's consent (the "case.see_photos" row)."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from liaison.cases import photos
from liaison.cases.models import CasePhoto
from liaison.core.models import AuditEvent

from .photo_support import assigned_with_photos, jpeg, report_with_pdf, with_photos
from .staff_pages import detail_url, signed_in

pytestmark = pytest.mark.django_db

WITHHELD = "the photos are not shown"


def photo_url(case, photo) -> str:
    return f"/staff/cases/{case.tracking_number}/photos/{photo.pk}/"


def thumbnail_url(case, photo) -> str:
    return photo_url(case, photo) + "thumbnail/"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def viewed(photo=None):
    rows = AuditEvent.objects.filter(verb="case.photo_viewed")
    return rows.filter(data__photo=photo.pk) if photo is not None else rows


@pytest.fixture
def case(flow):
    return flow.submit(channel="phone", photos=with_photos(3))


def test_station_staff_see_thumbnails_linking_to_the_originals(client, case, accounts):
    signed_in(client, accounts.station_a_staff)
    html = client.get(detail_url(case)).content.decode()
    assert "Photos and attachments" in html
    first, second, third = CasePhoto.objects.filter(case=case).order_by("id")
    for n, photo in enumerate([first, second, third], start=1):
        link = re.search(
            rf'<a href="{photo_url(case, photo)}"><img src="{thumbnail_url(case, photo)}" '
            rf'alt="([^"]+)"',
            html,
        )
        assert link, html
        assert link.group(1) == f"Photo {n}/3"
    # No public media address: only the staff views.
    assert "/media/" not in html
    assert viewed().count() == 0


def test_a_thumbnail_is_small_made_once_and_not_logged(client, case, accounts, settings):
    photo = case.photos.first()
    signed_in(client, accounts.station_a_staff)
    response = client.get(thumbnail_url(case, photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    with Image.open(io.BytesIO(body(response))) as image:
        assert max(image.size) == photos.THUMBNAIL_SIDE
    cached = Path(settings.MEDIA_ROOT) / photos.thumbnail_name(photo)
    assert cached.read_bytes() == body(response)
    # The second request reads the stored thumbnail (a changed file proves it is not remade).
    cached.write_bytes(b"stored")
    assert body(client.get(thumbnail_url(case, photo))) == b"stored"
    assert viewed().count() == 0


def test_opening_the_original_is_logged_each_time(client, case, accounts):
    photo = case.photos.first()
    signed_in(client, accounts.station_a_staff)
    for expected in (1, 2):
        response = client.get(photo_url(case, photo))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, no-store"
        assert body(response) == photo.image.open("rb").read()
        assert viewed(photo).count() == expected
    row = viewed(photo).first()
    assert row.actor == accounts.station_a_staff
    assert (row.object_type, row.object_id) == ("cases.case", str(case.pk))


@pytest.mark.parametrize("who", ["deputy_a", "street_a_committee", "administrator"])
def test_whoever_sees_the_case_opens_its_photos(client, case, accounts, who):
    photo = case.photos.first()
    signed_in(client, getattr(accounts, who))
    assert thumbnail_url(case, photo) in client.get(detail_url(case)).content.decode()
    assert client.get(photo_url(case, photo)).status_code == 200
    assert viewed(photo).get().actor == getattr(accounts, who)


def test_a_department_with_the_citizens_consent_sees_the_photos(client, flow, accounts, district):
    case = assigned_with_photos(flow, accounts, district, consent=True)
    photo = case.photos.first()
    signed_in(client, accounts.handler_a)
    html = client.get(detail_url(case)).content.decode()
    assert thumbnail_url(case, photo) in html and WITHHELD not in html
    assert client.get(thumbnail_url(case, photo)).status_code == 200
    assert client.get(photo_url(case, photo)).status_code == 200
    assert viewed(photo).get().actor == accounts.handler_a


def test_a_department_without_consent_sees_no_photos(client, flow, accounts, district):
    case = assigned_with_photos(flow, accounts, district, consent=False)
    photo = case.photos.first()
    signed_in(client, accounts.handler_a)
    response = client.get(detail_url(case))
    html = response.content.decode()
    assert response.status_code == 200
    assert WITHHELD in html
    assert f"/photos/{photo.pk}/" not in html
    assert client.get(photo_url(case, photo)).status_code == 403
    assert client.get(thumbnail_url(case, photo)).status_code == 403
    assert viewed().count() == 0
    assert not (Path(photo.image.storage.location) / photos.thumbnail_name(photo)).exists()


def test_a_department_whose_assignment_ended_loses_the_photos(client, flow, accounts, district):
    """The same rule as the full phone number: the consent goes with an open assignment."""
    case = report_with_pdf(assigned_with_photos(flow, accounts, district, consent=True), accounts)
    signed_in(client, accounts.handler_a)
    assert WITHHELD in client.get(detail_url(case)).content.decode()
    assert client.get(photo_url(case, case.photos.first())).status_code == 403


def test_no_notice_about_photos_when_there_are_none(client, flow, accounts, district):
    case = assigned_with_photos(flow, accounts, district, consent=False, count=0)
    signed_in(client, accounts.handler_a)
    html = client.get(detail_url(case)).content.decode()
    assert WITHHELD not in html and "Photos and attachments" not in html


def test_result_attachments_are_listed_with_name_and_size(client, flow, accounts, district):
    case = report_with_pdf(assigned_with_photos(flow, accounts, district, consent=False), accounts)
    attachment = case.result_attachments.get()
    signed_in(client, accounts.station_a_staff)
    html = client.get(detail_url(case)).content.decode()
    assert "Photos and attachments" in html
    assert (
        f'/staff/cases/{case.tracking_number}/attachments/{attachment.pk}/">答复函.pdf</a>' in html
    )
    assert f"({attachment.size}\xa0bytes · {district.department_a.name})" in html


@pytest.mark.parametrize("view", [photo_url, thumbnail_url])
def test_outside_the_scope_it_is_a_404(client, case, accounts, view):
    signed_in(client, accounts.station_b_staff)
    assert client.get(detail_url(case)).status_code == 404
    assert client.get(view(case, case.photos.first())).status_code == 404
    assert viewed().count() == 0


@pytest.mark.parametrize("view", [photo_url, thumbnail_url])
def test_bad_ids_are_404s(client, case, flow, accounts, view):
    other = flow.submit(channel="phone", photos=with_photos(1))
    signed_in(client, accounts.station_a_staff)
    base = f"/staff/cases/{case.tracking_number}/photos/"
    suffix = "thumbnail/" if view is thumbnail_url else ""
    # Another case's photo, one that does not exist, a huge id, a word, and an unknown case.
    assert client.get(view(case, other.photos.get())).status_code == 404
    for pk in ["999999", "99999999999999999999999999", "abc", "-1"]:
        assert client.get(f"{base}{pk}/{suffix}").status_code == 404
    assert client.get(f"/staff/cases/0000000000/photos/1/{suffix}").status_code == 404
    assert viewed().count() == 0


@pytest.mark.parametrize("view", [photo_url, thumbnail_url])
def test_a_missing_or_damaged_file_is_a_404(client, case, accounts, view):
    missing, damaged = list(case.photos.order_by("id"))[:2]
    Path(missing.image.path).unlink()
    Path(damaged.image.path).write_bytes(b"not a picture")
    signed_in(client, accounts.station_a_staff)
    assert client.get(view(case, missing)).status_code == 404
    if view is thumbnail_url:
        assert client.get(view(case, damaged)).status_code == 404
    assert client.get(detail_url(case)).status_code == 200


def test_not_signed_in_goes_to_the_login(client, case):
    response = client.get(photo_url(case, case.photos.first()))
    assert response.status_code == 302 and "login" in response["Location"]
    assert viewed().count() == 0


def test_thumbnails_keep_the_shape_of_the_photo(case):
    photo = CasePhoto.objects.create(case=case, image=ContentFile(jpeg((300, 900)), "tall.jpg"))
    with Image.open(io.BytesIO(photos.thumbnail(photo))) as image:
        assert image.size == (80, 240)
