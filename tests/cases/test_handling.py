"""The deputy's reply, assignment to departments, their handling and the deputy's answer."""

import pytest
from django.core.exceptions import ValidationError

from liaison.accounts.models import Role
from liaison.cases import services
from liaison.cases.models import Assignment
from liaison.cases.workflow import Status
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.notifications.models import Notification
from tests.factories import UserFactory


def test_reply_settles_or_proposes(flow, accounts):
    settled = services.reply_case(
        flow.to("accepted"), actor=accounts.deputy_a, text="已解决", settle=True
    )
    assert settled.status == Status.ANSWERED
    assert "/r/" in Notification.objects.order_by("id").last().body  # the rating link
    proposed = services.reply_case(
        flow.to("accepted"), actor=accounts.deputy_a, text="建议交办", settle=False
    )
    assert proposed.status == Status.TO_ASSIGN
    event = proposed.events.get(verb="case.replied")
    assert "张明华" in event.actor_label


def test_station_staff_may_reply_on_the_deputys_behalf(flow, accounts):
    case = services.reply_case(
        flow.to("accepted"), actor=accounts.station_a_staff, text="代录", settle=False
    )
    event = case.events.get(verb="case.replied")
    assert event.actor == accounts.station_a_staff and event.data["entered_by_staff"] is True
    assert "张明华" in event.actor_label


@pytest.mark.parametrize("who", ["station_b_staff", "street_a_committee", "handler_a"])
def test_others_cannot_reply(flow, accounts, unchanged, who):
    case = flow.to("accepted")
    with unchanged(case), pytest.raises(NotAllowed):
        services.reply_case(case, actor=getattr(accounts, who), text="x", settle=False)


def test_another_deputy_cannot_reply(flow, accounts, district, unchanged):
    other = UserFactory(role=Role.DEPUTY, deputy=district.dep_shared)
    case = flow.to("accepted")
    with unchanged(case), pytest.raises(NotAllowed):
        services.reply_case(case, actor=other, text="x", settle=True)
    with unchanged(case), pytest.raises(ValidationError):
        services.reply_case(case, actor=accounts.deputy_a, text="", settle=True)


def test_assign_with_consent_records_it(flow, accounts, district):
    case = services.assign_case(
        flow.to("to_assign"),
        actor=accounts.county_committee,
        lead_department=district.department_county,
        co_departments=[district.department_a],
        share_contact=True,
        consent={"how": "留言时勾选同意", "when": "2025-09-26"},
    )
    assert case.status == Status.ASSIGNED
    lead, co = case.assignments.order_by("role").reverse()
    assert (lead.role, co.role) == ("lead", "co") and lead.contact_shared
    consent = case.events.get(verb="case.assigned").data["consent"]
    assert consent["how"] == "留言时勾选同意"
    assert consent["to"] == [district.department_county.name, district.department_a.name]
    assert consent["what"] == ["citizen_name", "citizen_phone"]


def test_assign_refusals(flow, accounts, district, unchanged):
    case = flow.to("to_assign")
    for kwargs, error in [
        ({"share_contact": True}, ValidationError),  # no consent recorded
        ({"lead_department": district.department_b}, ValidationError),  # another street's
        ({"co_departments": [district.department_a]}, ValidationError),  # lead twice
    ]:
        kwargs = {"lead_department": district.department_a, **kwargs}
        with unchanged(case), pytest.raises(error):
            services.assign_case(case, actor=accounts.street_a_committee, **kwargs)
    for who in ["station_a_staff", "deputy_a", "handler_a"]:
        with unchanged(case), pytest.raises(NotAllowed):
            services.assign_case(
                case, actor=getattr(accounts, who), lead_department=district.department_a
            )
    accepted = flow.to("accepted")
    with unchanged(accepted), pytest.raises(TransitionRefused):
        services.assign_case(
            accepted, actor=accounts.street_a_committee, lead_department=district.department_a
        )


def test_sign_return_and_reassign_keep_history(flow, accounts, district):
    case = services.sign_assignment(flow.to("assigned"), actor=accounts.handler_a)
    assert case.status == Status.IN_PROGRESS
    case = services.return_assignment(case, actor=accounts.handler_a, reason="非本单位职责")
    assert case.status == Status.TO_ASSIGN and case.due_days == 2  # the committee's clock
    assert case.events.get(verb="case.returned").is_public is False
    case = services.assign_case(
        case, actor=accounts.county_committee, lead_department=district.department_county
    )
    assert list(case.assignments.order_by("id").values_list("department__name", "state")) == [
        (district.department_a.name, Assignment.State.RETURNED),
        (district.department_county.name, Assignment.State.PENDING),
    ]


