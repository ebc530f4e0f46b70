"""A case workflow to drive: `flow.to(status)` makes a case and walks it there through the
services, with the accounts of tests/conftest.py (everything happens in street A)."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from liaison.cases import services
from liaison.cases.models import Assignment, Case, CaseEvent, Channel, ReferralChannel
from liaison.cases.workflow import Status
from liaison.notifications.models import Notification

PHONE = "13912345678"


class Flow:
    def __init__(self, district, accounts):
        self.d, self.a = district, accounts

    def submit(self, **overrides) -> Case:
        fields = {
            "channel": Channel.ONLINE,
            "station": self.d.station_a,
            "deputy": self.d.dep_a,
            "category": self.d.category,
            "title": "路灯不亮",
            "description": "保俶路12号门口的路灯坏了一个月。",
            "citizen_phone": PHONE,
            "citizen_name": "陈女士",
            "privacy_accepted": True,
        }
        fields.update(overrides)
        return services.submit_case(**fields)

    def to(self, status: str, **submit) -> Case:
        a, d = self.a, self.d
        case = self.submit(**submit)
        steps = {
            Status.SUBMITTED: [],
            Status.NEEDS_INFO: [
                lambda c: services.request_info(
                    c, actor=a.station_a_staff, reason="请说明具体位置。"
                )
            ],
            Status.REJECTED: [
                lambda c: services.reject_case(c, actor=a.station_a_staff, reason="spam")
            ],
            Status.REFERRED: [
                lambda c: services.refer_case(
                    c,
                    actor=a.station_a_staff,
                    referral_channel=ReferralChannel.objects.get(code="litigation"),
                )
            ],
            Status.MERGED: [
                lambda c: services.merge_case(c, self.submit(), actor=a.station_a_staff)
            ],
            Status.WITHDRAWN: [lambda c: services.withdraw_case(c)],
        }
        main = [
            (Status.ACCEPTED, lambda c: services.accept_case(c, actor=a.station_a_staff)),
            (
                Status.TO_ASSIGN,
                lambda c: services.reply_case(
                    c, actor=a.deputy_a, text="已收到，建议交办。", settle=False
                ),
            ),
            (
                Status.ASSIGNED,
                lambda c: services.assign_case(
                    c, actor=a.street_a_committee, lead_department=d.department_a
                ),
            ),
            (Status.IN_PROGRESS, lambda c: services.sign_assignment(c, actor=a.handler_a)),
            (
                Status.FEEDBACK,
                lambda c: services.report_result(c, actor=a.handler_a, text="已更换路灯。"),
            ),
            (
                Status.ANSWERED,
                lambda c: services.answer_case(c, actor=a.deputy_a, text="路灯已修好。"),
            ),
            (Status.CLOSED, lambda c: services.rate_case(c, rating="satisfied")),
        ]
        if status in steps:
            path = steps[status]
        else:
            names = [s for s, _ in main]
            path = [step for _, step in main[: names.index(status) + 1]]
        for step in path:
            case = step(case)
        assert case.status == status
        return case


@pytest.fixture
def flow(district, accounts):
    return Flow(district, accounts)


@pytest.fixture
def page_cache_on(settings):
    """The whole-page cache on (tests/conftest.py turns it off), empty before and after."""
    settings.LIAISON_PUBLIC_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def snapshot(case=None):
    """Everything a refused action must leave as it was."""
    state = SimpleNamespace(
        events=CaseEvent.objects.count(),
        notifications=Notification.objects.count(),
        cases=Case.objects.count(),
        assignments=list(Assignment.objects.values_list("pk", "state", "report_due_at")),
    )
    if case is not None:
        state.case = Case.objects.filter(pk=case.pk).values().get()
    return state.__dict__


@pytest.fixture
def unchanged():
    """`with unchanged(case):` — assert the block writes nothing."""
    from contextlib import contextmanager

    @contextmanager
    def check(case=None):
        before = snapshot(case)
        yield
        assert snapshot(case) == before

    return check
