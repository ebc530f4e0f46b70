"""The figures of the deputies' formal suggestions (代表建议; docs/statistics.md, "Suggestions"):
by state, answered within the legal time (3 months after assignment, 6 when complex), the lead
units' grades A–D, the deputies' evaluations and the public's ratings.

Suggestions are few (hundreds to thousands a year in a province, against millions of messages),
so they are counted from their own rows of the period, by the database where a GROUP BY says it,
with no rollup: the same numbers as the suggestion lists, at once.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, QuerySet

from liaison.cases.models import Rating
from liaison.suggestions.models import Grade, PublicRating
from liaison.suggestions.services import add_months
from liaison.suggestions.services.deadlines import COMPLEX_MONTHS, HANDLING_MONTHS
from liaison.suggestions.workflow import Status
from liaison.workdays.deadlines import local_day, local_zone

from .figures import Rate


@dataclass
class SuggestionFigures:
    submitted: int = 0
    states: list[tuple[str, str, int]] = field(default_factory=list)  # value, label, count
    on_time: Rate = field(default_factory=lambda: Rate(0, 0))  # answered in time / assigned
    grades: list[tuple[str, str, int]] = field(default_factory=list)
    evaluations: list[tuple[str, str, int]] = field(default_factory=list)
    satisfaction: Rate = field(default_factory=lambda: Rate(0, 0))
    public_ratings: list[tuple[str, str, int]] = field(default_factory=list)


def _window(start: date, end: date) -> tuple[datetime, datetime]:
    zone = local_zone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _in_time(assigned_at: datetime, answered_at: datetime | None, complex_: bool, today: date):
    """(due, on time): due once answered or once the legal time has run out."""
    deadline = add_months(local_day(assigned_at), COMPLEX_MONTHS if complex_ else HANDLING_MONTHS)
    if answered_at is None:
        return today > deadline, False
    return True, local_day(answered_at) <= deadline


def compute(rows: QuerySet, start: date, end: date, *, today: date) -> SuggestionFigures:
    """The suggestions `rows` (already scoped) submitted from `start` to `end`, in five queries."""
    since, until = _window(start, end)
    rows = rows.filter(submitted_at__gte=since, submitted_at__lt=until)
    found = SuggestionFigures()
    states = dict(rows.values_list("status").annotate(n=Count("pk")).order_by())
    found.submitted = sum(states.values())
    found.states = [(v, label, states.get(v, 0)) for v, label in Status.choices if v in states]
    due = on_time = 0
    for assigned_at, answered_at, complex_ in rows.filter(assigned_at__isnull=False).values_list(
        "assigned_at", "answered_at", "is_complex"
    ):
        is_due, in_time = _in_time(assigned_at, answered_at, complex_, today)
        due += is_due
        on_time += in_time
    found.on_time = Rate(on_time, due)
    grades = dict(rows.exclude(grade="").values_list("grade").annotate(n=Count("pk")).order_by())
    found.grades = [(v, label, grades.get(v, 0)) for v, label in Grade.choices]
    evaluations = dict(
        rows.exclude(evaluation="").values_list("evaluation").annotate(n=Count("pk")).order_by()
    )
    found.evaluations = [(v, label, evaluations.get(v, 0)) for v, label in Rating.choices]
    found.satisfaction = Rate(
        evaluations.get(Rating.SATISFIED, 0) + evaluations.get(Rating.BASIC, 0),
        sum(evaluations.values()),
    )
    public = dict(
        PublicRating.objects.filter(suggestion__in=rows.values("pk"))
        .values_list("rating")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found.public_ratings = [(v, label, public.get(v, 0)) for v, label in Rating.choices]
    return found
