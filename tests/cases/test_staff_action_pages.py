"""Every workflow action through its form on the case page: it calls the service, redirects back
to the case and says what happened (with the new due date where there is one)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import formats, translation

from liaison.cases.models import Assignment, ReferralChannel
from liaison.notifications.models import Notification

from .staff_pages import PHONE_CALL, act, detail_url, flashed, reload, signed_in

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def friday():
    # Fri 2025-09-26: +3 working days is Tue 09-30 (Sun 09-28 is a make-up working day).
    with time_machine.travel(datetime(2025, 9, 26, 10, tzinfo=SHANGHAI), tick=False):
        yield


def day(value: date) -> str:
    with translation.override("en"):
        return formats.date_format(value, "DATE_FORMAT")


def done(client, response, case, status):
    assert response.status_code == 302
    assert response["Location"] == detail_url(case)
    assert reload(case).status == status
    page = client.get(response["Location"])
    assert page.status_code == 200
    return " ".join(flashed(response)) or page.content.decode()


def test_accept(client, flow, accounts):
    case = flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    response = act(client, case, "accept", note="")
    message = done(client, response, case, "accepted")
    assert message == f"Accepted. The deputy is to reply by {day(date(2025, 9, 30))}."


def test_accept_a_station_message_chooses_the_deputy(client, flow, accounts, district):
    case = flow.submit(deputy=None, **PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    assert act(client, case, "accept").status_code == 400  # the deputy is required
    response = act(client, case, "accept", deputy=district.dep_shared.pk)
    done(client, response, case, "accepted")
    assert reload(case).deputy == district.dep_shared


def test_request_info(client, flow, accounts):
    case = flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    response = act(client, case, "request_info", reason="请说明具体位置。")
    assert "clock is paused" in done(client, response, case, "needs_info")
    assert Notification.objects.filter(template="case_info_requested", recipient=case.citizen_phone)
    assert case.events.get(verb="case.info_requested").note == "请说明具体位置。"


def test_supplement_for_the_citizen(client, flow, accounts):
    case = flow.to("needs_info", **PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    response = act(client, case, "supplement", text="在12号门口。")
    assert "The review is due by" in done(client, response, case, "submitted")


def test_merge_needs_confirmation(client, flow, accounts, unchanged):
    """Issue 16: one screen says what will happen and who is told; only its post merges."""
    main, case = flow.submit(**PHONE_CALL), flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    with unchanged(case):
        asked = act(client, case, "merge", into=main.tracking_number)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert f"merged into case {main.tracking_number} and end" in page
    assert "The citizen, by text message." in page
    assert 'name="confirmed" value="1"' in page and 'name="seen_status" value="submitted"' in page
    response = act(client, case, "merge", into=main.tracking_number, confirmed="1")
    assert done(client, response, case, "merged") == f"Merged into case {main.tracking_number}."
    assert reload(case).merged_into == main


def test_merge_into_an_unknown_case(client, flow, accounts, unchanged):
    case = flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    with unchanged(case):
        response = act(client, case, "merge", into="0000000000", confirmed="1")
    assert response.status_code == 400
    assert "There is no case with this number that you can see." in response.content.decode()


def test_reject(client, flow, accounts):
    case = flow.submit(**PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    asked = act(client, case, "reject", reason="spam")
    assert asked.status_code == 200 and reload(case).status == "submitted"  # not confirmed
    assert "The case ends here and cannot be opened again." in asked.content.decode()
    response = act(client, case, "reject", reason="spam", confirmed="1")
    assert done(client, response, case, "rejected") == "Not accepted (Spam or advertising)."


def test_refer_shows_the_guidance_and_refers(client, flow, accounts):
    case = flow.submit(**PHONE_CALL)
    channel = ReferralChannel.objects.get(code="discipline")
    signed_in(client, accounts.station_a_staff)
    assert channel.guidance in client.get(detail_url(case)).content.decode()
    response = act(client, case, "refer", referral_channel=channel.pk)
    message = done(client, response, case, "referred")
    assert message == f"Referred to {channel.name}; the citizen receives the guidance."


def test_deputy_reply_settles(client, flow, accounts):
    case = flow.to("accepted", **PHONE_CALL)
    signed_in(client, accounts.deputy_a)
    asked = act(client, case, "reply", text="已协调解决。", settle="1")
    assert asked.status_code == 200 and reload(case).status == "accepted"
    assert "settles the matter" in asked.content.decode()
    response = act(client, case, "reply", text="已协调解决。", settle="1", confirmed="1")
    assert "asked to rate it by" in done(client, response, case, "answered")


def test_staff_enter_the_reply_proposing_assignment(client, flow, accounts):
    case = flow.to("accepted", **PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    response = act(client, case, "reply", text="建议交办。", settle="0")
    assert "awaits assignment" in done(client, response, case, "to_assign")
    assert reload(case).events.get(verb="case.replied").data["entered_by_staff"] is True


def test_assign_with_co_handler_and_consent(client, flow, accounts, district):
    case = flow.to("to_assign", **PHONE_CALL)
    signed_in(client, accounts.street_a_committee)
    page = client.get(detail_url(case)).content.decode()
    assert district.department_county.name in page  # the district bureau covers the street
    assert district.department_b.name not in page  # another street's office does not
    response = act(
        client,
        case,
        "assign",
        lead_department=district.department_a.pk,
        co_departments=[district.department_county.pk],
        share_contact="on",
        consent_how="电话征得同意",
        consent_what=["citizen_phone"],
    )
    message = done(client, response, case, "assigned")
    assert message == (
        f"Assigned to {district.department_a.name}. Sign-off is due by {day(date(2025, 9, 28))}."
    )
    event = reload(case).events.get(verb="case.assigned")
    assert event.data["consent"]["how"] == "电话征得同意"
    assert event.data["consent"]["what"] == ["citizen_phone"]
    assert set(Assignment.objects.filter(case=case).values_list("role", flat=True)) == {
        "lead",
        "co",
    }


def test_assign_sharing_contact_without_consent_is_bad_input(
    client, flow, accounts, district, unchanged
):
    case = flow.to("to_assign", **PHONE_CALL)
    signed_in(client, accounts.street_a_committee)
    with unchanged(case):
        response = act(
            client, case, "assign", lead_department=district.department_a.pk, share_contact="on"
        )
    assert response.status_code == 400
    assert "Record how the citizen agreed" in response.content.decode()


def test_department_signs_and_reports(client, flow, accounts):
    case = flow.to("assigned", **PHONE_CALL)
    signed_in(client, accounts.handler_a)
    response = act(client, case, "sign")
    assert "The result is due by" in done(client, response, case, "in_progress")
    response = act(client, reload(case), "report", text="已更换路灯。")
    assert "The deputy is to answer the citizen by" in done(client, response, case, "feedback")


def test_department_returns(client, flow, accounts):
    case = flow.to("assigned", **PHONE_CALL)
    signed_in(client, accounts.handler_a)
    response = act(client, case, "return", reason="不属于本单位职责。")
    assert "returned to the committee" in done(client, response, case, "to_assign")


def test_extension_requested_and_approved(client, flow, accounts):
    case = flow.to("in_progress", **PHONE_CALL)
    signed_in(client, accounts.handler_a)
    response = act(client, case, "request_extension", days_requested="5", reason="需要招标。")
    message = done(client, response, case, "in_progress")
    assert message == "An extension of 5 working days was requested."
    assignment = Assignment.objects.get(case=case, role="lead")
    before = assignment.report_due_at

    signed_in(client, accounts.street_a_committee)
    response = act(client, case, "decide_extension", assignment=assignment.pk, approve="1")
    assert "Extension approved: the result is now due by" in done(
        client, response, case, "in_progress"
    )
    assignment.refresh_from_db()
    assert assignment.report_due_at > before
    assert reload(case).due_at == assignment.report_due_at


def test_extension_refused(client, flow, accounts):
    case = flow.to("in_progress", **PHONE_CALL)
    signed_in(client, accounts.handler_a)
    response = act(client, case, "request_extension", days_requested="5", reason="需要招标。")
    done(client, response, case, "in_progress")
    assignment = Assignment.objects.get(case=case, role="lead")
    signed_in(client, accounts.street_a_committee)
    response = act(client, case, "decide_extension", assignment=assignment.pk, approve="0")
    assert done(client, response, case, "in_progress") == "Extension refused."


@pytest.mark.parametrize(("action", "verb"), [("urge", "urged"), ("supervise", "supervised")])
def test_urge_and_supervise(client, flow, accounts, action, verb):
    case = flow.to("in_progress", **PHONE_CALL)
    signed_in(client, accounts.street_a_committee)
    response = act(client, case, action, note="请加快办理。")
    assert "recorded" in done(client, response, case, "in_progress")
    event = reload(case).events.get(verb=f"case.{verb}")
    assert (event.note, event.is_public) == ("请加快办理。", False)


def test_answer(client, flow, accounts):
    case = flow.to("feedback", **PHONE_CALL)
    signed_in(client, accounts.deputy_a)
    response = act(client, case, "answer", text="路灯已修好。")
    assert "asked to rate it by" in done(client, response, case, "answered")


def test_withdraw_for_the_citizen(client, flow, accounts):
    case = flow.to("accepted", **PHONE_CALL)
    signed_in(client, accounts.station_a_staff)
    response = act(client, case, "withdraw", reason="电话撤回", confirmed="1")
    assert "withdrawn" in done(client, response, case, "withdrawn")
