"""The citizen's message form (码上找代表): from the deputy's or station's page to a draft case
waiting for its SMS code. Bad input is refused with the field's message and writes nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.cases.models import Case, CasePhoto, PhoneCode
from liaison.notifications.models import Notification

from .public_support import PHONE, deputy_form_url, english, jpeg, message_data, send_message

pytestmark = pytest.mark.django_db


def test_the_deputy_and_station_pages_link_to_the_form(client, district):
    html = client.get(district.dep_a.get_absolute_url()).content.decode()
    assert f'href="/d/{district.dep_a.public_code}/message/"' in html
    html = client.get(district.station_a.get_absolute_url()).content.decode()
    assert f'href="/s/{district.station_a.public_code}/message/"' in html


def test_the_form_works_without_javascript_and_labels_every_field(client, district):
    english(client)
    response = client.get(deputy_form_url(district))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Leave a message for deputy 张明华" in html
    for name in [
        "category",
        "title",
        "description",
        "location_text",
        "photos",
        "citizen_name",
        "citizen_phone",
        "confidential",
        "public_consent",
        "privacy_accepted",
    ]:
        assert f'for="id_{name}"' in html, name
    assert 'enctype="multipart/form-data"' in html
    assert 'href="/privacy/"' in html
    assert 'id="locate"' in html and "hidden" in html  # the location button appears with JS only
    assert client.get("/privacy/").status_code == 200


def test_a_message_becomes_an_unverified_draft_and_a_code_is_sent(client, district):
    send_message(client, district, confidential="on", public_consent="on")
    case = Case.objects.get()
    assert case.deputy == district.dep_a and case.station == district.station_a
    assert case.phone_verified_at is None and case.due_at is None
    assert case.confidential and case.public_consent
    assert not case.events.exists()  # the submission event is written on confirmation
    assert not Case.objects.verified().exists()
    sms = Notification.objects.get(channel="sms")
    assert sms.recipient == PHONE and re.search(r"(?<!\d)\d{6}(?!\d)", sms.body)
    assert case.language == "zh-hans"  # the SMS language: the page's, Chinese by default
    assert PhoneCode.objects.get(case=case).code_hash not in sms.body


def test_a_message_to_the_station_has_no_deputy(client, district):
    response = client.post(f"/s/{district.station_a.public_code}/message/", message_data(district))
    assert response.status_code == 302
    assert Case.objects.get().deputy is None


def test_location_from_the_phone_is_kept(client, district):
    send_message(client, district, latitude="30.123456", longitude="120.654321")
    case = Case.objects.get()
    assert (str(case.latitude), str(case.longitude)) == ("30.123456", "120.654321")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"category": ""}, "category", "Please choose what your message is about."),
        ({"category": "999999"}, "category", "Please choose one of the listed categories."),
        ({"title": " "}, "title", "Please give your message a title."),
        ({"title": "长" * 121}, "title", "at most 120 characters"),
        ({"description": ""}, "description", "Please describe the matter."),
        ({"citizen_phone": ""}, "citizen_phone", "Please give your mobile number"),
        ({"citizen_phone": "12345"}, "citizen_phone", "not a valid mainland mobile number"),
        ({"citizen_phone": "0571-87654321"}, "citizen_phone", "not a valid mainland mobile"),
        ({"privacy_accepted": None}, "privacy_accepted", "Please read and accept the privacy"),
        ({"latitude": "30.1"}, None, "The location from your phone was incomplete"),
        ({"latitude": "91", "longitude": "120"}, "latitude", "less than or equal to 90"),
        ({"location_text": "路" * 201}, "location_text", "at most 200 characters"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, district, overrides, field, message):
    english(client)
    response = client.post(deputy_form_url(district), message_data(district, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    if field:
        assert field in response.context["form"].errors
    assert not Case.objects.exists() and not Notification.objects.exists()


def test_an_inactive_category_is_refused(client, district):
    district.category.is_active = False
    district.category.save()
    response = client.post(deputy_form_url(district), message_data(district))
    assert response.status_code == 400 and "category" in response.context["form"].errors
    assert not Case.objects.exists()


def test_an_unknown_or_inactive_deputy_is_404(client, district):
    assert client.get("/d/nosuchcode/message/").status_code == 404
    district.dep_a.is_active = False
    district.dep_a.save()
    assert client.get(deputy_form_url(district)).status_code == 404


def test_the_honeypot_refuses_robots_quietly(client, district):
    english(client)
    response = client.post(deputy_form_url(district), message_data(district, website="http://x"))
    assert response.status_code == 400
    assert "could not be sent" in response.content.decode()
    assert not Case.objects.exists() and not Notification.objects.exists()


def test_photos_are_reencoded_without_their_exif(client, district):
    exif = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00"
    data = message_data(district)
    data["photos"] = [jpeg("a.jpg", exif=exif), jpeg("b.png")]
    response = client.post(deputy_form_url(district), data)
    assert response.status_code == 302
    photos = list(CasePhoto.objects.all())
    assert len(photos) == 2
    for photo in photos:
        content = photo.image.read()
        assert content.startswith(b"\xff\xd8") and b"Exif" not in content
        assert photo.image.name.startswith("cases/photos/") and photo.image.name.endswith(".jpg")


def test_a_bad_fifth_photo_saves_no_case_and_no_photo(client, district, settings):
    english(client)
    data = message_data(district)
    data["photos"] = [jpeg(f"{n}.jpg") for n in range(4)] + [
        SimpleUploadedFile("notes.jpg", b"this is not an image", "image/jpeg")
    ]
    response = client.post(deputy_form_url(district), data)
    assert response.status_code == 400
    assert "Photo 5 (notes.jpg)" in response.content.decode()
    assert not Case.objects.exists() and not CasePhoto.objects.exists()
    assert not list(settings.MEDIA_ROOT.rglob("*.jpg"))  # no file was written either


def test_more_than_nine_photos_are_refused(client, district):
    english(client)
    data = message_data(district)
    data["photos"] = [jpeg(f"{n}.jpg") for n in range(10)]
    response = client.post(deputy_form_url(district), data)
    assert response.status_code == 400
    assert "at most 9 photos; you chose 10" in response.content.decode()
    assert not Case.objects.exists()


def test_an_oversize_photo_is_refused(client, district, settings):
    english(client)
    settings.PHOTO_MAX_BYTES = 500
    data = message_data(district)
    data["photos"] = [jpeg("big.jpg", size=(400, 400))]
    response = client.post(deputy_form_url(district), data)
    assert response.status_code == 400
    assert "The photo is too large" in response.content.decode()
    assert not Case.objects.exists()


def test_photos_over_the_total_limit_are_refused(client, district, settings):
    english(client)
    one = len(jpeg().read())
    settings.MESSAGE_UPLOAD_MAX_BYTES = one * 2
    data = message_data(district)
    data["photos"] = [jpeg(f"{n}.jpg") for n in range(3)]
    response = client.post(deputy_form_url(district), data)
    assert response.status_code == 400
    assert "The photos together are too large" in response.content.decode()
    assert not Case.objects.exists()


def test_a_request_far_over_the_limit_is_refused_unread(client, district, settings):
    english(client)
    settings.MESSAGE_UPLOAD_MAX_BYTES = 1000
    data = message_data(district)
    data["photos"] = [SimpleUploadedFile("big.jpg", b"x" * (2 * 2**20), "image/jpeg")]
    response = client.post(deputy_form_url(district), data)
    assert response.status_code == 413
    assert "The photos together are too large" in response.content.decode()
    assert not Case.objects.exists()


def test_messages_per_phone_are_limited(client, district, settings):
    english(client)
    settings.LIAISON_RATE_MESSAGES_PER_PHONE = 2
    send_message(client, district)
    send_message(client, district, citizen_phone="139 1234 5678")
    response = client.post(deputy_form_url(district), message_data(district))
    assert response.status_code == 429
    assert "Too many messages" in response.content.decode()
    assert Case.objects.count() == 2
    send_message(client, district, citizen_phone="13800001111")  # another phone is fine


def test_messages_per_client_address_are_limited(client, district, settings):
    settings.LIAISON_RATE_MESSAGES_PER_IP = 2
    for n in range(2):
        send_message(client, district, citizen_phone=f"1380000000{n}")
    response = client.post(
        deputy_form_url(district), message_data(district, citizen_phone="13800000009")
    )
    assert response.status_code == 429
    other = client.post(
        deputy_form_url(district),
        message_data(district, citizen_phone="13800000009"),
        REMOTE_ADDR="10.0.0.2",
    )
    assert other.status_code == 302
    assert Case.objects.count() == 3


def test_invalid_forms_do_not_use_up_the_limit(client, district, settings):
    settings.LIAISON_RATE_MESSAGES_PER_PHONE = 1
    client.post(deputy_form_url(district), message_data(district, title=""))
    send_message(client, district)
