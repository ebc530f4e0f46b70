"""The rows of cases/permissions.py that the services ask beyond review, reply and supervision:
a department acts only on its own assignment ("assignment.handle", not even an administrator),
and only administrators keep the referral channels and routing rules."""

import pytest
from django.utils import translation

from liaison.accounts.models import Role
from liaison.cases import services
from liaison.cases.models import Assignment, ReferralChannel, RoutingRule
from liaison.cases.selectors import staff_actions
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.permissions import may
from tests.factories import UserFactory


def test_only_the_assigned_department_handles_its_assignment(flow, accounts, district):
    case = flow.to("assigned")
    mine = case.assignments.get()
    other = UserFactory(role=Role.DEPARTMENT_HANDLER, department=district.department_b)
    assert may(accounts.handler_a, "assignment.handle", mine)
    for who in [other, accounts.administrator, accounts.street_a_committee, accounts.deputy_a]:
        assert not may(who, "assignment.handle", mine)


def test_an_administrator_does_not_sign_for_a_department(flow, accounts, unchanged):
    case = flow.to("assigned")
    assert staff_actions(case, accounts.administrator) & {"sign", "co_sign", "report"} == set()
    with unchanged(case), pytest.raises(NotAllowed) as refused:
        services.sign_assignment(case, actor=accounts.administrator)
    with translation.override("en"):
        assert "Only the assigned department" in str(refused.value.message)


def test_a_step_already_taken_is_refused_by_state_not_by_role(flow, accounts, unchanged):
    case = flow.to("in_progress")  # signed for already: a second signature is not possible
    with unchanged(case), pytest.raises(TransitionRefused):
        services.sign_assignment(case, actor=accounts.handler_a)
    assignment = case.assignments.get()
    assert assignment.state == Assignment.State.SIGNED


@pytest.mark.parametrize("who", ["county_committee", "station_a_staff", "handler_a"])
def test_only_administrators_keep_the_configuration(db, district, accounts, who):
    channel = ReferralChannel(code="labour", name="劳动仲裁", guidance="请向劳动仲裁委员会申请。")
    rule = RoutingRule(
        category=district.category,
        department=district.department_a,
        role=Assignment.Role.LEAD,
        priority=10,
    )
    with pytest.raises(NotAllowed):
        services.save_referral_channel(channel, actor=getattr(accounts, who))
    with pytest.raises(NotAllowed):
        services.save_routing_rule(rule, actor=getattr(accounts, who))
    assert not ReferralChannel.objects.filter(code="labour").exists()
    assert not RoutingRule.objects.exists()
    services.save_referral_channel(channel, actor=accounts.administrator)
    services.save_routing_rule(rule, actor=accounts.administrator)
    assert ReferralChannel.objects.filter(code="labour").exists()
    assert RoutingRule.objects.count() == 1
