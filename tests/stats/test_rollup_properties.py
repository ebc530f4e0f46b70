"""The rollup against a direct count: random case histories through the real services (with
re-handling, merges, reassignment, returns and extensions, days passing between the steps),
counted into the rollup in random batches, then compared with a count straight from the events
over a random period, category and department."""

import contextlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liaison.accounts.models import Role
from liaison.cases import services
from liaison.cases.models import Assignment, Case, CaseEvent, ReferralChannel
from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.stats import counted, figures, rollup
from liaison.stats.models import CaseFigure, RollupMark
from liaison.workdays.deadlines import Calendar, local_day, working_days_between
from liaison.workdays.models import ScheduleYear
from tests.factories import CategoryFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 2, 9, tzinfo=SHANGHAI)  # a Monday
SATISFIED = {"satisfied", "basic"}


def _handlers(flow):
    return [flow.a.handler_a, flow.a.handler_county]


def _as_any_handler(flow, call):
    def run(case):
        for handler in _handlers(flow):
            try:
                return call(case, handler)
            except NotAllowed:
                continue
        raise TransitionRefused("no department holds it")

    return run


def _approve(flow):
    def run(case):
        lead = case.assignments.filter(role="lead", state__in=["pending", "signed"]).first()
        if lead is None:
            raise TransitionRefused("no assignment")
        return services.decide_extension(
            case, actor=flow.a.street_a_committee, assignment=lead, approve=True
        )

    return run


def _steps(flow):
    a, d = flow.a, flow.d
    return {
        "accept": lambda c: services.accept_case(c, actor=a.station_a_staff),
        "request_info": lambda c: services.request_info(
            c, actor=a.station_a_staff, reason="缺少地址"
        ),
        "supplement": lambda c: services.supplement_case(c, text="12号"),
        "merge": lambda c: services.merge_case(c, flow.submit(), actor=a.station_a_staff),
        "reject": lambda c: services.reject_case(c, actor=a.station_a_staff, reason="empty"),
        "refer": lambda c: services.refer_case(
            c,
            actor=a.station_a_staff,
            referral_channel=ReferralChannel.objects.get(code="emergency"),
        ),
        "reply_settle": lambda c: services.reply_case(
            c, actor=a.deputy_a, text="答复", settle=True
        ),
        "reply_propose": lambda c: services.reply_case(
            c, actor=a.deputy_a, text="建议交办", settle=False
        ),
        "assign_a": lambda c: services.assign_case(
            c, actor=a.street_a_committee, lead_department=d.department_a
        ),
        "assign_county": lambda c: services.assign_case(
            c, actor=a.street_a_committee, lead_department=d.department_county
        ),
        "sign": _as_any_handler(flow, lambda c, h: services.sign_assignment(c, actor=h)),
        "return": _as_any_handler(
            flow, lambda c, h: services.return_assignment(c, actor=h, reason="非本单位职责")
        ),
        "request_extension": _as_any_handler(
            flow,
            lambda c, h: services.request_extension(
                c, actor=h, days_requested=3, reason="需要协调"
            ),
        ),
        "approve_extension": _approve(flow),
        "report": _as_any_handler(
            flow, lambda c, h: services.report_result(c, actor=h, text="已办结")
        ),
        "answer": lambda c: services.answer_case(c, actor=a.deputy_a, text="答复"),
        "rate_satisfied": lambda c: services.rate_case(c, rating="satisfied"),
        "rate_basic": lambda c: services.rate_case(c, rating="basic"),
        "rate_unsatisfied": lambda c: services.rate_case(c, rating="unsatisfied"),
        "withdraw": lambda c: services.withdraw_case(c),
        "urge": lambda c: services.urge_case(c, actor=a.street_a_committee),
    }


