"""The workspace shows the case counts and links to the queues; the header links to them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from .staff_pages import PHONE_CALL, signed_in

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_workspace_counts_and_links(client, flow, accounts):
    with time_machine.travel(datetime(2025, 9, 22, 10, tzinfo=SHANGHAI), tick=False):
        flow.submit(**PHONE_CALL)  # review due Wed 09-24
        flow.to("accepted", **PHONE_CALL)  # reply due Thu 09-25
    signed_in(client, accounts.station_a_staff)
    with time_machine.travel(datetime(2025, 9, 25, 10, tzinfo=SHANGHAI), tick=False):
        page = client.get(reverse("accounts:home")).content.decode()
    queue = reverse("staff:case-queue")
    assert f'href="{queue}?tab=action"' in page
    assert f'href="{queue}?tab=soon"' in page
    assert f'href="{queue}?tab=overdue"' in page
    assert 'class="count-badge">2</span>' in page  # awaiting my action
    assert 'class="count-badge flag-yellow">1</span>' in page  # due today
    assert 'class="count-badge flag-red">1</span>' in page  # overdue
    assert f'<a href="{queue}">Cases</a>' in page  # the header


def test_header_link_only_when_signed_in(client, district):
    client.cookies["django_language"] = "en"
    assert reverse("staff:case-queue") not in client.get("/").content.decode()
