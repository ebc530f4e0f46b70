"""Helpers for the citizen-page tests (tests/cases/test_public_*.py)."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from liaison.cases.models import Case
from liaison.notifications.models import Notification

PHONE = "13912345678"


def english(client):
    client.cookies["django_language"] = "en"
    return client


def jpeg(name="photo.jpg", size=(64, 48), exif=None) -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 90, 40))
    if exif is not None:
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def message_data(district, **overrides) -> dict:
    data = {
        "category": str(district.category.pk),
        "title": "路灯不亮",
        "description": "保俶路12号门口的路灯坏了一个月。",
        "location_text": "保俶路12号",
        "citizen_name": "陈女士",
        "citizen_phone": PHONE,
        "privacy_accepted": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def deputy_form_url(district) -> str:
    return f"/d/{district.dep_a.public_code}/message/"


def last_code(phone: str = PHONE) -> str:
    """The 6-digit code in the latest SMS to `phone`."""
    sms = Notification.objects.filter(recipient=phone).order_by("-id").first()
    return re.search(r"(?<!\d)(\d{6})(?!\d)", sms.body).group(1)


def send_message(client, district, **overrides):
    response = client.post(deputy_form_url(district), message_data(district, **overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def confirmed_case(client, district, **overrides) -> Case:
    """Send a message and confirm its phone through the pages; the client can track it."""
    send_message(client, district, **overrides)
    phone = overrides.get("citizen_phone", PHONE)
    response = client.post("/message/confirm/", {"action": "verify", "code": last_code(phone)})
    assert response.status_code == 302 and response["Location"] == "/message/sent/"
    return Case.objects.latest("id")
