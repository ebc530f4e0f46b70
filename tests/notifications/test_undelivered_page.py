"""发送失败的消息: administrators list the failed and refused messages (recipients masked), filter
them, and queue one or all shown again; every other role is refused."""

import pytest

from liaison.core.models import AuditEvent
from liaison.notifications.models import Notification, Status

URL = "/staff/outbox/"


@pytest.fixture(autouse=True)
def _english(client):
    # The confirmations are checked by their English text: the page in English, as a user may pick.
    client.cookies["django_language"] = "en"


def _undelivered(phone="13812345678", status=Status.FAILED, channel="sms", **fields):
    return Notification.objects.create(
        channel=channel,
        recipient=phone,
        body="您的留言已收到",
        status=status,
        attempts=5,
        last_error=fields.pop("last_error", "ConnectionError: gateway unreachable"),
        **fields,
    )


def test_administrator_sees_the_list_with_masked_numbers(client, accounts):
    failed = _undelivered(last_error="ConnectionError: gateway unreachable")
    dead = _undelivered("13900001111", Status.DEAD, last_error="delivery receipt: MK:0001 空号")
    Notification.objects.create(channel="sms", recipient="13722223333", body="ok", status="sent")
    client.force_login(accounts.administrator)
    page = client.get(URL)
    assert page.status_code == 200
    text = page.text
    assert f'id="notification-{failed.pk}"' in text and f'id="notification-{dead.pk}"' in text
    assert "138****5678" in text and "139****1111" in text
    assert "13812345678" not in text and "13900001111" not in text
    assert "137****3333" not in text  # sent: not listed
    assert "MK:0001" in text and "gateway unreachable" in text
    # Newest first.
    assert text.index(f"notification-{dead.pk}") < text.index(f"notification-{failed.pk}")


@pytest.mark.parametrize(
    "role",
    ["county_committee", "station_a_staff", "deputy_a", "handler_a"],
)
def test_other_roles_are_refused(client, accounts, role):
    note = _undelivered()
    client.force_login(getattr(accounts, role))
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}{note.pk}/retry/").status_code == 403
    assert client.post(f"{URL}retry/", {"ids": [note.pk]}).status_code == 403
    note.refresh_from_db()
    assert note.status == Status.FAILED
    assert not AuditEvent.objects.filter(verb="notification.retried").exists()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_filters_by_channel_status_and_search(client, accounts):
    sms_failed = _undelivered("13812345678", Status.FAILED, dedupe_key="case-event:1:sms")
    sms_dead = _undelivered(
        "13900001111", Status.DEAD, params={"number": "JB20250303-0007"}, dedupe_key="x:2"
    )
    mail = _undelivered("z@example.com", Status.FAILED, channel="email", dedupe_key="e:3")
    client.force_login(accounts.administrator)

    def shown(**query):
        text = client.get(URL, query).text
        return {n.pk for n in (sms_failed, sms_dead, mail) if f'id="notification-{n.pk}"' in text}

    assert shown() == {sms_failed.pk, sms_dead.pk, mail.pk}
    assert shown(channel="email") == {mail.pk}
    assert shown(status="dead") == {sms_dead.pk}
    assert shown(q="5678") == {sms_failed.pk}  # the last 4 digits
    assert shown(q="JB20250303-0007") == {sms_dead.pk}  # the tracking number
    assert shown(q="case-event:1") == {sms_failed.pk}  # part of the dedupe key
    assert shown(channel="sms", status="failed", q="1111") == set()


@pytest.mark.parametrize(
    "query", [{"channel": "fax"}, {"status": "sent"}, {"q": "<script>"}, {"q": "1" * 41}]
)
def test_an_invalid_filter_is_a_400_with_the_message(client, accounts, query):
    _undelivered()
    client.force_login(accounts.administrator)
    response = client.get(URL, query)
    assert response.status_code == 400
    assert "has-error" in response.text


def test_retry_one_queues_it_again_audited_with_a_confirmation(client, accounts):
    note, other = _undelivered(), _undelivered("13900001111", Status.DEAD)
    client.force_login(accounts.administrator)
    response = client.post(f"{URL}{note.pk}/retry/", {"channel": "sms", "page": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{URL}?channel=sms&page=1"
    assert "1 message queued again" in response.text
    note.refresh_from_db()
    other.refresh_from_db()
    assert (note.status, note.attempts, note.last_error) == (Status.PENDING, 0, "")
    assert other.status == Status.DEAD
    event = AuditEvent.objects.get(verb="notification.retried")
    assert (event.actor, event.object_id) == (accounts.administrator, str(note.pk))


def test_retrying_a_row_that_is_no_longer_undelivered_queues_nothing(client, accounts):
    note = _undelivered(status=Status.SENT, last_error="")
    client.force_login(accounts.administrator)
    response = client.post(f"{URL}{note.pk}/retry/", follow=True)
    assert "Nothing to queue again" in response.text
    assert not AuditEvent.objects.exists()
    assert client.post(f"{URL}999999/retry/").status_code == 404
    assert client.get(f"{URL}{note.pk}/retry/").status_code == 405


def test_retry_all_shown_queues_the_rows_of_the_page(client, accounts):
    shown = [_undelivered(f"1380000000{i}") for i in range(3)]
    sent = _undelivered("13811112222", Status.SENT, last_error="")
    client.force_login(accounts.administrator)
    ids = [n.pk for n in shown] + [sent.pk]
    response = client.post(f"{URL}retry/", {"ids": ids}, follow=True)
    assert response.status_code == 200
    assert "3 messages queued again" in response.text
    assert set(Notification.objects.values_list("status", flat=True)) == {
        Status.PENDING,
        Status.SENT,
    }
    assert AuditEvent.objects.filter(verb="notification.retried").count() == 3


@pytest.mark.parametrize("ids", [[], ["abc"], list(range(1, 102))])
def test_retry_all_with_a_bad_list_queues_nothing(client, accounts, ids):
    note = _undelivered()
    client.force_login(accounts.administrator)
    response = client.post(f"{URL}retry/", {"ids": ids}, follow=True)
    assert response.status_code == 200
    assert "queued again" not in response.text
    note.refresh_from_db()
    assert note.status == Status.FAILED


def test_the_page_shows_the_retry_buttons_and_paginates(client, accounts):
    for i in range(51):
        _undelivered(f"138{i:08d}")
    client.force_login(accounts.administrator)
    first = client.get(URL)
    assert first.text.count('name="ids"') == 50
    assert "Page 1 of 2" in first.text
    assert client.get(URL, {"page": 2}).text.count('name="ids"') == 1


def test_the_workspace_links_administrators_to_the_page(client, accounts):
    _undelivered()
    client.force_login(accounts.administrator)
    home = client.get("/accounts/")
    assert 'id="work-undelivered"' in home.text and URL in home.text
    client.force_login(accounts.station_a_staff)
    assert 'id="work-undelivered"' not in client.get("/accounts/").text


def test_the_page_takes_the_same_queries_for_more_rows(client, accounts):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(accounts.administrator)
    _undelivered()
    client.get(URL)  # the session and the user are loaded from here on alike
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for i in range(20):
        _undelivered(f"1390000{i:04d}", Status.DEAD)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few)
