"""联合接待 at an activity: staff invite outside participants (officials, police, lawyers, …)
while it can change, each invitation on the activity's trail; the public page shows them."""

import pytest
from django.utils import translation

from liaison.activities import services
from liaison.activities.models import ActivityGuest
from liaison.core.models import AuditEvent
from liaison.receptions.models import GuestKind

pytestmark = pytest.mark.django_db
EN = {"HTTP_COOKIE": "django_language=en"}


def _guest(**changes):
    data = {
        "action": "guest",
        "guest-kind": GuestKind.PROCURATOR,
        "guest-name": "周检察官",
        "guest-organisation": "区人民检察院公益诉讼检察室",
        "guest-role": "检察官",
    }
    data.update(changes)
    return data


def _url(activity):
    return f"/staff/activities/{activity.pk}/guests/"


def test_staff_invite_a_guest_shown_on_the_public_page(client, accounts, make_activity):
    activity = make_activity()
    client.force_login(accounts.station_a_staff)
    response = client.post(_url(activity), _guest())
    assert response.status_code == 302
    guest = ActivityGuest.objects.get()
    assert (guest.activity, guest.kind, guest.added_by) == (
        activity,
        GuestKind.PROCURATOR,
        accounts.station_a_staff,
    )
    assert AuditEvent.objects.filter(verb="activity.guest_added").count() == 1
    staff_page = client.get(f"/staff/activities/{activity.pk}/").content.decode()
    assert "周检察官" in staff_page and "remove_guest" in staff_page

    client.logout()
    page = client.get(f"/a/{activity.public_code}/", **EN).content.decode()
    assert "Procurator" in page
    assert "周检察官, 检察官 · 区人民检察院公益诉讼检察室" in page
    assert "remove_guest" not in page


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"guest-name": ""}, "name"),
        ({"guest-organisation": "  "}, "organisation"),
        ({"guest-kind": "mayor"}, "kind"),
        ({"guest-name": "名" * 51}, "name"),
    ],
)
def test_bad_guests_are_refused(client, accounts, make_activity, changes, field):
    activity = make_activity()
    client.force_login(accounts.station_a_staff)
    client.cookies["django_language"] = "en"
    response = client.post(_url(activity), _guest(**changes))
    assert response.status_code == 400
    assert response.context["guest_form"].errors[field]
    assert not ActivityGuest.objects.exists()


def test_no_guests_once_cancelled(client, accounts, make_activity):
    activity = make_activity()
    services.cancel_activity(activity, actor=accounts.station_a_staff)
    client.force_login(accounts.station_a_staff)
    client.cookies["django_language"] = "en"
    response = client.post(_url(activity), _guest())
    assert response.status_code == 400
    assert "can no longer be changed" in response.content.decode()
    assert not ActivityGuest.objects.exists()


def test_other_station_staff_may_not_invite(client, accounts, make_activity):
    activity = make_activity()
    client.force_login(accounts.station_b_staff)
    assert client.post(_url(activity), _guest()).status_code == 404
    assert not ActivityGuest.objects.exists()


def test_remove_a_guest(client, accounts, make_activity):
    activity = make_activity()
    guest = services.add_activity_guest(
        activity,
        actor=accounts.station_a_staff,
        kind=GuestKind.POLICE,
        name="孙警官",
        organisation="北山派出所",
    )
    client.force_login(accounts.station_a_staff)
    response = client.post(_url(activity), {"action": "remove_guest", "guest": guest.pk})
    assert response.status_code == 302
    assert not ActivityGuest.objects.exists()
    assert AuditEvent.objects.filter(verb="activity.guest_removed").count() == 1
    assert client.post(_url(activity), {"action": "remove_guest", "guest": "²"}).status_code == 404


def test_the_same_guest_twice_is_refused(accounts, make_activity):
    activity = make_activity()
    values = {"kind": GuestKind.LAWYER, "name": "钱律师", "organisation": "某律师事务所"}
    services.add_activity_guest(activity, actor=accounts.station_a_staff, **values)
    with translation.override("en"), pytest.raises(Exception, match="already listed"):
        services.add_activity_guest(activity, actor=accounts.station_a_staff, **values)
    assert ActivityGuest.objects.count() == 1