# The steps to try in each status: random histories that walk far, not mostly refusals.
NEXT = {
    "submitted": ["accept", "accept", "accept", "request_info", "merge", "reject", "refer"],
    "needs_info": ["supplement", "supplement", "reject"],
    "accepted": ["reply_settle", "reply_propose", "reply_propose", "withdraw"],
    "to_assign": ["assign_a", "assign_county"],
    "assigned": ["sign", "sign", "sign", "return", "assign_county", "assign_a", "urge"],
    "in_progress": [
        "report",
        "report",
        "report",
        "request_extension",
        "approve_extension",
        "return",
        "assign_a",
    ],
    "feedback": ["answer"],
    "answered": ["rate_satisfied", "rate_basic", "rate_unsatisfied", "rate_unsatisfied"],
}


# --- the direct count, from the events alone -----------------------------------------------------


def _department_of(event: CaseEvent, departments) -> int:
    """The department an event is about, as the events say it (not as the rollup walks it)."""
    if event.verb == "case.assigned":
        return departments[event.data["lead"]]
    return event.actor.department_id if event.actor and event.actor.department_id else 0


def _direct(events, *, first, last, category, department, departments):
    """Counts and step outcomes straight from the events, for the events that are about
    `department` (None: any) among the cases of `category`."""
    counts = dict.fromkeys(figures.COUNTERS, 0)
    due = dict.fromkeys(counted.STEPS, 0)
    on_time = dict.fromkeys(counted.STEPS, 0)
    calendar = Calendar()
    by_case: dict[int, list[CaseEvent]] = {}
    for event in events:
        by_case.setdefault(event.case_id, []).append(event)
    for case_events in by_case.values():
        for i, event in enumerate(case_events):
            case = event.case
            if case.category_id != category or not first <= local_day(event.created_at) <= last:
                continue
            verb, data, role = event.verb, event.data, event.data.get("role")
            earlier = case_events[:i]
            if department is not None:
                # Only the department's own acts: the assignment to it, and what it did.
                acts = verb == "case.assigned" or (
                    verb in {"case.signed", "case.returned", "case.reported"} and role == "lead"
                )
                if not acts or _department_of(event, departments) != department:
                    continue
            plain = {
                "case.submitted": "received",
                "case.accepted": "accepted",
                "case.rejected": "rejected",
                "case.referred": "referred",
                "case.merged": "merged",
                "case.withdrawn": "withdrawn",
                "case.replied": "replied",
                "case.assigned": "assigned",
                "case.answered": "answered",
                "case.extension_approved": "extended",
                "case.auto_closed": "resolved",
            }
            if verb in plain:
                counts[plain[verb]] += 1
            if verb == "case.replied" and data.get("settled"):
                counts["settled"] += 1
                counts["answered"] += 1
            if verb in {"case.rated", "case.rehandle_requested"}:
                counts["rated"] += 1
                counts["satisfied"] += data.get("rating") in SATISFIED
                counts["resolved" if verb == "case.rated" else "rehandled"] += 1
            if verb == "case.assigned" and event.from_status != "to_assign":
                counts["reassigned"] += 1
            if role == "lead" and verb in {"case.signed", "case.returned", "case.reported"}:
                counts[verb.split(".")[1]] += 1
            # Steps: the one that ends here, timed from its start.
            step = None
            if verb in {"case.accepted", "case.rejected", "case.referred", "case.merged"}:
                if event.from_status == "submitted":
                    step = "review"
            elif verb == "case.replied":
                step = "reply"
            elif verb == "case.signed" and role == "lead":
                step = "sign"
            elif verb == "case.reported" and role == "lead":
                step = "handle"
            elif verb == "case.answered":
                step = "answer"
            if step is None:
                continue
            due[step] += 1
            if step in {"sign", "handle"}:
                lead = (
                    Assignment.objects.filter(
                        case=case,
                        role="lead",
                        department_id=_department_of(event, departments),
                        created_at__lte=event.created_at,
                    )
                    .order_by("-pk")
                    .first()
                )
                deadline = lead.sign_due_at if step == "sign" else lead.report_due_at
                on_time[step] += event.created_at <= deadline
                continue
            starts = {
                "review": {"case.submitted", "case.supplemented"},
                "reply": {"case.accepted"},
                "answer": {"case.reported"},
            }[step]
            start = [
                e for e in earlier if e.verb in starts and e.data.get("role", "lead") == "lead"
            ][-1]
            allowed = {"review": 2, "reply": 3, "answer": 15}[step]
            if start.verb == "case.supplemented":
                allowed = max(int(start.data.get("days_left") or 0), 1)
            taken = working_days_between(start.created_at, event.created_at, calendar=calendar)
            on_time[step] += taken <= allowed
    return counts, due, on_time


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plan=st.lists(
        st.tuples(
            st.integers(0, 2),  # which case
            st.integers(0, 11),  # which of the steps its status allows
            st.integers(0, 4),  # days until the step
        ),
        min_size=5,
        max_size=40,
    ),
    batch=st.integers(1, 9),
    window=st.tuples(st.integers(0, 40), st.integers(0, 40)),
)
def test_the_rollup_equals_a_direct_count(flow, plan, batch, window):
    CaseFigure.objects.all().delete()
    RollupMark.objects.all().delete()
    categories = [flow.d.category, flow.other_category]
    with time_machine.travel(START, tick=False) as clock:
        cases = [flow.submit(category=categories[i % 2]) for i in range(3)]
        steps = _steps(flow)
        for which, choice, days in plan:
            clock.shift(timedelta(days=days, minutes=7))
            case = Case.objects.get(pk=cases[which].pk)
            allowed = NEXT.get(case.status)
            if not allowed:
                continue
            name = allowed[choice % len(allowed)]
            with contextlib.suppress(TransitionRefused, ValidationError, NotAllowed):
                steps[name](case)  # a refusal (e.g. the other department's turn) is fine
            if days % 3 == 0:  # now and then, the worker counts what there is so far
                rollup.update(batch=batch)
    rollup.update(batch=batch)

    first = local_day(START) + timedelta(days=min(window))
    last = local_day(START) + timedelta(days=max(window))
    events = list(
        CaseEvent.objects.select_related("case", "actor").filter(case__in=Case.objects.all())
    )
    departments = {d.name: d.pk for d in (flow.d.department_a, flow.d.department_county)}
    for category in categories:
        for department in (None, *departments.values()):
            _compare(events, first, last, category.pk, department, departments)


