"""The answer on paper for a citizen without a mobile: the reply letter (PDF, read back with
pdftotext), how it was delivered (an internal timeline event), and the rating staff enter for
the citizen from a phone call or the return slip."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liaison.cases import services
from liaison.cases.models import CaseEvent, Channel
from liaison.cases.workflow import Status
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.models import AuditEvent
from liaison.notifications.models import Notification

from ..directory.test_signs import Pdf
from .staff_pages import act, detail_url, reload, signed_in

ADDRESS = "杭州市西湖区保俶路12号3单元201室"
ANSWER = "路灯已修好。"  # the flow's answer


@pytest.fixture
def answered(flow, district):
    district.station_a.phone = "0571-88886666"
    district.station_a.address = "北山街道文化站二楼"
    district.station_a.save()
    return flow.to(
        Status.ANSWERED,
        channel=Channel.LETTER,
        citizen_phone="",
        citizen_address=ADDRESS,
        actor=flow.a.station_a_staff,
    )


def letter_url(case):
    return f"/staff/cases/{case.tracking_number}/reply-letter/"


def test_the_reply_letter_has_everything_to_answer_and_rate(client, accounts, answered, tmp_path):
    signed_in(client, accounts.station_a_staff)
    page = client.get(detail_url(answered)).content.decode()
    assert letter_url(answered) in page
    response = client.get(letter_url(answered))
    assert response["Content-Disposition"].startswith("attachment")
    pdf = Pdf(response, tmp_path)
    # Every font embedded (docs/signs.md): digits and text readable without Adobe's CJK pack.
    pdf.assert_fonts_embedded()
    text = pdf.text().replace("\n", "")
    created = timezone.localtime(answered.created_at)
    assert f"{created.year}年{created.month}月{created.day}日" in text
    for expected in (
        answered.tracking_number,
        ADDRESS,
        "陈女士",
        ANSWER,
        "北山街道人大代表联络站",
        "0571-88886666",
        "北山街道文化站二楼",
        "张明华",  # the deputy who answered
    ):
        assert expected in text, expected
    # The return slip: a box for each rating, and the number again to match it to the case.
    assert text.count(answered.tracking_number) >= 2
    assert text.count("□") == 3
    assert AuditEvent.objects.filter(verb="case.reply_letter_printed").count() == 1


def test_no_letter_before_the_answer_nor_for_those_who_do_not_send_it(client, flow, accounts):
    accepted = flow.to(
        Status.ACCEPTED,
        channel=Channel.LETTER,
        citizen_phone="",
        citizen_address=ADDRESS,
        actor=accounts.station_a_staff,
    )
    signed_in(client, accounts.station_a_staff)
    assert letter_url(accepted) not in client.get(detail_url(accepted)).content.decode()
    assert client.get(letter_url(accepted)).status_code == 409


@pytest.mark.parametrize("who, status", [("deputy_a", 403), ("station_b_staff", 404)])
def test_other_roles_get_no_letter(client, accounts, answered, who, status):
    signed_in(client, getattr(accounts, who))
    assert client.get(letter_url(answered)).status_code == status
    assert not AuditEvent.objects.filter(verb="case.reply_letter_printed").exists()


def test_staff_record_how_the_answer_was_delivered(client, accounts, answered):
    signed_in(client, accounts.station_a_staff)
    response = act(client, answered, "record_delivery", how="post", note="挂号信")
    assert response.status_code == 302
    event = CaseEvent.objects.get(case=answered, verb="case.answer_delivered")
    assert event.data["how"] == "post" and event.note == "挂号信"
    assert event.actor == accounts.station_a_staff and not event.is_public
    assert reload(answered).status == Status.ANSWERED
    page = client.get(detail_url(answered)).content.decode()
    assert "Answer delivered" in page and "Sent by post" in page
    # Not on the citizen's timeline.
    public = client.get(f"/t/{answered.tracking_number}")
    assert "case.answer_delivered" not in public.content.decode()


def test_a_delivery_without_a_way_or_out_of_turn_is_refused(
    client, flow, accounts, answered, unchanged
):
    signed_in(client, accounts.station_a_staff)
    with unchanged(answered):
        response = act(client, answered, "record_delivery", how="pigeon")
        assert response.status_code == 400
    with unchanged(answered), pytest.raises(ValidationError):
        services.record_delivery(answered, actor=accounts.station_a_staff, how="")
    with unchanged(answered), pytest.raises(NotAllowed):
        services.record_delivery(answered, actor=accounts.deputy_a, how="post")
    accepted = flow.to(
        Status.ACCEPTED,
        channel=Channel.LETTER,
        citizen_phone="",
        citizen_address=ADDRESS,
        actor=accounts.station_a_staff,
    )
    with unchanged(accepted), pytest.raises(TransitionRefused):
        services.record_delivery(accepted, actor=accounts.station_a_staff, how="post")


def test_staff_enter_the_rating_from_the_return_slip(client, accounts, answered):
    signed_in(client, accounts.station_a_staff)
    response = act(client, answered, "rate", rating="basic", via="return_slip", comment="还行")
    assert response.status_code == 302
    case = reload(answered)
    assert (case.status, case.rating) == (Status.CLOSED, "basic")
    event = CaseEvent.objects.get(case=case, verb="case.rated")
    assert event.data["via"] == "return_slip" and event.data["entered_by_staff"] is True
    assert event.actor == accounts.station_a_staff
    assert event.actor_label == "群众" or event.actor_label == "Citizen"
    assert "Return slip of the reply letter" in client.get(detail_url(case)).content.decode()
    assert not Notification.objects.filter(channel="sms").exists()


def test_an_unsatisfied_rating_by_phone_sends_the_case_back(accounts, answered):
    case = services.rate_case(
        answered, actor=accounts.station_a_staff, rating="unsatisfied", via="phone"
    )
    assert case.status == Status.TO_ASSIGN and case.rehandled


def test_a_staff_rating_is_refused_without_a_source_a_scope_or_an_answer(
    flow, accounts, answered, unchanged
):
    with unchanged(answered), pytest.raises(ValidationError) as refused:
        services.rate_case(answered, actor=accounts.station_a_staff, rating="basic", via="link")
    assert "via" in refused.value.message_dict
    for outsider in (accounts.station_b_staff, accounts.deputy_a, accounts.handler_a):
        with unchanged(answered), pytest.raises(NotAllowed):
            services.rate_case(answered, actor=outsider, rating="basic", via="phone")
    submitted = flow.submit()
    with unchanged(submitted), pytest.raises(TransitionRefused):
        services.rate_case(submitted, actor=accounts.station_a_staff, rating="basic", via="phone")


def test_the_rating_form_is_offered_only_to_who_may_enter_it(client, accounts, answered):
    signed_in(client, accounts.station_a_staff)
    page = client.get(detail_url(answered)).content.decode()
    assert 'id="action-rate"' in page and 'id="action-record_delivery"' in page
    signed_in(client, accounts.deputy_a)
    page = client.get(detail_url(answered)).content.decode()
    assert 'id="action-rate"' not in page
    assert act(client, answered, "rate", rating="basic", via="phone").status_code == 403
    assert reload(answered).status == Status.ANSWERED
