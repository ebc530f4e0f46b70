"""Helpers to put a deputy's doings on record: duties, visits, activities, case responses and
entries, each at a given local (Asia/Shanghai) moment."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from liaison.activities.models import Activity, ActivityKind
from liaison.cases.models import CaseEvent
from liaison.receptions.models import Duty, Visit
from liaison.records import services
from liaison.records.models import EntryStatus, RecordEntry

from ..cases.conftest import Flow

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


class Doings:
    def __init__(self, district, accounts):
        self.d, self.a = district, accounts
        self.flow = Flow(district, accounts)

    def duty(self, deputy, day: date, attended=True, station=None):
        return Duty.objects.create(
            station=station or self.d.station_a,
            date=day,
            start_time=time(9),
            deputy=deputy,
            attended=attended,
        )

    def visit(self, deputy, day: date, name="赵大爷", phone="13911112222"):
        visit = Visit.objects.create(
            station=self.d.station_a, received_on=day, visitor_name=name, visitor_phone=phone
        )
        visit.deputies.add(deputy)
        return visit

    def activity(
        self,
        starts_at,
        *,
        attended=(),
        invited=(),
        kind="public-forum",
        status="held",
        title="民情恳谈会",
    ):
        kind, _ = ActivityKind.objects.get_or_create(
            code=kind, defaults={"name": kind, "name_en": kind}
        )
        activity = Activity.objects.create(
            station=self.d.station_a,
            kind=kind,
            title=title,
            starts_at=starts_at,
            ends_at=starts_at,
            place="联络站",
            status=status,
        )
        activity.deputies.set([*invited, *attended])
        activity.attended_deputies.set(attended)
        return activity

    def response(self, deputy, at: datetime, verb="case.answered", **submit):
        """A case of `deputy` with the deputy's response recorded at `at`."""
        case = self.flow.submit(deputy=deputy, **submit)
        event = CaseEvent.objects.create(case=case, verb=verb, actor_label="代表")
        CaseEvent.objects.filter(pk=event.pk).update(created_at=at)
        return case

    def entry(self, deputy, day: date, kind="inspection", status="confirmed", title="视察"):
        entry = RecordEntry.objects.create(deputy=deputy, kind=kind, date=day, title=title)
        if status == EntryStatus.CONFIRMED:
            services.confirm_entry(entry, actor=self.a.administrator)
        elif status == EntryStatus.REJECTED:
            services.reject_entry(entry, actor=self.a.administrator, reason="重复")
        entry.refresh_from_db()
        return entry


@pytest.fixture
def doings(district, accounts):
    return Doings(district, accounts)
