"""The citizen's rating, the one re-handling round, withdrawal and the auto-close job."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liaison.cases import links, services
from liaison.cases.models import Assignment
from liaison.cases.workflow import Status
from liaison.core import jobs
from liaison.core.errors import TransitionRefused


@pytest.mark.parametrize("rating", ["satisfied", "basic"])
def test_satisfied_closes(flow, rating):
    case = services.rate_case(flow.to("answered"), rating=rating, comment="谢谢")
    assert case.status == Status.CLOSED and case.rating == rating and case.closed_at
    event = case.events.get(verb="case.rated")
    assert event.actor is None and event.data["via"] == "link"


def test_unsatisfied_rehandles_once_then_closes(flow, accounts, district):
    case = services.rate_case(flow.to("answered"), rating="unsatisfied", comment="没修好")
    assert case.status == Status.TO_ASSIGN and case.rehandled and case.rating == ""
    case = services.assign_case(
        case, actor=accounts.street_a_committee, lead_department=district.department_a
    )
    assert case.assignments.get(state=Assignment.State.PENDING).round == 2
    case = services.sign_assignment(case, actor=accounts.handler_a)
    case = services.report_result(case, actor=accounts.handler_a, text="再次修复")
    case = services.answer_case(case, actor=accounts.deputy_a, text="已再次修复")
    case = services.rate_case(case, rating="unsatisfied", comment="还是不行")
    assert case.status == Status.CLOSED and case.rating == "unsatisfied"


def test_rating_refusals(flow, unchanged):
    case = flow.to("feedback")
    with unchanged(case), pytest.raises(TransitionRefused):
        services.rate_case(case, rating="satisfied")
    answered = flow.to("answered")
    with unchanged(answered), pytest.raises(ValidationError):
        services.rate_case(answered, rating="great")


def test_the_rating_link_names_the_case():
    class Case:
        tracking_number = "1234567890"

    token = links.rating_token(Case())
    assert links.tracking_number_from_rating_token(token) == "1234567890"
    assert links.tracking_number_from_rating_token(token[:-1] + "x") is None
    assert links.tracking_number_from_rating_token("1234567890") is None


@pytest.mark.parametrize("status", ["submitted", "needs_info", "in_progress", "answered"])
def test_withdraw_from_any_open_status(flow, status):
    case = services.withdraw_case(flow.to(status), reason="已自行解决")
    assert case.status == Status.WITHDRAWN and case.due_at is None
    assert not case.assignments.filter(state__in=["pending", "signed"]).exists()


def test_closed_cases_cannot_be_withdrawn(flow, unchanged):
    case = flow.to("closed")
    with unchanged(case), pytest.raises(TransitionRefused):
        services.withdraw_case(case)


def test_auto_close_only_overdue_answered_cases_once(flow):
    overdue, fresh, other = flow.to("answered"), flow.to("answered"), flow.to("feedback")
    overdue.due_at = timezone.now() - timedelta(minutes=1)
    overdue.save(update_fields=["due_at"])
    assert services.auto_close_unrated() == 1
    assert services.auto_close_unrated() == 0
    overdue.refresh_from_db(), fresh.refresh_from_db(), other.refresh_from_db()
    assert overdue.status == Status.CLOSED and overdue.rating == ""
    assert overdue.events.get(verb="case.auto_closed").actor is None
    assert (fresh.status, other.status) == (Status.ANSWERED, Status.FEEDBACK)


def test_auto_close_is_a_registered_job(flow):
    jobs.autodiscover()
    job = {j.name: j for j in jobs.registered()}["cases.auto_close_unrated"]
    case = flow.to("answered")
    case.due_at = timezone.now() - timedelta(days=1)
    case.save(update_fields=["due_at"])
    assert "1" in job.func()
    case.refresh_from_db()
    assert case.status == Status.CLOSED
