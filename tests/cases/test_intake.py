"""submit_case: every channel makes the same kind of case; bad input writes nothing."""

import pytest
from django.core.exceptions import ValidationError

from liaison.cases import services
from liaison.cases.models import Case, Channel
from liaison.cases.workflow import Status
from liaison.core.errors import NotAllowed
from liaison.notifications.models import Notification


def test_a_message_becomes_a_submitted_case(flow, district):
    case = flow.submit(citizen_phone="139 1234 5678")
    assert case.status == Status.SUBMITTED
    assert case.region_path == district.station_a.region.path
    assert case.citizen_phone == "13912345678"
    assert case.privacy_accepted_at is not None
    assert len(case.tracking_number) == 10 and case.tracking_number.isdigit()
    event = case.events.get()
    assert (event.verb, event.from_status, event.to_status) == ("case.submitted", "", "submitted")
    assert event.actor is None and event.actor_label
    sms = Notification.objects.get(channel="sms")
    assert sms.recipient == "13912345678" and case.tracking_number in sms.body


def test_staff_register_a_visit(flow, accounts):
    case = flow.submit(channel=Channel.RECEPTION, actor=accounts.station_a_staff, deputy=None)
    event = case.events.get()
    assert event.actor == accounts.station_a_staff
    assert event.actor_label == accounts.station_a_staff.station.name


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"privacy_accepted": False}, "privacy_accepted"),
        ({"citizen_phone": "12345"}, "citizen_phone"),
        ({"citizen_phone": "057187654321"}, "citizen_phone"),
        ({"title": "  "}, "title"),
        ({"title": "长" * 121}, "title"),
        ({"description": ""}, "description"),
        ({"channel": "pigeon"}, "channel"),
        ({"latitude": 30.2}, "latitude"),
        ({"latitude": 95, "longitude": 120}, "latitude"),
    ],
)
def test_bad_input_is_refused_with_the_field(flow, unchanged, overrides, field):
    with unchanged(), pytest.raises(ValidationError) as refused:
        flow.submit(**overrides)
    assert field in refused.value.message_dict


def test_inactive_category_and_foreign_deputy_are_refused(flow, district, unchanged):
    district.category.is_active = False
    district.category.save()
    with unchanged(), pytest.raises(ValidationError) as refused:
        flow.submit(deputy=district.dep_b)
    assert {"category", "deputy"} <= set(refused.value.message_dict)


def test_staff_of_another_station_cannot_register(flow, accounts, unchanged):
    with unchanged(), pytest.raises(NotAllowed):
        flow.submit(channel=Channel.PHONE, actor=accounts.station_b_staff)


def test_a_tracking_number_collision_is_retried(flow, monkeypatch):
    first = flow.submit()
    numbers = iter([first.tracking_number, first.tracking_number, "5550001111"])
    monkeypatch.setattr(services.intake, "new_tracking_number", lambda: next(numbers))
    second = flow.submit()
    assert second.tracking_number == "5550001111"
    assert Case.objects.count() == 2