def test_other_departments_cannot_handle(flow, accounts, district, unchanged):
    other = UserFactory(role=Role.DEPARTMENT_HANDLER, department=district.department_b)
    case = flow.to("assigned")
    for call in [
        lambda: services.sign_assignment(case, actor=other),
        lambda: services.return_assignment(case, actor=other, reason="x"),
        lambda: services.sign_assignment(case, actor=accounts.station_a_staff),
    ]:
        with unchanged(case), pytest.raises(NotAllowed):
            call()
    with unchanged(case), pytest.raises(ValidationError):
        services.return_assignment(case, actor=accounts.handler_a, reason="")


def test_co_handlers_act_without_moving_the_case(flow, accounts, district):
    case = services.assign_case(
        flow.to("to_assign"),
        actor=accounts.county_committee,
        lead_department=district.department_county,
        co_departments=[district.department_a],
    )
    case = services.sign_assignment(case, actor=accounts.handler_a)
    assert case.status == Status.ASSIGNED
    case = services.report_result(case, actor=accounts.handler_a, text="协办意见")
    assert case.status == Status.ASSIGNED
    assert case.assignments.get(role="co").state == Assignment.State.REPORTED


def test_report_needs_signature_and_text(flow, accounts, unchanged):
    case = flow.to("assigned")
    with unchanged(case), pytest.raises(TransitionRefused):
        services.report_result(case, actor=accounts.handler_a, text="x")
    case = flow.to("in_progress")
    with unchanged(case), pytest.raises(ValidationError):
        services.report_result(case, actor=accounts.handler_a, text=" ")
    case = services.report_result(case, actor=accounts.handler_a, text="已更换")
    assert case.status == Status.FEEDBACK
    assert case.assignments.get().result == "已更换"


def test_extension_refusals(flow, accounts, unchanged):
    case = flow.to("in_progress")
    assignment = case.assignments.get()
    with unchanged(case), pytest.raises(ValidationError):
        services.request_extension(case, actor=accounts.handler_a, days_requested=0, reason="x")
    with unchanged(case), pytest.raises(ValidationError):  # nothing requested yet
        services.decide_extension(
            case, actor=accounts.street_a_committee, assignment=assignment, approve=True
        )
    services.request_extension(case, actor=accounts.handler_a, days_requested=3, reason="x")
    with unchanged(case), pytest.raises(ValidationError):
        services.request_extension(case, actor=accounts.handler_a, days_requested=3, reason="x")
    with unchanged(case), pytest.raises(NotAllowed):
        services.decide_extension(
            case, actor=accounts.station_a_staff, assignment=assignment, approve=True
        )


def test_urge_and_supervise_are_internal_events(flow, accounts, unchanged):
    case = flow.to("in_progress")
    services.urge_case(case, actor=accounts.street_a_committee, note="请加快")
    services.supervise_case(case, actor=accounts.county_committee, note="列入督办")
    events = case.events.filter(verb__in=["case.urged", "case.supervised"])
    assert [e.is_public for e in events] == [False, False]
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    with unchanged(case), pytest.raises(NotAllowed):
        services.urge_case(case, actor=accounts.station_a_staff)


def test_the_answer_reaches_merged_citizens(flow, accounts):
    main = flow.to("submitted")
    other = flow.submit(citizen_phone="13700001111")
    services.merge_case(other, main, actor=accounts.station_a_staff)
    for step in [
        lambda c: services.accept_case(c, actor=accounts.station_a_staff),
        lambda c: services.reply_case(c, actor=accounts.deputy_a, text="交办", settle=False),
        lambda c: services.assign_case(
            c, actor=accounts.street_a_committee, lead_department=flow.d.department_a
        ),
        lambda c: services.sign_assignment(c, actor=accounts.handler_a),
        lambda c: services.report_result(c, actor=accounts.handler_a, text="好了"),
    ]:
        main = step(main)
    before = Notification.objects.order_by("id").last().pk
    main = services.answer_case(main, actor=accounts.deputy_a, text="路灯已修好")
    sent = list(Notification.objects.filter(channel="sms", pk__gt=before))
    assert {(n.recipient, n.template, n.params["number"]) for n in sent} == {
        ("13912345678", "case_answered", main.tracking_number),
        ("13700001111", "case_answered_merged", other.tracking_number),
    }
    assert main.status == Status.ANSWERED
