"""Every hand-off reaches the person who must act (cases/notices.py, docs/notifications.md)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from liaison.cases import services
from liaison.cases.models import Rating
from liaison.notifications.models import Notification


def told(event) -> dict[str, set[str]]:
    """Recipients of the notices of `event`, by channel."""
    found: dict[str, set[str]] = {}
    for channel, recipient in Notification.objects.filter(
        dedupe_key__startswith=f"case-event:{event.pk}:notice:"
    ).values_list("channel", "recipient"):
        found.setdefault(channel, set()).add(recipient)
    return found


def inbox(user) -> set[str]:
    return {str(user.pk)}


def test_each_step_tells_whoever_must_act_next(flow, accounts):
    a = accounts
    case = flow.submit()
    assert told(case.events.get(verb="case.submitted")) == {"in_app": inbox(a.station_a_staff)}

    case = services.accept_case(case, actor=a.station_a_staff)
    note = Notification.objects.get(
        dedupe_key=f"case-event:{case.events.get(verb='case.accepted').pk}:notice:{a.deputy_a.pk}"
    )
    assert note.channel == "in_app" and case.tracking_number in note.subject
    assert note.link == f"/staff/cases/{case.tracking_number}/" and note.read_at is None

    case = services.reply_case(case, actor=a.deputy_a, text="建议交办。", settle=False)
    assert told(case.events.get(verb="case.replied")) == {"in_app": inbox(a.street_a_committee)}

    case = services.assign_case(
        case, actor=a.street_a_committee, lead_department=flow.d.department_a
    )
    assert told(case.events.get(verb="case.assigned")) == {"in_app": inbox(a.handler_a)}

    case = services.sign_assignment(case, actor=a.handler_a)
    assert told(case.events.get(verb="case.signed")) == {}  # the department acted itself

    case = services.report_result(case, actor=a.handler_a, text="已修复。")
    assert told(case.events.get(verb="case.reported")) == {"in_app": inbox(a.deputy_a)}


def test_the_station_is_told_when_the_deputy_has_no_account(flow, accounts):
    accounts.deputy_a.delete()
    case = services.accept_case(flow.submit(), actor=accounts.station_a_staff)
    assert told(case.events.get(verb="case.accepted")) == {
        "in_app": inbox(accounts.station_a_staff)
    }


def test_staff_with_an_address_also_get_an_email(flow, accounts):
    accounts.handler_a.email = "handler@example.org"
    accounts.handler_a.save()
    case = flow.to("assigned")
    channels = told(case.events.get(verb="case.assigned"))
    assert channels == {"in_app": inbox(accounts.handler_a), "email": {"handler@example.org"}}
    mail = Notification.objects.get(channel="email")
    assert f"/staff/cases/{case.tracking_number}/" in mail.body


def test_urging_reaches_the_handlers_by_sms_and_the_record_says_who(flow, accounts):
    accounts.handler_a.phone = "13700001234"
    accounts.handler_a.save()
    case = flow.to("in_progress")
    with time_machine.travel(datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        case = services.urge_case(case, actor=accounts.street_a_committee, note="请加快。")
    event = case.events.get(verb="case.urged")
    assert told(event) == {"in_app": inbox(accounts.handler_a), "sms": {"13700001234"}}
    sms = Notification.objects.get(channel="sms", recipient="13700001234")
    assert sms.template == "staff_task" and sms.params["number"] == case.tracking_number
    assert event.data["told"] == [accounts.handler_a.public_label]


def test_no_sms_to_staff_at_night_it_waits_for_the_morning(flow, accounts):
    accounts.handler_a.phone = "13700001234"
    accounts.handler_a.save()
    case = flow.to("in_progress")
    shanghai = ZoneInfo("Asia/Shanghai")
    with time_machine.travel(datetime(2026, 12, 3, 23, 30, tzinfo=shanghai)):
        services.supervise_case(case, actor=accounts.street_a_committee, note="督办")
    sms = Notification.objects.get(channel="sms", recipient="13700001234")
    assert sms.available_at == datetime(2026, 12, 4, 7, tzinfo=shanghai)
    inbox_note = Notification.objects.get(
        channel="in_app",
        recipient=str(accounts.handler_a.pk),
        dedupe_key__contains=":notice:",
        subject__contains="督办",
    )
    assert inbox_note.status == "sent"  # the inbox does not sleep


def test_a_return_and_an_extension_request_go_to_the_committee(flow, accounts):
    case = flow.to("in_progress")
    case = services.request_extension(
        case, actor=accounts.handler_a, days_requested=5, reason="材料"
    )
    event = case.events.get(verb="case.extension_requested")
    assert told(event) == {"in_app": inbox(accounts.street_a_committee)}
    case = services.decide_extension(
        case,
        actor=accounts.street_a_committee,
        assignment=case.assignments.get(),
        approve=True,
        days_granted=5,
    )
    assert told(case.events.get(verb="case.extension_approved")) == {
        "in_app": inbox(accounts.handler_a)
    }
    case = services.return_assignment(case, actor=accounts.handler_a, reason="不属于本单位")
    assert told(case.events.get(verb="case.returned")) == {
        "in_app": inbox(accounts.street_a_committee)
    }


def test_unsatisfied_tells_committee_deputy_and_department(flow, accounts):
    case = flow.to("answered")
    case = services.rate_case(case, rating=Rating.UNSATISFIED)
    event = case.events.get(verb="case.rehandle_requested")
    assert told(event)["in_app"] == {
        str(accounts.street_a_committee.pk),
        str(accounts.deputy_a.pk),
        str(accounts.handler_a.pk),
    }
    assert case.due_days == 2  # back to the committee, with its clock running


def test_a_rolled_back_step_tells_nobody(flow, accounts):
    case = flow.submit()
    before = Notification.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.accept_case(case, actor=accounts.station_a_staff)
        raise RuntimeError
    assert Notification.objects.count() == before


def test_the_case_page_warns_when_a_text_to_the_citizen_was_refused(client, flow, accounts):
    case = flow.submit()
    client.force_login(accounts.station_a_staff)
    page = f"/staff/cases/{case.tracking_number}/"
    assert 'id="undelivered-sms"' not in client.get(page).content.decode()
    Notification.objects.filter(channel="sms", template="case_received").update(
        status="dead", last_error="isv.MOBILE_NUMBER_ILLEGAL: 号码无效"
    )
    shown = client.get(page).content.decode()
    assert 'id="undelivered-sms"' in shown and "MOBILE_NUMBER_ILLEGAL" in shown


def test_staff_read_the_texts_the_citizen_got_as_the_gateway_template_renders_them(
    client, flow, accounts
):
    case = services.accept_case(flow.submit(), actor=accounts.station_a_staff)
    client.force_login(accounts.station_a_staff)
    page = client.get(f"/staff/cases/{case.tracking_number}/").content.decode()
    sms = Notification.objects.get(channel="sms", template="case_received")
    assert 'id="citizen-texts"' in page and sms.body in page
