"""The department's result (办理结果) with attachments: PDFs (checked by signature) and photos
(re-encoded), at most 5, all checked before anything is saved; only who sees the case may
download them."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from liaison.cases import services
from liaison.cases.models import ResultAttachment
from liaison.cases.workflow import Status

from .conftest import snapshot
from .staff_pages import PHONE_CALL, act, reload, signed_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "cases" / "results"
    return sorted(root.iterdir()) if root.exists() else []


def report(client, case, *files, text="已更换路灯。"):
    return act(client, case, "report", text=text, attachments=list(files))


def test_a_pdf_and_a_photo_go_with_the_result(client, flow, accounts, settings):
    case = flow.to("in_progress", **PHONE_CALL)
    signed_in(client, accounts.handler_a)
    response = report(
        client, case, upload("答复函.pdf", PDF), upload("现场.png", png(), "image/png")
    )
    assert response.status_code == 302
    assert reload(case).status == Status.FEEDBACK
    files = list(ResultAttachment.objects.filter(case=case).order_by("id"))
    assert [(f.original_name, f.content_type) for f in files] == [
        ("答复函.pdf", "application/pdf"),
        ("现场.png", "image/jpeg"),
    ]
    assert files[0].file.read() == PDF and files[0].size == len(PDF)
    assert files[1].file.read()[:3] == b"\xff\xd8\xff"  # re-encoded as JPEG
    event = reload(case).events.get(verb="case.reported")
    assert event.data["attachments"] == [f.pk for f in files]
    # Random names: the stored file says nothing about the case or the upload.
    assert all("答复函" not in p.name and "现场" not in p.name for p in stored_files(settings))
    page = client.get(f"/staff/cases/{case.tracking_number}/").content.decode()
    assert "答复函.pdf" in page and f"attachments/{files[0].pk}/" in page


def test_the_report_form_uploads_files(client, flow, accounts):
    case = flow.to("in_progress", **PHONE_CALL)
    page = signed_in(client, accounts.handler_a).get(f"/staff/cases/{case.tracking_number}/")
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="attachments"' in html and "multiple" in html


def test_the_result_without_attachments_still_works(client, flow, accounts):
    case = flow.to("in_progress", **PHONE_CALL)
    signed_in(client, accounts.handler_a)
    assert report(client, case).status_code == 302
    assert reload(case).events.get(verb="case.reported").data["attachments"] == []


@pytest.mark.parametrize(
    "files, message",
    [
        ([upload("答复函.pdf", b"this is only text, renamed")], "PDF documents or photos"),
        ([upload("scan.pdf", PDF + b"x" * 3000)], "too large"),
        ([upload("big.png", png((400, 400)) + b"\0" * 1500)], "too large"),
        ([upload(f"{n}.pdf", PDF) for n in range(6)], "at most 5 files"),
        ([upload("ok.pdf", PDF), upload("fake.pdf", b"<html>")], "fake.pdf"),
    ],
    ids=["renamed-text", "pdf-too-large", "image-too-large", "six-files", "one-bad-of-two"],
)
def test_bad_attachments_refuse_the_whole_report(client, flow, accounts, settings, files, message):
    settings.PHOTO_MAX_BYTES = 1500  # so a PDF may have 3000 bytes
    case = flow.to("in_progress", **PHONE_CALL)
    before = snapshot(case)
    signed_in(client, accounts.handler_a)
    response = report(client, case, *files)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot(case) == before
    assert not ResultAttachment.objects.exists()
    assert stored_files(settings) == []


def test_the_service_checks_every_file_before_saving(flow, accounts, settings):
    case = flow.to("in_progress", **PHONE_CALL)
    before = snapshot(case)
    with pytest.raises(ValidationError) as refused:
        services.report_result(
            case,
            actor=accounts.handler_a,
            text="已处理。",
            attachments=[upload("a.pdf", PDF), upload("b.jpg", b"GIF89a not really")],
        )
    assert list(refused.value.message_dict) == ["attachments"]
    assert "b.jpg" in refused.value.message_dict["attachments"][0]
    assert snapshot(case) == before
    assert stored_files(settings) == []


def attached_case(flow, accounts):
    case = flow.to("in_progress", **PHONE_CALL)
    case = services.report_result(
        case, actor=accounts.handler_a, text="已处理。", attachments=[upload("函.pdf", PDF)]
    )
    return case, ResultAttachment.objects.get(case=case)


@pytest.mark.parametrize(
    "who", ["handler_a", "station_a_staff", "deputy_a", "county_committee", "administrator"]
)
def test_who_sees_the_case_downloads_the_file(client, flow, accounts, who):
    case, attachment = attached_case(flow, accounts)
    signed_in(client, getattr(accounts, who))
    response = client.get(f"/staff/cases/{case.tracking_number}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "private" in response["Cache-Control"]


def test_another_station_gets_a_404(client, flow, accounts):
    case, attachment = attached_case(flow, accounts)
    signed_in(client, accounts.station_b_staff)
    response = client.get(f"/staff/cases/{case.tracking_number}/attachments/{attachment.pk}/")
    assert response.status_code == 404


def test_an_attachment_of_another_case_is_a_404(client, flow, accounts):
    _case, attachment = attached_case(flow, accounts)
    other = flow.to("in_progress", **PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    response = client.get(f"/staff/cases/{other.tracking_number}/attachments/{attachment.pk}/")
    assert response.status_code == 404


def test_not_signed_in_no_file(client, flow, accounts):
    case, attachment = attached_case(flow, accounts)
    response = client.get(f"/staff/cases/{case.tracking_number}/attachments/{attachment.pk}/")
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(f"/media/{attachment.file.name}").status_code == 404
