"""记录活动: an announced activity that has started becomes HELD with attendance, minutes,
outcomes and photos; editable afterwards; scoped and audited."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from liaison.activities import services
from liaison.activities.models import Activity, ActivityPhoto, ActivityStatus, SignUp
from liaison.core.errors import ConcurrentChange, NotAllowed, TransitionRefused
from liaison.core.models import AuditEvent


def _jpeg(name="photo.jpg"):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="PNG")  # a PNG named .jpg is fine
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _after_start(activity, minutes=30):
    return time_machine.travel(activity.starts_at + timedelta(minutes=minutes), tick=False)


def _data(district, **over):
    data = {"attended_deputies": [district.dep_a.pk], "minutes": "议题：加装电梯。", "outcomes": ""}
    data.update(over)
    return data


def test_staff_record_the_activity_with_photos_and_presence(
    client, district, accounts, make_activity
):
    activity = make_activity()
    walk_in = services.sign_up(activity, name="陈阿姨", phone="13812345678")
    absent = services.sign_up(activity, name="", phone="13812345679")
    client.force_login(accounts.station_a_staff)
    url = reverse("activities:staff-hold", args=[activity.pk])
    with _after_start(activity):
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            _data(
                district,
                attended_deputies=[district.dep_a.pk, district.dep_shared.pk],
                outcomes="形成三条建议",
                present=[walk_in.pk],
                photos=[_jpeg(), _jpeg("b.png")],
            ),
        )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.HELD and activity.held_at is not None
    assert set(activity.attended_deputies.all()) == {district.dep_a, district.dep_shared}
    assert activity.minutes == "议题：加装电梯。" and activity.outcomes == "形成三条建议"
    assert SignUp.objects.get(pk=walk_in.pk).checked_in_at is not None
    assert SignUp.objects.get(pk=absent.pk).checked_in_at is None
    photos = list(ActivityPhoto.objects.filter(activity=activity))
    assert len(photos) == 2
    for photo in photos:  # re-encoded: stored as JPEG whatever was sent
        assert photo.image.read()[:3] == b"\xff\xd8\xff"
    served = client.get(reverse("activities:staff-photo", args=[activity.pk, photos[0].pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    detail = client.get(reverse("activities:staff-detail", args=[activity.pk]))
    assert detail.status_code == 200
    event = AuditEvent.objects.get(verb="activity.held")
    assert event.data["present"] == [walk_in.pk] and len(event.data["photos"]) == 2


def test_held_activity_is_edited_and_audited(district, accounts, make_activity):
    activity = make_activity()
    signup = services.sign_up(activity, name="", phone="13812345678")
    with _after_start(activity):
        services.hold_activity(
            activity,
            actor=accounts.station_a_staff,
            attended_deputies=[district.dep_a],
            minutes="初稿",
            present_signups=[signup.pk],
        )
    with _after_start(activity, minutes=600):
        services.hold_activity(
            activity,
            actor=accounts.street_a_committee,
            attended_deputies=[district.dep_shared],
            minutes="定稿",
            outcomes="已交办",
            present_signups=[],
        )
    activity.refresh_from_db()
    assert activity.minutes == "定稿" and list(activity.attended_deputies.all()) == [
        district.dep_shared
    ]
    assert SignUp.objects.get().checked_in_at is None
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="activity.")
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs[-2:] == ["activity.held", "activity.record_changed"]


def test_not_before_start(client, district, accounts, make_activity):
    activity = make_activity()
    client.force_login(accounts.station_a_staff)
    response = client.post(reverse("activities:staff-hold", args=[activity.pk]), _data(district))
    assert response.status_code == 400
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ANNOUNCED and activity.minutes == ""
    assert not activity.attended_deputies.exists()


def test_draft_or_cancelled_cannot_be_held(district, accounts, make_activity):
    draft = make_activity(announce=False)
    stale = make_activity()
    cancelled = services.cancel_activity(stale, actor=accounts.station_a_staff)
    for activity in (draft, cancelled):
        refusing = pytest.raises(TransitionRefused)
        with _after_start(activity), translation.override("en"), refusing as refused:
            services.hold_activity(
                activity, actor=accounts.station_a_staff, attended_deputies=[], minutes="x"
            )
        # The page shows the activity's status, in the words it always had.
        assert "cannot be recorded as held" in str(refused.value.message)
    # Whoever still had the announced activity open is told who cancelled it (issue 16).
    with _after_start(stale), translation.override("en"), refusing as refused:
        services.hold_activity(
            stale, actor=accounts.station_a_staff, attended_deputies=[], minutes="x"
        )
    assert isinstance(refused.value, ConcurrentChange)
    assert f"{district.station_a.name} changed this activity" in str(refused.value.message)
    assert not Activity.objects.filter(status=ActivityStatus.HELD).exists()


def test_permission(client, district, accounts, make_activity):
    activity = make_activity()
    url = reverse("activities:staff-hold", args=[activity.pk])
    with _after_start(activity):
        client.force_login(accounts.station_b_staff)
        assert client.post(url, _data(district)).status_code == 404
        client.force_login(accounts.deputy_a)
        assert client.post(url, _data(district)).status_code == 403
        with pytest.raises(NotAllowed):
            services.hold_activity(
                activity, actor=accounts.station_b_staff, attended_deputies=[], minutes="x"
            )
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ANNOUNCED


def test_pdf_named_jpg_is_refused_and_nothing_saved(client, district, accounts, make_activity):
    activity = make_activity()
    fake = SimpleUploadedFile("现场.jpg", b"%PDF-1.4\n1 0 obj <<>> endobj\n", "image/jpeg")
    client.force_login(accounts.station_a_staff)
    with _after_start(activity):
        response = client.post(
            reverse("activities:staff-hold", args=[activity.pk]),
            _data(district, photos=[_jpeg(), fake]),
        )
    assert response.status_code == 400
    assert "photos" in response.context["form"].errors
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ANNOUNCED
    assert not ActivityPhoto.objects.exists()


def test_attendee_must_be_invited_or_of_the_station(client, district, accounts, make_activity):
    activity = make_activity()
    with _after_start(activity), pytest.raises(ValidationError) as refused:
        services.hold_activity(
            activity,
            actor=accounts.station_a_staff,
            attended_deputies=[district.dep_b],
            minutes="x",
        )
    assert "attended_deputies" in refused.value.message_dict
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ANNOUNCED


def test_minutes_are_required(client, district, accounts, make_activity):
    activity = make_activity()
    client.force_login(accounts.station_a_staff)
    with _after_start(activity):
        response = client.post(
            reverse("activities:staff-hold", args=[activity.pk]), _data(district, minutes="")
        )
    assert response.status_code == 400
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ANNOUNCED


def test_photo_removed(client, district, accounts, make_activity):
    activity = make_activity()
    with _after_start(activity):
        services.hold_activity(
            activity,
            actor=accounts.station_a_staff,
            attended_deputies=[],
            minutes="x",
            photos=[_jpeg()],
        )
    photo = ActivityPhoto.objects.get()
    client.force_login(accounts.station_b_staff)
    url = reverse("activities:staff-photo-remove", args=[activity.pk, photo.pk])
    assert client.post(url).status_code == 404
    client.force_login(accounts.station_a_staff)
    assert client.post(url).status_code == 302
    assert not ActivityPhoto.objects.exists()
    assert AuditEvent.objects.filter(verb="activity.photo_removed").exists()


def test_hold_page_shows_the_refusal_as_a_form_error(client, district, accounts, make_activity):
    activity = services.cancel_activity(make_activity(), actor=accounts.station_a_staff)
    client.force_login(accounts.station_a_staff)
    client.cookies["django_language"] = "en"
    with _after_start(activity):
        response = client.post(
            reverse("activities:staff-hold", args=[activity.pk]), _data(district)
        )
    assert response.status_code == 400
    errors = response.context["form"].non_field_errors()
    assert errors == ["This activity is Cancelled; it cannot be recorded as held."]
    assert response.context["may_record"] is False
