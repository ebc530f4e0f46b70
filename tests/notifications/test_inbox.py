"""The inbox: a page and an API per account, an unread badge on every page, only one's own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from liaison.api.keys import create_key
from liaison.cases import services
from liaison.notifications.models import Notification
from liaison.notifications.services import enqueue

from ..cases.conftest import Flow

INBOX = "/staff/inbox/"
API = "/api/v1/me/notifications/"


@pytest.fixture
def flow(district, accounts):
    return Flow(district, accounts)


def notice(user, subject="待办", link="/staff/cases/1/") -> Notification:
    return enqueue("in_app", str(user.pk), f"{subject}\n正文", subject=subject, link=link)


def test_the_badge_counts_unread_notices_on_every_staff_page(client, accounts):
    notice(accounts.station_a_staff)
    notice(accounts.station_a_staff)
    notice(accounts.deputy_a)  # someone else's
    client.force_login(accounts.station_a_staff)
    page = client.get("/staff/").content.decode()
    assert 'id="unread-badge">2<' in page
    client.force_login(accounts.handler_a)
    assert "unread-badge" not in client.get("/staff/").content.decode()


def test_the_inbox_lists_only_ones_own_and_opening_marks_read(client, flow, accounts):
    case = services.accept_case(flow.submit(), actor=accounts.station_a_staff)
    notice(accounts.station_a_staff, subject="别人的通知")
    client.force_login(accounts.deputy_a)
    page = client.get(INBOX).content.decode()
    assert case.tracking_number in page and "别人的通知" not in page
    mine = Notification.objects.get(channel="in_app", recipient=str(accounts.deputy_a.pk))
    response = client.post(f"{INBOX}{mine.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/cases/{case.tracking_number}/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_a_notice_of_another_account_is_not_found(client, accounts):
    other = notice(accounts.deputy_a)
    client.force_login(accounts.station_a_staff)
    assert client.post(f"{INBOX}{other.pk}/open/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_an_outside_link_is_not_followed(client, accounts):
    odd = notice(accounts.station_a_staff, link="https://evil.example/")
    client.force_login(accounts.station_a_staff)
    assert client.post(f"{INBOX}{odd.pk}/open/")["Location"] == INBOX


def test_mark_all_read_says_what_happened_and_filters_keep_in_the_url(client, accounts):
    for _ in range(3):
        notice(accounts.station_a_staff)
    client.force_login(accounts.station_a_staff)
    assert client.get(INBOX + "?show=unread").content.decode().count('class="card unread"') == 3
    response = client.post(INBOX + "read/", follow=True)
    assert "3" in response.content.decode() and "unread-badge" not in response.content.decode()
    assert "card unread" not in client.get(INBOX + "?show=unread").content.decode()
    assert client.get(INBOX).status_code == 200


def test_the_inbox_needs_a_sign_in(client):
    assert client.get(INBOX).status_code == 302


@pytest.fixture
def api_as():
    def sign_in(user):
        client = APIClient()
        _key, raw = create_key(name="t", user=user, scopes=["staff"])
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
        return client

    return sign_in


def test_api_lists_my_notices_with_the_unread_count(api_as, accounts):
    first = notice(accounts.station_a_staff, subject="一")
    notice(accounts.station_a_staff, subject="二")
    notice(accounts.deputy_a, subject="别人的")
    api = api_as(accounts.station_a_staff)
    body = api.get(API).json()
    assert body["unread"] == 2 and [n["subject"] for n in body["results"]] == ["二", "一"]
    assert body["results"][0]["link"] == "/staff/cases/1/" and body["results"][0]["read"] is False
    marked = api.post(API + "read/", {"ids": [first.pk]}, format="json").json()
    assert marked == {"marked": 1, "unread": 1}
    assert [n["subject"] for n in api.get(API + "?unread=true").json()["results"]] == ["二"]
    assert api.post(API + "read/", {"all": True}, format="json").json() == {
        "marked": 1,
        "unread": 0,
    }


@pytest.mark.parametrize(
    "body", [{}, {"ids": []}, {"ids": ["x"]}, {"ids": [0]}, {"all": "maybe"}, ["all"], None]
)
def test_api_refuses_a_bad_body_and_changes_nothing(api_as, accounts, body):
    notice(accounts.station_a_staff)
    response = api_as(accounts.station_a_staff).post(API + "read/", body, format="json")
    assert response.status_code == 400
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_api_cannot_mark_someone_elses_notice(api_as, accounts):
    other = notice(accounts.deputy_a)
    response = api_as(accounts.station_a_staff).post(
        API + "read/", {"ids": [other.pk]}, format="json"
    )
    assert response.json()["marked"] == 0
    other.refresh_from_db()
    assert other.read_at is None


def test_api_without_credentials_is_401(accounts):
    assert APIClient().get(API).status_code == 401


def _badge(client) -> str:
    page = client.get("/staff/").content.decode()
    return page.split('id="unread-badge">')[1].split("<")[0] if "unread-badge" in page else ""


def test_the_badge_follows_new_and_read_notices_at_once(client, accounts):
    """The count is kept in the cache (inbox.py) and forgotten at every change of the inbox."""
    client.force_login(accounts.station_a_staff)
    assert _badge(client) == ""
    notice(accounts.station_a_staff)
    assert _badge(client) == "1"
    notice(accounts.station_a_staff)
    assert _badge(client) == "2"
    client.post(f"{INBOX}read/")
    assert _badge(client) == ""


def test_the_notices_of_a_case_step_show_on_the_badge_at_once(client, flow, accounts):
    case = flow.submit()
    client.force_login(accounts.deputy_a)
    before = _badge(client)
    services.accept_case(case, actor=accounts.station_a_staff)
    assert _badge(client) == str(int(before or 0) + 1)


def test_a_kept_count_costs_no_query(client, accounts):
    notice(accounts.station_a_staff)
    client.force_login(accounts.station_a_staff)
    _badge(client)
    with CaptureQueriesContext(connection) as ctx:
        assert _badge(client) == "1"
    assert not any("notifications_notification" in q["sql"] for q in ctx.captured_queries)
