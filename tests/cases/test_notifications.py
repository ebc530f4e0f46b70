"""Text messages to the citizen: in the outbox once per event, and only if the change commits."""

import pytest
from django.db import transaction

from liaison.cases import services
from liaison.notifications.models import Notification


def test_one_message_per_event_with_its_key(flow):
    case = flow.submit()
    event = case.events.get()
    sms = Notification.objects.get(channel="sms")
    assert sms.dedupe_key == f"case-event:{event.pk}:sms"
    assert sms.channel == "sms"


def test_the_steps_that_message_the_citizen(flow):
    flow.to("closed")
    keys = Notification.objects.filter(channel="sms").values_list("dedupe_key", flat=True)
    assert len(keys) == len(set(keys)) == 3  # submitted, deputy reply, answer with rating link


def test_a_rolled_back_change_leaves_no_message(flow, accounts):
    case = flow.submit()
    before = Notification.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.request_info(case, actor=accounts.station_a_staff, reason="?")
        assert Notification.objects.count() > before  # in the same transaction …
        raise RuntimeError("the request fails later")
    assert Notification.objects.count() == before  # … so gone with it
    case.refresh_from_db()
    assert case.status == "submitted"


def test_messages_are_in_the_citizens_language(flow):
    flow.submit(language="en")
    assert "Tracking number" in Notification.objects.get(channel="sms").body
