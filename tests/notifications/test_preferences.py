"""Each account chooses how it is told besides its inbox: e-mail per notice, a daily digest,
urgent texts. Every notice stays in the inbox whatever it chose."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from liaison.core.models import AuditEvent
from liaison.notifications.models import Notification
from liaison.notifications.services import send_digests, tell_accounts

INBOX = "/staff/inbox/"


def channels(user) -> set[str]:
    return set(
        Notification.objects.filter(dedupe_key__startswith=f"k:{user.pk}").values_list(
            "channel", flat=True
        )
    )


def test_the_choice_decides_the_channels_but_never_the_inbox(accounts):
    user = accounts.handler_a
    user.email, user.phone = "h@example.org", "13700001234"
    user.save()
    sms = ("staff_task", {"what": "催办", "number": "1", "url": "http://x/"})
    tell_accounts([user], "k", "催办", "催办", sms=sms)
    assert channels(user) == {"in_app", "email", "sms"}
    Notification.objects.all().delete()
    user.email_notices = user.sms_notices = False
    user.save()
    tell_accounts([user], "k", "催办", "催办", sms=sms)
    assert channels(user) == {"in_app"}


def test_the_page_saves_the_choice_and_audits_it(client, accounts):
    user = accounts.station_a_staff
    client.force_login(user)
    page = client.get(INBOX).content.decode()
    assert 'name="daily_digest"' in page and 'name="sms_notices"' in page
    response = client.post(INBOX + "preferences/", {"daily_digest": "on"}, follow=True)
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.email_notices, user.daily_digest, user.sms_notices) == (False, True, False)
    event = AuditEvent.objects.get(verb="account.notice_preferences")
    assert event.data["after"]["daily_digest"] is True


def test_saving_the_same_choice_writes_no_audit_row(client, accounts):
    client.force_login(accounts.station_a_staff)
    everything = {"email_notices": "on", "sms_notices": "on"}
    client.post(INBOX + "preferences/", everything)
    assert not AuditEvent.objects.filter(verb="account.notice_preferences").exists()


def test_the_daily_digest_replaces_single_emails_once_a_day(accounts):
    user = accounts.deputy_a
    user.email, user.daily_digest = "d@example.org", True
    user.save()
    shanghai = ZoneInfo("Asia/Shanghai")
    with time_machine.travel(datetime(2026, 12, 3, 15, tzinfo=shanghai), tick=False):
        tell_accounts([user], "a", "新留言待答复 1", "…")
        tell_accounts([user], "b", "新留言待答复 2", "…")
    assert not Notification.objects.filter(channel="email").exists()  # no single e-mails
    with time_machine.travel(datetime(2026, 12, 4, 8, tzinfo=shanghai), tick=False):
        assert send_digests() == 1
        assert send_digests() == 0  # once a day
    digest = Notification.objects.get(channel="email", recipient="d@example.org")
    assert "新留言待答复 1" in digest.body and "新留言待答复 2" in digest.body
    with time_machine.travel(datetime(2026, 12, 5, 8, tzinfo=shanghai) + timedelta(days=2)):
        assert send_digests() == 0  # nothing new: no empty digest
