"""The personal-data access log (docs/privacy.md): every look at a citizen's data in full is an
audit event with who, which case, when and where; administrators read them in the admin, with
search and a date filter; nobody changes them."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from liaison.api.keys import create_key
from liaison.core import privacy
from liaison.core.models import AuditEvent

from .photo_support import assigned_with_photos
from .staff_pages import detail_url, signed_in

pytestmark = pytest.mark.django_db

LOG = reverse("admin:core_personaldataaccess_changelist")


def reveal(client, user, case):
    response = signed_in(client, user).post(
        reverse("staff:case-phone", args=[case.tracking_number])
    )
    assert response.status_code == 200


def test_each_look_is_logged_with_who_which_when_and_where(client, flow, accounts, district):
    case = assigned_with_photos(flow, accounts, district, consent=True, count=1)
    reveal(client, accounts.handler_a, case)
    photo = case.photos.get()
    signed_in(client, accounts.station_a_staff)
    original = client.get(f"/staff/cases/{case.tracking_number}/photos/{photo.pk}/")
    assert original.status_code == 200
    _key, raw = create_key(name="t", user=accounts.deputy_a, scopes=["staff"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    links = api.get(f"/api/v1/staff/cases/{case.tracking_number}/").json()["photos"]
    assert api.get(links[0]["url"]).status_code == 200

    rows = privacy.access_log().order_by("id")
    assert [(r.verb, r.actor, r.data["surface"], r.object_id) for r in rows] == [
        ("case.phone_viewed", accounts.handler_a, "staff_page", str(case.pk)),
        ("case.photo_viewed", accounts.station_a_staff, "staff_page", str(case.pk)),
        ("case.photo_viewed", accounts.deputy_a, "staff_api", str(case.pk)),
    ]


def test_a_look_refused_is_not_a_look(client, flow, accounts):
    case = flow.to("assigned")  # without the citizen's consent
    response = signed_in(client, accounts.handler_a).post(
        reverse("staff:case-phone", args=[case.tracking_number])
    )
    assert response.status_code == 403
    signed_in(client, accounts.street_a_committee).get(detail_url(case))
    assert not privacy.access_log().exists()


def test_administrators_read_search_and_filter_the_log(client, flow, accounts):
    case = flow.to("accepted")
    other = flow.to("accepted")
    with time_machine.travel(timezone.now() - timedelta(days=40)):
        reveal(client, accounts.deputy_a, other)
    reveal(client, accounts.station_a_staff, case)
    # Not a look at personal data: stays out of this log (it is in the audit trail).
    AuditEvent.objects.create(verb="deputy.changed", object_repr=case.tracking_number)

    signed_in(client, accounts.administrator)
    page = client.get(LOG)
    assert page.status_code == 200
    body = page.content.decode()
    assert case.tracking_number in body and other.tracking_number in body
    assert "Staff page" in body and "deputy.changed" not in body
    assert "13912345678" not in body  # the log says who looked, never what they saw

    found = client.get(LOG, {"q": "deputy_a"}).content.decode()
    assert other.tracking_number in found and case.tracking_number not in found
    since = (timezone.localtime() - timedelta(days=7)).isoformat()  # as "Past 7 days" sends
    recent = client.get(LOG, {"created_at__gte": since}).content.decode()
    assert case.tracking_number in recent and other.tracking_number not in recent


def test_only_administrators_and_nobody_changes_it(client, flow, accounts):
    case = flow.to("accepted")
    reveal(client, accounts.station_a_staff, case)
    row = privacy.access_log().get()
    for role in ("station_a_staff", "street_a_committee"):
        response = signed_in(client, getattr(accounts, role)).get(LOG)
        assert response.status_code in (302, 403)
    signed_in(client, accounts.administrator)
    change = reverse("admin:core_personaldataaccess_change", args=[row.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"verb": "x"}).status_code == 403
    delete = reverse("admin:core_personaldataaccess_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:core_personaldataaccess_add")).status_code == 403
    row.refresh_from_db()
    assert row.verb == "case.phone_viewed"
