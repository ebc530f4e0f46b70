"""Photos and result attachments in the staff case API: the case detail lists them with signed
links that work for 10 minutes and for the account they were made for; the download checks the
signature, the age and the permission table again, logs each full-size photo, and refuses with
the API's error body (403 invalid_link / not_allowed, 404, 410 link_expired), never a 500."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from liaison.api.case_files import LINK_SECONDS, file_token
from liaison.api.keys import create_key
from liaison.core.models import AuditEvent

from ..cases.conftest import Flow
from ..cases.photo_support import PDF, assigned_with_photos, report_with_pdf, with_photos

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(district, accounts):
    return Flow(district, accounts)


@pytest.fixture
def as_user(api):
    def sign_in(user):
        _key, raw = create_key(name="test", user=user, scopes=["staff"])
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
        return api

    return sign_in


@pytest.fixture
def case(flow):
    return flow.submit(channel="phone", photos=with_photos(2))


def detail(api, case) -> dict:
    response = api.get(f"/api/v1/staff/cases/{case.tracking_number}/")
    assert response.status_code == 200, response.content
    return response.json()


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def viewed():
    return AuditEvent.objects.filter(verb="case.photo_viewed")


def error(response, status: int, code: str):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_the_detail_lists_photos_with_links_that_download_them(as_user, case, accounts):
    api = as_user(accounts.station_a_staff)
    data = detail(api, case)
    photos = list(case.photos.order_by("id"))
    assert [p["id"] for p in data["photos"]] == [p.pk for p in photos]
    assert data["photos_withheld"] is False and data["attachments"] == []
    first = data["photos"][0]
    assert first["url"].startswith("http://testserver/api/v1/staff/files/")
    response = api.get(first["url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    original = content(response)
    assert original == photos[0].image.open("rb").read()
    row = viewed().get()
    assert row.actor == accounts.station_a_staff and row.data == {
        "photo": photos[0].pk,
        "surface": "staff_api",
    }
    thumbnail = api.get(first["thumbnail_url"])
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
    assert thumbnail["Cache-Control"] == "private, no-store"
    assert len(content(thumbnail)) < len(original)
    assert viewed().count() == 1  # thumbnails are not logged


def test_an_image_client_asking_for_images_gets_the_file(as_user, case, accounts):
    api = as_user(accounts.station_a_staff)
    url = detail(api, case)["photos"][0]["thumbnail_url"]
    assert api.get(url, HTTP_ACCEPT="image/webp,image/*").status_code == 200


def test_links_work_until_they_expire(as_user, case, accounts):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        api = as_user(accounts.station_a_staff)
        photo = detail(api, case)["photos"][0]
        expires_at = datetime.fromisoformat(photo["expires_at"])
        assert expires_at == start + timedelta(seconds=LINK_SECONDS)
    with time_machine.travel(start + timedelta(seconds=LINK_SECONDS - 5), tick=False):
        assert api.get(photo["url"]).status_code == 200
    with time_machine.travel(start + timedelta(seconds=LINK_SECONDS + 5), tick=False):
        error(api.get(photo["url"]), 410, "link_expired")
        error(api.get(photo["thumbnail_url"]), 410, "link_expired")
    assert viewed().count() == 1


def test_a_link_is_for_the_account_it_was_made_for(as_user, case, accounts):
    url = detail(as_user(accounts.station_a_staff), case)["photos"][0]["url"]
    # The case's deputy may see the photo, but not through the station's link.
    api = as_user(accounts.deputy_a)
    error(api.get(url), 403, "invalid_link")
    assert viewed().count() == 0
    assert api.get(detail(api, case)["photos"][0]["url"]).status_code == 200


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # the signature
        lambda t: ("f" if t[0] != "f" else "g") + t[1:],  # the payload
        lambda t: t.split(":")[0],  # no signature
        lambda t: "x",
        lambda t: "%00",
    ],
    ids=["signature", "payload", "unsigned", "garbage", "nul"],
)
def test_a_tampered_link_is_refused(as_user, case, accounts, tamper):
    api = as_user(accounts.station_a_staff)
    url = detail(api, case)["photos"][0]["url"]
    head, token = url.rstrip("/").rsplit("/", 1)
    tampered = tamper(token)
    # A NUL is refused before any view (liaison/core/middleware.py), the rest by the signature.
    status, code = (400, "invalid") if tampered == "%00" else (403, "invalid_link")
    error(api.get(f"{head}/{tampered}/"), status, code)
    assert viewed().count() == 0


def test_a_department_without_consent_gets_no_links_and_403(as_user, flow, accounts, district):
    case = assigned_with_photos(flow, accounts, district, consent=False)
    api = as_user(accounts.handler_a)
    data = detail(api, case)
    assert data["photos"] == [] and data["photos_withheld"] is True
    # A link made for it anyway (say, while an assignment with consent was open) is refused.
    for kind in ("photo", "thumbnail"):
        token = file_token(kind, case.photos.first().pk, accounts.handler_a)
        error(api.get(f"/api/v1/staff/files/{token}/"), 403, "not_allowed")
    assert viewed().count() == 0


def test_a_department_with_consent_downloads_the_photos(as_user, flow, accounts, district):
    case = assigned_with_photos(flow, accounts, district, consent=True)
    api = as_user(accounts.handler_a)
    data = detail(api, case)
    assert data["photos_withheld"] is False and len(data["photos"]) == 2
    assert api.get(data["photos"][1]["url"]).status_code == 200
    assert viewed().get().actor == accounts.handler_a


def test_attachments_are_listed_and_downloaded(as_user, flow, accounts, district):
    case = report_with_pdf(assigned_with_photos(flow, accounts, district, consent=False), accounts)
    api = as_user(accounts.handler_a)
    (item,) = detail(api, case)["attachments"]
    attachment = case.result_attachments.get()
    assert item["id"] == attachment.pk and item["name"] == "答复函.pdf"
    assert item["content_type"] == "application/pdf" and item["size"] == len(PDF)
    assert item["department"] == district.department_a.code
    response = api.get(item["url"])
    assert response.status_code == 200 and content(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"


def test_a_case_outside_the_scope_is_a_404(as_user, case, accounts):
    # A link the other station's account holds (made while it could see the case, say).
    api = as_user(accounts.station_b_staff)
    for kind in ("photo", "thumbnail", "attachment"):
        token = file_token(kind, case.photos.first().pk, accounts.station_b_staff)
        error(api.get(f"/api/v1/staff/files/{token}/"), 404, "not_found")
    assert viewed().count() == 0


@pytest.mark.parametrize("pk", [0, -1, 999_999, 10**30])
def test_ids_of_nothing_in_a_signed_link_are_404s(as_user, case, accounts, pk):
    api = as_user(accounts.station_a_staff)
    for kind in ("photo", "thumbnail", "attachment"):
        token = file_token(kind, pk, accounts.station_a_staff)
        error(api.get(f"/api/v1/staff/files/{token}/"), 404, "not_found")


@pytest.mark.parametrize("pk", ["1", None, [1], True])
def test_ids_that_are_not_numbers_are_refused(as_user, case, accounts, pk):
    api = as_user(accounts.station_a_staff)
    token = file_token("photo", pk, accounts.station_a_staff)
    error(api.get(f"/api/v1/staff/files/{token}/"), 403, "invalid_link")


def test_an_unknown_kind_is_refused(as_user, case, accounts):
    api = as_user(accounts.station_a_staff)
    token = file_token("case", case.pk, accounts.station_a_staff)
    error(api.get(f"/api/v1/staff/files/{token}/"), 403, "invalid_link")


def test_without_credentials_no_file(api, as_user, case, accounts):
    url = detail(as_user(accounts.station_a_staff), case)["photos"][0]["url"]
    api.credentials()
    assert api.get(url).status_code == 401
    assert viewed().count() == 0
