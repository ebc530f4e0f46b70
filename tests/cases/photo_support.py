"""Cases with the citizen's photos and a department's result attachment, for the staff page and
API tests of the photos (tests/cases/test_staff_photos.py, tests/api/test_case_files.py)."""

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from liaison.cases import services

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def jpeg(size=(800, 600), colour=(20, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG", quality=90)
    return out.getvalue()


def with_photos(count=2):
    """The citizen's photos as the message form hands them to the service: re-encoded JPEGs."""
    return [ContentFile(jpeg(), name=f"photo-{n}.jpg") for n in range(1, count + 1)]


def assigned_with_photos(flow, accounts, district, *, consent: bool, count=2):
    """A phone call with photos, assigned to department A (signed for), with or without the
    citizen's consent to share their personal information with it."""
    case = flow.to("to_assign", channel="phone", photos=with_photos(count))
    extra = {"share_contact": True, "consent": {"how": "电话中口头同意"}} if consent else {}
    case = services.assign_case(
        case, actor=accounts.street_a_committee, lead_department=district.department_a, **extra
    )
    return services.sign_assignment(case, actor=accounts.handler_a)


def report_with_pdf(case, accounts):
    return services.report_result(
        case,
        actor=accounts.handler_a,
        text="已处理。",
        attachments=[SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf")],
    )
