"""What cases feed the triage app (liaison/triage/hooks.py): the assignments to learn from, and a
generated history for demos and the bench (`liaison triage generate`)."""

import random
from contextlib import contextmanager
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from liaison.core import audit
from liaison.directory.models import Category, Department, Station
from liaison.triage import hooks
from liaison.triage.text import Sample

from . import triage_texts
from .models import Assignment, Case, Channel
from .workflow import Status

# Learned from: the lead departments that kept the case (signed for it or reported a result).
# A returned assignment, a reassigned one or one still awaiting sign-off teaches nothing.
LEARNED_STATES = [Assignment.State.SIGNED, Assignment.State.REPORTED]


@hooks.history.register
def assignments(since=None):
    rows = Assignment.objects.filter(role=Assignment.Role.LEAD, state__in=LEARNED_STATES)
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    fields = (
        "case__title",
        "case__description",
        "case__category_id",
        "case__region_path",
        "department_id",
        "created_at",
    )
    for title, description, category, region, department, when in rows.values_list(
        *fields
    ).iterator(chunk_size=5000):
        yield Sample(f"{title}\n{description}", category, region, department, when)


@contextmanager
def _keeping_dates(*models):
    """bulk_create with the dates we give (auto_now_add would stamp them all now)."""
    fields = [m._meta.get_field(name) for m in models for name in ("created_at",)]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


@hooks.generator.register
def generate(count: int, seed: int = 0) -> int:
    """`count` closed cases over the last two years, each with the lead department that handled
    it (one in twelve first went to another department and was returned). Bulk inserts: a history,
    not a workflow; one audit event says it was generated."""
    rng = random.Random(seed)
    departments = list(
        Department.objects.filter(is_active=True).select_related("region").order_by("code")
    )
    stations = list(Station.objects.select_related("region").order_by("code"))
    categories = dict(Category.objects.values_list("code", "id"))
    if len(departments) < 2 or not stations or not categories:
        raise ValueError("Generating a history needs departments, stations and categories.")
    fallback = categories.get("other") or next(iter(categories.values()))
    stations_under = {
        d.pk: [s for s in stations if s.region.path.startswith(d.region.path)] or stations
        for d in departments
    }
    topics = {d.pk: triage_texts.topics_for(d.name) for d in departments}
    # A few departments get most of the messages, as in life.
    weights = [rng.uniform(0.5, 3) for _ in departments]
    taken = set(Case.objects.values_list("tracking_number", flat=True))
    now = timezone.now()
    written = 0
    while written < count:
        batch = min(2000, count - written)
        cases, leads = [], []
        for _ in range(batch):
            department = rng.choices(departments, weights)[0]
            station = rng.choice(stations_under[department.pk])
            # Real histories are noisy: the same matter goes to another department in another
            # place or year, and some messages name no matter at all.
            draw = rng.random()
            if draw < 0.06:
                code, title, description = triage_texts.vague(rng)
            else:
                source = rng.choice(departments) if draw < 0.22 else department
                code, title, description = triage_texts.message(rng, topics[source.pk])
            created = now - timedelta(days=rng.uniform(3, 730), minutes=rng.randint(0, 1440))
            number = _number(rng, taken)
            cases.append(
                Case(
                    tracking_number=number,
                    status=Status.CLOSED,
                    channel=rng.choice([Channel.ONLINE, Channel.PHONE, Channel.RECEPTION]),
                    station=station,
                    region_path=station.region.path,
                    category_id=categories.get(code, fallback),
                    title=title,
                    description=description,
                    privacy_accepted_at=created,
                    phone_verified_at=created,
                    language="zh-hans",
                    created_at=created,
                    closed_at=created + timedelta(days=rng.randint(5, 30)),
                )
            )
            leads.append((department, created))
        with transaction.atomic(), _keeping_dates(Case, Assignment):
            Case.objects.bulk_create(cases, batch_size=500)
            rows = []
            for case, (department, created) in zip(cases, leads, strict=True):
                if rng.random() < 1 / 12:
                    other = rng.choice(departments)
                    if other.pk != department.pk:
                        rows.append(
                            Assignment(
                                case=case,
                                department=other,
                                role=Assignment.Role.LEAD,
                                state=Assignment.State.RETURNED,
                                created_at=created,
                            )
                        )
                rows.append(
                    Assignment(
                        case=case,
                        department=department,
                        role=Assignment.Role.LEAD,
                        state=Assignment.State.REPORTED,
                        round=1,
                        created_at=created + timedelta(hours=2),
                        result="已办结。",
                    )
                )
            Assignment.objects.bulk_create(rows, batch_size=1000)
        written += batch
    audit.record("triage.history_generated", cases=written, seed=seed)
    return written


def _number(rng: random.Random, taken: set) -> str:
    while True:
        number = f"{rng.randrange(10**9, 10**10)}"
        if number not in taken:
            taken.add(number)
            return number
