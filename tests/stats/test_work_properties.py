"""The work rollup against a direct count: random histories of visits, reception-duty
attendance (with corrections) and an activity held and edited (participants ticked in and out),
counted into `WorkFigure` in random batches, then compared with a count straight from the
visits, duties and sign-ups as they are now — and with a rebuild."""

from collections import Counter
from datetime import date, time, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liaison.activities import services as activities
from liaison.activities.models import Activity, SignUp
from liaison.core.models import AuditEvent
from liaison.receptions.models import Duty, Visit
from liaison.receptions.services import Matter, record_attendance, register_visit
from liaison.stats import work
from liaison.stats.models import RollupMark, WorkFigure
from liaison.workdays.deadlines import local_day

DAYS = [date(2026, 3, 2) + timedelta(days=n) for n in range(3)]


def _rolled() -> dict[tuple, int]:
    """The rollup's non-zero totals per (day, station, deputy, metric) (kinds summed)."""
    found: Counter = Counter()
    for day, station, deputy, metric, n in WorkFigure.objects.values_list(
        "day", "station_id", "deputy_id", "metric", "count"
    ):
        found[(day, station, deputy, metric)] += n
    return {key: n for key, n in found.items() if n}


def _direct(activity, held_by: list[int]) -> dict[tuple, int]:
    """The same totals from the rows themselves. `held_by`: the deputies recorded when the
    activity was first held (a later edit of the minutes does not recount them, work.py)."""
    found: Counter = Counter()
    for visit in Visit.objects.prefetch_related("deputies"):
        found[(visit.received_on, visit.station_id, 0, work.VISITORS)] += 1
        for deputy in visit.deputies.all():
            found[(visit.received_on, visit.station_id, deputy.pk, work.DEPUTY_VISITORS)] += 1
    for duty in Duty.objects.filter(attended=True):
        found[(duty.date, duty.station_id, 0, work.DUTIES)] += 1
        found[(duty.date, duty.station_id, duty.deputy_id, work.DEPUTY_DUTIES)] += 1
    if activity is not None:
        activity.refresh_from_db()
        key = (local_day(activity.starts_at), activity.station_id)
        if activity.status == "held":
            found[(*key, 0, work.ACTIVITIES)] += 1
            for deputy in held_by:
                found[(*key, deputy, work.DEPUTY_ACTIVITIES)] += 1
        present = SignUp.objects.filter(activity=activity, checked_in_at__isnull=False).count()
        found[(*key, 0, work.PARTICIPANTS)] += present
    return {key: n for key, n in found.items() if n}


OPERATIONS = st.one_of(
    st.tuples(st.just("visit"), st.integers(0, 1), st.integers(0, 2), st.integers(0, 3)),
    st.tuples(st.just("attend"), st.integers(0, 3), st.booleans(), st.just(0)),
    st.tuples(st.just("hold"), st.integers(0, 7), st.booleans(), st.just(0)),
)


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=st.lists(OPERATIONS, min_size=1, max_size=25), batch=st.integers(1, 7))
def test_the_work_rollup_equals_a_direct_count(district, accounts, make_activity, plan, batch):
    # Each example starts from nothing (hypothesis runs them in one database transaction).
    WorkFigure.objects.all().delete()
    RollupMark.objects.filter(source=work.SOURCE).delete()
    # The rows and their audit events of the examples before (only here: the trail is
    # append-only in the application).
    AuditEvent.objects.filter(verb__in=work.VERBS).delete()
    Visit.objects.all().delete()
    Duty.objects.all().delete()
    Activity.objects.all().delete()
    d, a = district, accounts
    stations = [(d.station_a, a.station_a_staff), (d.station_b, a.station_b_staff)]
    deputies = [d.dep_a, d.dep_shared]
    duties = [
        Duty.objects.create(station=d.station_a, date=DAYS[i // 2], start_time=time(9), deputy=dep)
        for i, dep in enumerate([d.dep_a, d.dep_shared, d.dep_a, d.dep_shared])
    ]
    activity, signups, held_by = None, [], None
    for operation, first, second, third in plan:
        if operation == "visit":
            station, staff = stations[first]
            register_visit(
                actor=staff,
                station=station,
                visitor_name="陈女士",
                visitor_phone="13912345678",
                matters=[Matter(d.category, "路灯不亮", "路灯不亮，请代表关注。")],
                privacy_accepted=True,
                deputies=[deputies[n] for n in range(2) if third >> n & 1]
                if station == d.station_a
                else [d.dep_shared] * (third & 1),
                received_on=DAYS[second],
            )
        elif operation == "attend":
            duty = Duty.objects.get(pk=duties[first].pk)
            record_attendance(duty, second, actor=a.station_a_staff)
        else:
            if activity is None:
                activity = make_activity(days=1)
                signups = [
                    activities.sign_up(activity, name="", phone=f"1381234567{n}") for n in range(3)
                ]
            if held_by is None:
                held_by = [d.dep_a.pk] if second else []
            with time_machine.travel(activity.starts_at + timedelta(minutes=30), tick=False):
                activity.refresh_from_db()
                activities.hold_activity(
                    activity,
                    actor=a.station_a_staff,
                    attended_deputies=[d.dep_a] if second else [],
                    minutes="议题：加装电梯。",
                    present_signups=[s.pk for n, s in enumerate(signups) if first >> n & 1],
                )
        if first % 2 == 0:  # now and then the worker counts what there is so far
            work.update(batch=batch)
    work.update(batch=batch)
    assert _rolled() == _direct(activity, held_by or [])
    work.rebuild(batch=batch)  # batches give exactly what a rebuild gives
    assert _rolled() == _direct(activity, held_by or [])
