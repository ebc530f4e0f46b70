"""Random sequences of actions through the real services keep the workflow's invariants.

Each step calls a service as the account that may take it, so a refusal can only come from the
status (the table), and every outcome is checked against the table."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liaison.cases import services
from liaison.cases.models import Case, CaseEvent, ReferralChannel
from liaison.cases.workflow import FINAL, TRANSITIONS, Action, Status
from liaison.core.errors import TransitionRefused

# Steps whose due_at must be set while the case waits in them.
TIMED = {
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.TO_ASSIGN,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.FEEDBACK,
    Status.ANSWERED,
}


def _steps(flow):
    a, d = flow.a, flow.d
    return {
        "accept": (Action.ACCEPT, lambda c: services.accept_case(c, actor=a.station_a_staff)),
        "request_info": (
            Action.REQUEST_INFO,
            lambda c: services.request_info(c, actor=a.station_a_staff, reason="缺少地址"),
        ),
        "supplement": (Action.SUPPLEMENT, lambda c: services.supplement_case(c, text="12号")),
        "merge": (
            Action.MERGE,
            lambda c: services.merge_case(c, flow.submit(), actor=a.station_a_staff),
        ),
        "reject": (
            Action.REJECT,
            lambda c: services.reject_case(c, actor=a.station_a_staff, reason="empty"),
        ),
        "refer": (
            Action.REFER,
            lambda c: services.refer_case(
                c,
                actor=a.station_a_staff,
                referral_channel=ReferralChannel.objects.get(code="emergency"),
            ),
        ),
        "reply_settle": (
            Action.REPLY_AND_CLOSE,
            lambda c: services.reply_case(c, actor=a.deputy_a, text="答复", settle=True),
        ),
        "reply_propose": (
            Action.REPLY_AND_PROPOSE,
            lambda c: services.reply_case(c, actor=a.deputy_a, text="建议交办", settle=False),
        ),
        "assign": (
            Action.ASSIGN,
            lambda c: services.assign_case(
                c, actor=a.street_a_committee, lead_department=d.department_a
            ),
        ),
        "sign": (Action.SIGN, lambda c: services.sign_assignment(c, actor=a.handler_a)),
        "return": (
            Action.RETURN,
            lambda c: services.return_assignment(c, actor=a.handler_a, reason="非本单位职责"),
        ),
        "report": (
            Action.REPORT,
            lambda c: services.report_result(c, actor=a.handler_a, text="已办结"),
        ),
        "answer": (Action.ANSWER, lambda c: services.answer_case(c, actor=a.deputy_a, text="答复")),
        "rate_satisfied": (Action.RATE, lambda c: services.rate_case(c, rating="satisfied")),
        "rate_unsatisfied": (None, lambda c: services.rate_case(c, rating="unsatisfied")),
        "urge": (Action.URGE, lambda c: services.urge_case(c, actor=a.street_a_committee)),
        "withdraw": (Action.WITHDRAW, lambda c: services.withdraw_case(c)),
    }


STEP_NAMES = [
    "accept",
    "request_info",
    "supplement",
    "merge",
    "reject",
    "refer",
    "reply_settle",
    "reply_propose",
    "assign",
    "sign",
    "return",
    "report",
    "answer",
    "rate_satisfied",
    "rate_unsatisfied",
    "urge",
    "withdraw",
]


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=st.sampled_from(sorted(Status)),
    names=st.lists(st.sampled_from(STEP_NAMES), min_size=1, max_size=14),
)
def test_random_sequences_keep_the_invariants(flow, start, names):
    steps = _steps(flow)
    case = flow.to(start)  # start anywhere, so that every status sees every step
    changes = sum(1 for e in CaseEvent.objects.filter(case=case) if e.from_status != e.to_status)
    for name in names:
        action, call = steps[name]
        before = Case.objects.get(pk=case.pk)
        if action is None:  # an unsatisfied rating: re-handling once, then closing
            action = Action.RATE if before.rehandled else Action.REHANDLE
        allowed = (Status(before.status), action) in TRANSITIONS
        try:
            call(before)
        except TransitionRefused:
            assert not allowed, (before.status, action)
        except ValidationError as error:  # every step's input is valid: this is a bug
            raise AssertionError(error) from error
        else:
            assert allowed, (before.status, action)
        after = Case.objects.get(pk=case.pk)
        assert after.status in Status.values
        if allowed:
            assert after.status == TRANSITIONS[(Status(before.status), action)]
        else:
            assert after.status == before.status
        if before.status in FINAL:
            assert after.status == before.status
        if after.status != before.status:
            changes += 1
        status_events = [
            e
            for e in CaseEvent.objects.filter(case=case).order_by("id")
            if e.from_status != e.to_status
        ]
        assert len(status_events) == changes
        assert status_events[-1].to_status == after.status
        if after.status != before.status:
            assert status_events[-1].from_status == before.status
        if after.status in TIMED:
            assert after.due_at is not None, after.status
        else:
            assert after.due_at is None, after.status
