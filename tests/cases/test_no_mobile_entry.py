"""A citizen without a mobile (a letter, a visit, a landline): staff register the case with a
landline or a postal address instead; no SMS ever goes to them, not even a tracking code."""

import pytest
from django.core.exceptions import ValidationError

from liaison.cases import tracking, verification
from liaison.cases.models import Case, Channel, PhoneCode
from liaison.core.models import AuditEvent
from liaison.notifications.models import Notification

from .staff_pages import signed_in
from .test_staff_entry import URL, form

ADDRESS = "杭州市西湖区保俶路12号3单元201室"


def test_a_letter_with_only_a_postal_address_is_registered(client, district, accounts):
    signed_in(client, accounts.station_a_staff)
    data = form(district, channel=Channel.LETTER, citizen_phone="", citizen_address=ADDRESS)
    response = client.post(URL, data)
    assert response.status_code == 302, response.context["form"].errors
    case = Case.objects.get()
    assert (case.citizen_phone, case.citizen_landline, case.citizen_address) == ("", "", ADDRESS)
    assert not Notification.objects.filter(channel="sms").exists()


def test_a_call_from_a_landline_is_registered_with_the_number_cleaned(client, district, accounts):
    signed_in(client, accounts.station_a_staff)
    response = client.post(URL, form(district, citizen_phone="", citizen_landline="0571 8765 4321"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.citizen_landline == "057187654321" and case.citizen_phone == ""


@pytest.mark.parametrize(
    "overrides, field, text",
    [
        ({"citizen_phone": ""}, "citizen_phone", "a landline or a postal address"),
        ({"citizen_phone": "", "citizen_landline": "87654321"}, "citizen_landline", "area code"),
        ({"citizen_phone": "", "citizen_landline": "0571-8765"}, "citizen_landline", "landline"),
        ({"citizen_phone": "", "citizen_landline": "13912345678"}, "citizen_landline", "landline"),
        ({"citizen_phone": "", "citizen_address": "x" * 201}, "citizen_address", "at most 200"),
        ({"citizen_phone": "1391234", "citizen_address": ADDRESS}, "citizen_phone", "mobile"),
    ],
)
def test_missing_or_bad_contact_is_refused_and_nothing_is_saved(
    client, district, accounts, overrides, field, text
):
    signed_in(client, accounts.station_a_staff)
    response = client.post(URL, form(district, **overrides))
    assert response.status_code == 400
    assert text in " ".join(response.context["form"].errors[field])
    assert not Case.objects.exists()


def _submit(flow, **overrides):
    fields = {"channel": Channel.LETTER, "citizen_phone": "", "actor": flow.a.station_a_staff}
    return flow.submit(**{**fields, **overrides})


def test_the_service_refuses_a_case_no_answer_can_reach(flow):
    with pytest.raises(ValidationError) as refused:
        _submit(flow)
    assert "citizen_phone" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _submit(flow, citizen_landline="0571-87")
    assert "citizen_landline" in refused.value.message_dict
    assert not Case.objects.exists()


def test_the_citizens_online_message_still_needs_a_mobile(flow):
    with pytest.raises(ValidationError) as refused:
        flow.submit(channel=Channel.ONLINE, citizen_phone="", citizen_address=ADDRESS)
    assert "citizen_phone" in refused.value.message_dict


def test_no_sms_on_any_step_of_the_workflow(flow):
    """Submitted, answered, closed unrated: every citizen SMS is skipped (mechanics._sms)."""
    case = flow.to("answered", channel=Channel.LETTER, citizen_phone="", citizen_address=ADDRESS)
    assert case.events.filter(verb="case.answered").exists()
    assert not Notification.objects.filter(channel="sms").exists()


def test_no_tracking_code_goes_anywhere(flow):
    case = _submit(flow, citizen_address=ADDRESS)
    assert verification.send_code(case, PhoneCode.Purpose.TRACK) == ""
    assert not PhoneCode.objects.exists()
    assert not Notification.objects.filter(channel="sms").exists()


def test_tracking_opens_with_the_landlines_last_digits_and_never_with_nothing(flow):
    by_landline = _submit(flow, citizen_landline="0571-87654321-12")
    assert tracking.last4_matches(by_landline, "4321")
    assert not tracking.last4_matches(by_landline, "0012")
    by_letter = _submit(flow, citizen_address=ADDRESS)
    assert not tracking.last4_matches(by_letter, "")
    assert not tracking.last4_matches(by_letter, "0000")


def test_the_tracking_page_sends_no_code_but_answers_as_always(client, flow):
    case = _submit(flow, citizen_address=ADDRESS)
    response = client.post(f"/t/{case.tracking_number}", {"action": "send_code"}, follow=True)
    assert response.status_code == 200
    assert not PhoneCode.objects.exists()
    assert not Notification.objects.filter(channel="sms").exists()


def test_staff_see_the_landline_masked_and_the_address_only_when_revealed(client, flow):
    case = _submit(flow, citizen_landline="0571-87654321", citizen_address=ADDRESS)
    signed_in(client, flow.a.station_a_staff)
    page = client.get(f"/staff/cases/{case.tracking_number}/").content.decode()
    assert "None: no SMS reaches this citizen." in page
    assert "4321" in page and "87654321" not in page and ADDRESS not in page
    revealed = client.post(f"/staff/cases/{case.tracking_number}/phone/").content.decode()
    assert "0571-87654321" in revealed and ADDRESS in revealed
    assert AuditEvent.objects.filter(verb="case.phone_viewed").count() == 1
