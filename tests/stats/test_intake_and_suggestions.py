"""Referrals by channel, hot categories against the previous period, open and overdue now, and
the suggestions' figures (by state, answered in time, grades, evaluations)."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from liaison.cases.models import Case, Rating
from liaison.stats import figures, rollup, selectors, suggestionfigures
from liaison.stats.figures import previous_period
from liaison.suggestions.models import Grade, Suggestion
from liaison.suggestions.workflow import Status
from liaison.workdays.deadlines import local_zone
from tests.factories import CategoryFactory

TODAY = date(2026, 12, 4)


def test_the_previous_period_has_the_same_length():
    assert previous_period(date(2026, 3, 1), date(2026, 3, 31)) == (
        date(2026, 1, 29),
        date(2026, 2, 28),
    )
    assert previous_period(date(2026, 1, 1), date(2026, 1, 1)) == (
        date(2025, 12, 31),
        date(2025, 12, 31),
    )


def test_referrals_by_channel_and_rising_categories(flow, district):
    parking = CategoryFactory(code="parking", name="停车")
    with time_machine.travel("2026-02-10 10:00 +0800", tick=False):
        flow.submit()  # roads: one in the previous month
        flow.submit()
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        referred = flow.to("referred")
        flow.submit(category=parking)
    rollup.update()
    found = figures.compute(selectors.public_rows(), date(2026, 3, 1), date(2026, 3, 31))
    assert found.totals["referred"] == 1
    assert [(channel.pk, n) for channel, n in found.referrals] == [(referred.referral_id, 1)]
    # roads: 1 now against 2 before — not rising; parking: 1 against 0 — rising.
    assert [(r.category, r.now, r.before) for r in found.rising] == [(parking, 1, 0)]


def test_open_and_overdue_now(flow):
    flow.submit()
    late = flow.submit()
    flow.to("closed")
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=1))
    found = figures.open_now(selectors.public_sources(None, None, 2026).cases)
    assert (found.open, found.overdue) == (2, 1)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=local_zone())


def suggestion(district, n, *, status, assigned=None, answered=None, complex_=False, **extra):
    return Suggestion.objects.create(
        number=f"S{n}",
        status=status,
        year=2026,
        session_kind="interim",
        lead_deputy=district.dep_a,
        region_path=district.street_a.path,
        station=district.station_a,
        category=district.category,
        title="建议",
        reasons="…",
        proposals="…",
        is_complex=complex_,
        submitted_at=_at(date(2026, 1, 5)),
        assigned_at=assigned and _at(assigned),
        answered_at=answered and _at(answered),
        **extra,
    )


@pytest.mark.django_db
def test_suggestions_by_state_in_time_and_grades(district):
    jan = date(2026, 1, 10)
    suggestion(
        district,
        1,
        status=Status.CLOSED,
        assigned=jan,
        answered=date(2026, 4, 10),
        grade=Grade.A,
        evaluation=Rating.SATISFIED,
    )  # on the last day: in time
    suggestion(
        district,
        2,
        status=Status.CLOSED,
        assigned=jan,
        answered=date(2026, 4, 11),
        grade=Grade.D,
        evaluation=Rating.UNSATISFIED,
    )  # a day late
    suggestion(
        district,
        3,
        status=Status.ANSWERED,
        assigned=jan,
        answered=date(2026, 6, 1),
        complex_=True,
        grade=Grade.B,
    )  # complex: six months
    suggestion(district, 4, status=Status.ASSIGNED, assigned=jan)  # overdue, not answered
    suggestion(district, 5, status=Status.ASSIGNED, assigned=date(2026, 11, 20))  # not due yet
    rows = selectors.public_sources(None, None, 2026).suggestions
    found = suggestionfigures.compute(rows, date(2026, 1, 1), date(2026, 12, 31), today=TODAY)
    assert found.submitted == 5
    assert {v: n for v, _l, n in found.states} == {"assigned": 2, "answered": 1, "closed": 2}
    assert (found.on_time.numerator, found.on_time.denominator) == (2, 4)
    assert {v: n for v, _l, n in found.grades} == {"A": 1, "B": 1, "C": 0, "D": 1}
    assert (found.satisfaction.numerator, found.satisfaction.denominator) == (1, 2)
    empty = suggestionfigures.compute(rows, date(2025, 1, 1), date(2025, 12, 31), today=TODAY)
    assert empty.submitted == 0 and empty.on_time.denominator == 0


@pytest.mark.django_db
def test_a_street_committee_counts_its_own_suggestions_only(client, district, accounts):
    suggestion(district, 1, status=Status.ASSIGNED, assigned=date(2026, 1, 10))
    other = suggestion(district, 2, status=Status.ASSIGNED, assigned=date(2026, 1, 10))
    Suggestion.objects.filter(pk=other.pk).update(
        region_path=district.street_b.path, station=district.station_b
    )
    client.cookies["django_language"] = "en"
    period = {"start": "2026-01-01", "end": "2026-12-31"}
    client.force_login(accounts.street_a_committee)
    assert (
        'data-metric="suggestions"><a href="/staff/suggestions/?submitted_from=2026-01-01&amp;'
        'submitted_to=2026-12-31">1</a>' in client.get("/staff/stats/", period).content.decode()
    )
    client.force_login(accounts.county_committee)
    assert (
        'data-metric="suggestions"><a href="/staff/suggestions/?submitted_from=2026-01-01&amp;'
        'submitted_to=2026-12-31">2</a>' in client.get("/staff/stats/", period).content.decode()
    )
    # The list behind the number shows as many suggestions as the number says.
    listed = client.get(
        "/staff/suggestions/", {"submitted_from": "2026-01-01", "submitted_to": "2026-12-31"}
    )
    assert listed.context["page_obj"].paginator.count == 2
    client.force_login(accounts.street_a_committee)
    listed = client.get(
        "/staff/suggestions/", {"submitted_from": "2026-01-01", "submitted_to": "2026-12-31"}
    )
    assert listed.context["page_obj"].paginator.count == 1
