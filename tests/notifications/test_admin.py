"""The outbox in the admin: administrators only, recipients masked, failed ones can be retried."""

from liaison.core.models import AuditEvent
from liaison.notifications.models import Notification, Status

URL = "/admin/notifications/notification/"


def _failed():
    return Notification.objects.create(
        channel="sms",
        recipient="13812345678",
        body="您的留言已受理。",
        status=Status.FAILED,
        attempts=5,
        last_error="ConnectionError: gateway unreachable",
    )


def test_administrator_sees_masked_recipients(client, accounts):
    note = _failed()
    client.force_login(accounts.administrator)
    listing = client.get(URL)
    assert listing.status_code == 200
    assert "138****5678" in listing.text
    detail = client.get(f"{URL}{note.pk}/change/")
    assert detail.status_code == 200
    assert "13812345678" not in listing.text + detail.text


def test_retrying_a_failed_notification_queues_it_again_and_is_audited(client, accounts):
    note = _failed()
    client.force_login(accounts.administrator)
    response = client.post(URL, {"action": "retry_failed", "_selected_action": [note.pk]})
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.status, note.attempts, note.last_error) == (Status.PENDING, 0, "")
    event = AuditEvent.objects.get(verb="notification.retried")
    assert event.actor == accounts.administrator


def test_other_staff_cannot_see_the_outbox(client, accounts):
    _failed()
    client.force_login(accounts.county_committee)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"action": "retry_failed", "_selected_action": ["1"]})
    assert response.status_code == 403
    assert Notification.objects.get().status == Status.FAILED
