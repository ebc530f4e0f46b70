"""Suggestion fixtures: the shared district and accounts, plus the accounts the loop needs —
a co-signing deputy (dep_shared), the county committee covering both streets, handlers of the
lead and joint units."""

from types import SimpleNamespace

import pytest

from liaison.accounts.models import Role
from liaison.cases import services as case_services
from liaison.suggestions import services
from liaison.suggestions.models import SessionKind

from ..factories import UserFactory


@pytest.fixture
def people(district, accounts):
    d = district
    return SimpleNamespace(
        **vars(accounts),
        cosigner=UserFactory(username="deputy_shared", role=Role.DEPUTY, deputy=d.dep_shared),
        deputy_b=UserFactory(username="deputy_b", role=Role.DEPUTY, deputy=d.dep_b),
        lead_handler=UserFactory(
            username="handler_county", role=Role.DEPARTMENT_HANDLER, department=d.department_county
        ),
        joint_handler=accounts.handler_a,
        other_handler=UserFactory(
            username="handler_b", role=Role.DEPARTMENT_HANDLER, department=d.department_b
        ),
        street_b_committee=UserFactory(
            username="street_b", role=Role.COMMITTEE_STAFF, region=d.street_b
        ),
    )


@pytest.fixture
def make_case(district, people):
    def make(title="停车难"):
        return case_services.submit_case(
            channel="phone",
            station=district.station_a,
            deputy=district.dep_a,
            category=district.category,
            title=title,
            description="小区停车难",
            citizen_phone="13900001111",
            citizen_name="陈女士",
            privacy_accepted=True,
            actor=people.station_a_staff,
        )

    return make


@pytest.fixture
def draft(district, people):
    """A draft by deputy_a (dep_a), optionally with dep_shared as co-signer."""

    def make(*, actor=None, cosigners=(), cases=(), **extra):
        fields = {
            "title": "关于增设小区停车位的建议",
            "reasons": "老旧小区停车位严重不足，车辆占用消防通道。",
            "proposals": "一、挖潜增设停车位；二、错时开放机关停车场。",
            "category": district.category,
            "session_kind": SessionKind.DURING,
            "year": 2026,
            "congress": "第十七届二次会议",
        }
        fields.update(extra)
        return services.draft_suggestion(
            actor=actor or people.deputy_a,
            lead_deputy=district.dep_a,
            cosigners=list(cosigners),
            cases=list(cases),
            **fields,
        )

    return make


@pytest.fixture
def at_step(draft, district, people):
    """A suggestion driven to `step`: submitted, accepted, assigned, answered, closed."""

    def make(step, *, grade="B", **extra):
        s = draft(**extra)
        s = services.submit_suggestion(s, actor=people.deputy_a)
        if step == "submitted":
            return s
        s = services.accept_suggestion(s, actor=people.county_committee)
        if step == "accepted":
            return s
        s = services.assign_suggestion(
            s,
            actor=people.county_committee,
            lead=district.department_county,
            joint=[district.department_a],
            co=[district.department_b],
        )
        if step == "assigned":
            return s
        s = services.answer_suggestion(
            s,
            actor=people.lead_handler,
            grade=grade,
            answer="已列入年度计划。",
            achieved="新增车位200个",
        )
        if step == "answered":
            return s
        s = services.evaluate_suggestion(s, actor=people.deputy_a, evaluation="satisfied")
        assert step == "closed"
        return s

    return make


@pytest.fixture
def submitted(draft, people, district):
    """A submitted suggestion by deputy_a (the conftest draft) or by deputy_b (street B)."""

    def make(deputy="a", **fields):
        if deputy == "a":
            return services.submit_suggestion(draft(**fields), actor=people.deputy_a)
        s = services.draft_suggestion(
            actor=people.deputy_b,
            lead_deputy=district.dep_b,
            cosigners=[],
            cases=[],
            category=district.category,
            session_kind=SessionKind.DURING,
            year=2026,
            **fields,
        )
        return services.submit_suggestion(s, actor=people.deputy_b)

    return make
