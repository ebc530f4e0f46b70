"""Two people act on the same suggestion at once: one wins, the other is told it moved.

Row locks only mean something on PostgreSQL (SQLite admits one writer at a time anyway)."""

import pytest
from django.db import connection

from liaison.core.errors import TransitionRefused
from liaison.suggestions import services
from liaison.suggestions.models import Suggestion

from ..concurrency import race

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) need PostgreSQL"
)


def fresh(s):
    return Suggestion.objects.get(pk=s.pk)


@pytest.mark.parametrize("repeat", range(3))
def test_two_answers_at_once(transactional_db, at_step, people, repeat):
    s = at_step("assigned")
    results = race(
        lambda: services.answer_suggestion(
            fresh(s), actor=people.lead_handler, grade="A", answer="一", seen_status="assigned"
        ),
        lambda: services.answer_suggestion(
            fresh(s), actor=people.lead_handler, grade="B", answer="二", seen_status="assigned"
        ),
    )
    assert sum(isinstance(r, Suggestion) for r in results) == 1, results
    assert sum(isinstance(r, TransitionRefused) for r in results) == 1, results
    assert fresh(s).events.filter(verb="suggestion.answered").count() == 1


@pytest.mark.parametrize("repeat", range(3))
def test_two_evaluations_at_once_start_one_round(transactional_db, at_step, people, repeat):
    s = at_step("answered")
    results = race(
        lambda: services.evaluate_suggestion(
            fresh(s), actor=people.deputy_a, evaluation="unsatisfied", seen_status="answered"
        ),
        lambda: services.evaluate_suggestion(
            fresh(s), actor=people.station_a_staff, evaluation="satisfied", seen_status="answered"
        ),
    )
    assert sum(isinstance(r, Suggestion) for r in results) == 1, results
    assert sum(isinstance(r, TransitionRefused) for r in results) == 1, results
    assert (
        fresh(s)
        .events.filter(verb__in=["suggestion.evaluated", "suggestion.reanswer_requested"])
        .count()
        == 1
    )


@pytest.mark.parametrize("repeat", range(3))
def test_numbers_stay_unique_when_two_are_registered_at_once(
    transactional_db, at_step, people, repeat
):
    a, b = at_step("submitted"), at_step("submitted", title="第二件")
    results = race(
        lambda: services.accept_suggestion(fresh(a), actor=people.county_committee),
        lambda: services.accept_suggestion(fresh(b), actor=people.street_a_committee),
    )
    assert all(isinstance(r, Suggestion) for r in results), results
    assert sorted(r.number for r in results) == ["2026-0001", "2026-0002"]
