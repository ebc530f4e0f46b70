"""The admin import page: upload, dry-run preview, confirm; administrators only."""

import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from liaison.core.models import AuditEvent
from liaison.directory.models import Station

from .importfiles import DEPUTY_HEADER, STATION_HEADER, image, xlsx, zipped

URL = reverse("directory-import")
ROWS = [STATION_HEADER, ["NEW-1", "新站", "联络站", "330106001000", "新路1号", "", "", ""]]


@pytest.fixture
def admin_client(client, accounts, settings, tmp_path):
    settings.VAR_DIR = tmp_path  # where uploads wait for confirmation
    client.force_login(accounts.administrator)
    client.cookies["django_language"] = "en"
    return client


def upload(client, data, name="stations.xlsx", kind="station"):
    return client.post(URL, {"kind": kind, "file": named(data, name)})


def named(data, name):
    f = io.BytesIO(data)
    f.name = name
    return f


def test_the_page_offers_the_kind_from_the_changelist_button(admin_client):
    response = admin_client.get(URL, {"kind": "station"})

    assert response.status_code == 200
    assert response.context["form"]["kind"].value() == "station"
    assert "所在联络站" in response.content.decode()  # the column reference


def test_non_administrators_are_refused(client, accounts):
    for user in (accounts.county_committee, accounts.station_a_staff):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        response = client.post(URL, {"kind": "station", "file": named(xlsx(ROWS), "s.xlsx")})
        assert response.status_code == 403
    assert not Station.objects.filter(code="NEW-1").exists()


def test_upload_previews_then_confirm_imports(admin_client):
    response = upload(admin_client, xlsx(ROWS))

    assert response.status_code == 200
    assert response.context["report"].created == 1
    assert "Confirm import" in response.content.decode()
    assert not Station.objects.filter(code="NEW-1").exists()  # a dry run so far

    token = response.context["token"]
    response = admin_client.post(URL, {"confirm": "1", "token": token})

    assert response.status_code == 302
    assert response.url == reverse("admin:directory_station_changelist")
    assert Station.objects.get(code="NEW-1").name == "新站"
    [message] = get_messages(response.wsgi_request)
    assert "1 created" in str(message)
    event = AuditEvent.objects.get(verb="directory.imported")
    assert event.actor.username == "admin"


def test_a_confirmation_cannot_be_replayed_or_forged(admin_client):
    token = upload(admin_client, xlsx(ROWS)).context["token"]
    admin_client.post(URL, {"confirm": "1", "token": token})
    Station.objects.filter(code="NEW-1").delete()

    replay = admin_client.post(URL, {"confirm": "1", "token": token}, follow=True)
    forged = admin_client.post(URL, {"confirm": "1", "token": "../../etc/passwd"}, follow=True)

    assert "expired" in replay.content.decode()
    assert "expired" in forged.content.decode()
    assert not Station.objects.filter(code="NEW-1").exists()


def test_problems_are_listed_by_row_and_column_without_a_confirm_button(admin_client):
    bad = [*ROWS, ["NEW-2", "坏站", "联络站", "999", "", "", "", "12"]]

    response = upload(admin_client, xlsx(bad))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Confirm import" not in page
    assert [(p.row, p.column) for p in response.context["report"].problems] == [
        (3, "所属区划代码"),
        (3, "联系电话"),
    ]
    assert '<td class="row">3</td><td>所属区划代码</td>' in page
    assert response.context["token"] is None


def test_a_file_that_is_not_a_spreadsheet_is_a_clear_400(admin_client):
    response = upload(admin_client, image(), name="stations.xlsx")

    assert response.status_code == 400
    assert "not an .xlsx workbook" in response.content.decode()


def test_a_zip_with_a_non_image_photo_is_reported(admin_client):
    rows = [
        [*DEPUTY_HEADER, "照片"],
        ["P-1", "赵一", "县", "第十七届", "330106001000", "", "", "a.jpg"],
    ]
    data = zipped({"roster.xlsx": xlsx(rows), "a.jpg": b"MZ not a jpeg"})

    response = upload(admin_client, data, name="deputies.zip", kind="deputy")

    assert [(p.row, p.column) for p in response.context["report"].problems] == [(2, "照片")]


def test_blank_template_downloads(admin_client):
    response = admin_client.get(URL, {"template": "deputy"})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header = [c.value for c in workbook.worksheets[0][1]]
    assert header[:3] == ["代表编号", "姓名", "层级"]
    assert "照片" in header
    assert admin_client.get(URL, {"template": "nonsense"}).status_code == 404


def test_the_blank_template_filled_in_imports(admin_client):
    template = b"".join(admin_client.get(URL, {"template": "station"}).streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    workbook.worksheets[0].append(ROWS[1])
    filled = io.BytesIO()
    workbook.save(filled)

    response = upload(admin_client, filled.getvalue())

    assert response.context["report"].ok, response.context["report"].problems
    assert response.context["report"].created == 1
