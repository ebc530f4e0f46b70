"""Record entries: a deputy adds their own, station staff add for their station's deputies; staff
of the deputy's station or the committee above confirm or reject with a reason; evidence photos are
checked by content and re-encoded; refusals change nothing."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.models import AuditEvent
from liaison.notifications.models import Notification
from liaison.records import services
from liaison.records.models import EntryStatus, RecordEntry, RecordPhoto

pytestmark = pytest.mark.django_db


def png(color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), color).save(out, format="PNG")
    return out.getvalue()


def form(**overrides):
    data = {
        "kind": "inspection",
        "date": "2026-03-02",
        "title": "视察老旧小区改造",
        "description": "查看进度",
    }
    data.update(overrides)
    return data


def add(actor, deputy, **overrides):
    fields = {"kind": "survey", "date": date(2026, 3, 2), "title": "调研停车难"}
    fields.update(overrides)
    return services.add_entry(actor=actor, deputy=deputy, **fields)


def test_a_deputy_adds_an_entry_with_photos_for_themselves(client, accounts, district):
    client.force_login(accounts.deputy_a)
    photo = SimpleUploadedFile("a.png", png(), content_type="image/png")
    response = client.post(reverse("records:entry-new"), {**form(), "photos": [photo]})
    assert response.status_code == 302
    entry = RecordEntry.objects.get()
    assert (entry.deputy, entry.status, entry.created_by) == (
        district.dep_a,
        EntryStatus.PENDING,
        accounts.deputy_a,
    )
    stored = entry.photos.get().image.read()
    assert stored.startswith(b"\xff\xd8")  # re-encoded as JPEG
    assert AuditEvent.objects.filter(verb="record_entry.added", object_id=str(entry.pk)).exists()
    # The deputy may open it and its photo.
    assert client.get(reverse("records:entry-detail", args=[entry.pk])).status_code == 200
    assert client.get(reverse("records:photo", args=[entry.photos.get().pk])).status_code == 200


def test_a_deputy_cannot_choose_another_deputy(client, accounts, district):
    client.force_login(accounts.deputy_a)
    response = client.post(reverse("records:entry-new"), form(deputy=district.dep_b.pk))
    assert response.status_code == 302
    assert RecordEntry.objects.get().deputy == district.dep_a  # the field is ignored


def test_a_photo_that_is_not_an_image_is_refused(client, accounts):
    client.force_login(accounts.deputy_a)
    fake = SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    response = client.post(reverse("records:entry-new"), {**form(), "photos": [fake]})
    assert response.status_code == 400
    assert "photos" in response.context["form"].errors
    assert not RecordEntry.objects.exists() and not RecordPhoto.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [({"title": ""}, "title"), ({"date": "2099-01-01"}, "date"), ({"kind": "party"}, "kind")],
)
def test_bad_input_is_a_400_with_the_field(client, accounts, overrides, field):
    client.force_login(accounts.deputy_a)
    response = client.post(reverse("records:entry-new"), form(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not RecordEntry.objects.exists()


def test_station_staff_add_for_their_deputies_only(client, accounts, district):
    client.force_login(accounts.station_a_staff)
    response = client.post(reverse("records:entry-new"), form(deputy=district.dep_a.pk))
    assert response.status_code == 302
    response = client.post(reverse("records:entry-new"), form(deputy=district.dep_b.pk))
    assert response.status_code == 400  # not a choice for station A
    with pytest.raises(NotAllowed):
        add(accounts.station_a_staff, district.dep_b)
    with pytest.raises(NotAllowed):
        add(accounts.deputy_a, district.dep_b)
    with pytest.raises(NotAllowed):
        add(accounts.handler_a, district.dep_a)
    assert RecordEntry.objects.count() == 1


def test_confirm_flow_over_http(client, accounts, district):
    entry = add(accounts.deputy_a, district.dep_a)
    url = reverse("records:entry-decide", args=[entry.pk, "confirm"])
    # The deputy cannot confirm their own entry.
    client.force_login(accounts.deputy_a)
    assert client.post(url).status_code == 403
    # Staff of another station do not even see it.
    client.force_login(accounts.station_b_staff)
    assert client.post(url).status_code == 404
    assert client.get(reverse("records:entry-detail", args=[entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PENDING
    # Staff of the deputy's station confirm.
    client.force_login(accounts.station_a_staff)
    assert client.post(url).status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.confirmed_by) == (EntryStatus.CONFIRMED, accounts.station_a_staff)
    assert entry.confirmed_at is not None
    assert AuditEvent.objects.filter(verb="record_entry.confirmed").count() == 1
    assert (
        Notification.objects.filter(
            recipient=str(accounts.deputy_a.pk), dedupe_key__startswith=f"record-entry:{entry.pk}:"
        ).count()
        == 1
    )
    # Deciding twice is a conflict.
    assert client.post(url).status_code == 409
    reject = reverse("records:entry-decide", args=[entry.pk, "reject"])
    assert client.post(reject, {"reason": "重复"}).status_code == 409
    entry.refresh_from_db()
    assert entry.status == EntryStatus.CONFIRMED


def test_reject_needs_a_reason(client, accounts, district):
    entry = add(accounts.deputy_a, district.dep_a)
    client.force_login(accounts.street_a_committee)  # the committee covering the deputy
    url = reverse("records:entry-decide", args=[entry.pk, "reject"])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PENDING
    assert client.post(url, {"reason": "照片与活动不符"}).status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.rejection_reason, entry.rejected_by) == (
        EntryStatus.REJECTED,
        "照片与活动不符",
        accounts.street_a_committee,
    )
    assert AuditEvent.objects.filter(verb="record_entry.rejected").count() == 1


def test_committee_of_another_street_cannot_decide(accounts, district):
    from liaison.accounts.models import Role

    from ..factories import UserFactory

    other = UserFactory(role=Role.COMMITTEE_STAFF, region=district.street_b)
    entry = add(accounts.deputy_a, district.dep_a)
    with pytest.raises(NotAllowed):
        services.confirm_entry(entry, actor=other)
    with pytest.raises(NotAllowed):
        services.reject_entry(entry, actor=other, reason="x")
    services.confirm_entry(entry, actor=accounts.county_committee)
    with pytest.raises(TransitionRefused):
        services.confirm_entry(entry, actor=accounts.county_committee)


def test_the_entry_list_is_scoped(client, accounts, district):
    add(accounts.deputy_a, district.dep_a, title="甲的调研")
    add(accounts.administrator, district.dep_b, title="乙的调研")
    client.force_login(accounts.station_a_staff)
    page = client.get(reverse("records:entry-list")).content.decode()
    assert "甲的调研" in page and "乙的调研" not in page
    client.force_login(accounts.station_b_staff)
    page = client.get(reverse("records:entry-list")).content.decode()
    assert "乙的调研" in page and "甲的调研" not in page
    assert client.get(reverse("records:entry-list") + "?status=bogus").status_code == 400


def test_photos_are_served_only_within_scope(client, accounts, district):
    entry = add(
        accounts.deputy_a,
        district.dep_a,
        photos=[SimpleUploadedFile("a.png", png(), content_type="image/png")],
    )
    url = reverse("records:photo", args=[entry.photos.get().pk])
    client.force_login(accounts.station_b_staff)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_pages_offer_only_what_the_table_allows(client, accounts, district):
    """The "New entry" button for whoever writes in a deputy's name; confirm and reject for the
    staff who look after the deputy, and only while the entry is pending."""
    new_entry = reverse("records:entry-new")
    for account, offered in [
        (accounts.administrator, True),
        (accounts.station_a_staff, True),
        (accounts.street_a_committee, False),
    ]:
        client.force_login(account)
        page = client.get(reverse("records:overview")).content.decode()
        assert (f'href="{new_entry}"' in page) is offered, account.username
    entry = add(accounts.deputy_a, district.dep_a)
    detail = reverse("records:entry-detail", args=[entry.pk])
    for account, offered in [
        (accounts.deputy_a, False),
        (accounts.station_a_staff, True),
        (accounts.street_a_committee, True),
    ]:
        client.force_login(account)
        assert client.get(detail).context["may_review"] is offered, account.username
    services.confirm_entry(entry, actor=accounts.station_a_staff)
    assert client.get(detail).context["may_review"] is False