def _compare(events, first, last, category, department, departments):
    rows = CaseFigure.objects.filter(category_id=category)
    if department is not None:
        rows = rows.filter(department_id=department)
    found = figures.compute(rows, first, last)
    counts, due, on_time = _direct(
        events,
        first=first,
        last=last,
        category=category,
        department=department,
        departments=departments,
    )
    if department is None:
        assert {k: found.totals[k] for k in counts} == counts
        assert {s.name: s.on_time.denominator for s in found.steps} == due
        assert {s.name: s.on_time.numerator for s in found.steps} == on_time
    else:
        for metric in ("assigned", "reassigned", "signed", "returned", "reported"):
            assert found.totals[metric] == counts[metric], metric
        for step in ("sign", "handle"):
            got = {s.name: s for s in found.steps}[step].on_time
            assert (got.numerator, got.denominator) == (on_time[step], due[step]), step


@pytest.fixture
def flow(flow, district):
    """The workflow of tests/cases, with a second category and the county department's handler,
    in years with a schedule (weekends only: the deadlines are not provisional)."""
    for year in (2026,):
        ScheduleYear.objects.get_or_create(year=year)
    flow.other_category = CategoryFactory(code="housing", name="住房")
    flow.a.handler_county = UserFactory(
        username="handler_county",
        role=Role.DEPARTMENT_HANDLER,
        department=district.department_county,
    )
    return flow
