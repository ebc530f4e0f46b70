"""Review (审核) by station staff: accept, request info, merge, reject, refer — and refusals."""

import pytest
from django.core.exceptions import ValidationError

from liaison.cases import services
from liaison.cases.models import ReferralChannel
from liaison.cases.selectors import merged_cases, merged_count
from liaison.cases.workflow import Status
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.notifications.models import Notification


@pytest.mark.parametrize("reviewer", ["station_a_staff", "street_a_committee", "administrator"])
def test_reviewers_accept(flow, accounts, reviewer):
    case = services.accept_case(flow.submit(), actor=getattr(accounts, reviewer))
    assert case.status == Status.ACCEPTED
    event = case.events.get(verb="case.accepted")
    assert (event.from_status, event.to_status) == ("submitted", "accepted")


@pytest.mark.parametrize("outsider", ["station_b_staff", "deputy_a", "handler_a"])
def test_outsiders_cannot_review(flow, accounts, unchanged, outsider):
    case = flow.submit()
    with unchanged(case), pytest.raises(NotAllowed):
        services.accept_case(case, actor=getattr(accounts, outsider))


def test_anonymous_cannot_review(flow, unchanged):
    case = flow.submit()
    with unchanged(case), pytest.raises(NotAllowed):
        services.reject_case(case, actor=None, reason="spam")


def test_a_station_message_gets_its_deputy_at_acceptance(flow, accounts, district, unchanged):
    case = flow.submit(deputy=None)
    with unchanged(case), pytest.raises(ValidationError) as refused:
        services.accept_case(case, actor=accounts.station_a_staff)
    assert "deputy" in refused.value.message_dict
    with unchanged(case), pytest.raises(ValidationError):
        services.accept_case(case, actor=accounts.station_a_staff, deputy=district.dep_b)
    case = services.accept_case(case, actor=accounts.station_a_staff, deputy=district.dep_shared)
    assert case.deputy == district.dep_shared


def test_wrong_status_is_refused_and_writes_nothing(flow, accounts, unchanged):
    case = flow.to("accepted")
    with unchanged(case), pytest.raises(TransitionRefused):
        services.accept_case(case, actor=accounts.station_a_staff)
    with unchanged(case), pytest.raises(TransitionRefused):
        services.reject_case(case, actor=accounts.station_a_staff, reason="spam")


def test_request_info_and_supplement(flow, accounts):
    case = services.request_info(flow.submit(), actor=accounts.station_a_staff, reason="哪里？")
    assert case.status == Status.NEEDS_INFO and case.paused_at is not None
    sms = Notification.objects.filter(channel="sms").order_by("id").last()
    # A gateway sends approved templates only: the SMS links to the tracking page, which shows
    # the question (the event is public).
    assert sms.template == "case_info_requested" and f"/t/{case.tracking_number}" in sms.body
    assert "哪里？" not in sms.body
    assert case.events.get(verb="case.info_requested", is_public=True).note == "哪里？"
    case = services.supplement_case(case, text="保俶路12号")
    assert case.status == Status.SUBMITTED
    event = case.events.get(verb="case.supplemented")
    assert event.note == "保俶路12号" and event.actor is None


def test_request_info_needs_a_reason(flow, accounts, unchanged):
    case = flow.submit()
    with unchanged(case), pytest.raises(ValidationError):
        services.request_info(case, actor=accounts.station_a_staff, reason=" ")


def test_reject_needs_a_known_reason(flow, accounts, unchanged):
    case = flow.submit()
    with unchanged(case), pytest.raises(ValidationError):
        services.reject_case(case, actor=accounts.station_a_staff, reason="boring")
    case = services.reject_case(case, actor=accounts.station_a_staff, reason="abusive")
    assert case.status == Status.REJECTED and case.closed_at and case.due_at is None
    assert case.events.get(verb="case.rejected").data["reason"] == "abusive"


def test_refer_sends_the_guidance(flow, accounts):
    channel = ReferralChannel.objects.get(code="discipline")
    case = services.refer_case(
        flow.submit(), actor=accounts.station_a_staff, referral_channel=channel
    )
    assert case.status == Status.REFERRED and case.referral == channel
    sms = Notification.objects.filter(channel="sms").order_by("id").last()
    assert sms.template == "case_referred" and sms.params["number"] == case.tracking_number
    assert "12388" in case.events.get(verb="case.referred", is_public=True).note


def test_refer_to_an_inactive_channel_is_refused(flow, accounts, unchanged):
    channel = ReferralChannel.objects.get(code="petition")
    channel.is_active = False
    channel.save()
    case = flow.submit()
    with unchanged(case), pytest.raises(ValidationError):
        services.refer_case(case, actor=accounts.station_a_staff, referral_channel=channel)


def test_seeded_referral_channels(db):
    assert set(ReferralChannel.objects.values_list("code", flat=True)) >= {
        "litigation",
        "discipline",
        "petition",
        "private",
        "emergency",
    }


def test_merge_counts_everyone_who_raised_it(flow, accounts):
    main = flow.submit()
    first = services.merge_case(flow.submit(), main, actor=accounts.station_a_staff)
    middle = flow.submit()
    services.merge_case(flow.submit(), middle, actor=accounts.station_a_staff)
    services.merge_case(middle, main, actor=accounts.station_a_staff)
    assert first.status == Status.MERGED and first.merged_into == main
    assert merged_count(main) == 4
    assert {c.pk for c in merged_cases(main)} == {first.pk, middle.pk} | {
        c.pk for c in merged_cases(middle)
    }
    assert main.events.filter(verb="case.merge_received").count() == 2


def test_merge_refusals(flow, accounts, unchanged):
    case = flow.submit()
    with unchanged(case), pytest.raises(ValidationError):
        services.merge_case(case, case, actor=accounts.station_a_staff)
    closed = flow.to("rejected")
    with unchanged(case), pytest.raises(ValidationError):
        services.merge_case(case, closed, actor=accounts.station_a_staff)
    elsewhere = flow.submit(station=flow.d.station_b, deputy=None)
    with unchanged(case), pytest.raises(NotAllowed):
        services.merge_case(case, elsewhere, actor=accounts.station_a_staff)
