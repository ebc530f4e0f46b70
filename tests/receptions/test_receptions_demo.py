"""`liaison load_demo` loads a term year of reception days, duties, attendance and visits, once."""

import io
from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from liaison.cases.models import Case
from liaison.receptions import demo
from liaison.receptions.models import Duty, ReceptionGuest, ReceptionRule, Visit

TODAY = date(2026, 11, 21)


@pytest.fixture
def loaded(db, settings):
    settings.DEMO_MODE = True
    with time_machine.travel("2026-11-21 10:00 +0800", tick=False):
        call_command("load_demo", stdout=io.StringIO())
        yield


def test_every_station_has_rules_and_duties_all_year(loaded):
    for code in demo.RULES:
        assert ReceptionRule.objects.filter(station__code=code, is_active=True).exists(), code
        months = {d.month for d in Duty.objects.filter(station__code=code).dates("date", "month")}
        assert months == set(range(1, 13)), code  # January to four weeks ahead
    assert Duty.objects.filter(date__lt=date(2026, 1, 1)).count() == 0
    assert Duty.objects.filter(date__gte=TODAY).exists()


def test_past_duties_have_attendance_and_future_ones_not(loaded):
    past = Duty.objects.filter(date__lt=TODAY)
    assert not past.filter(attended__isnull=True).exists()
    absent, came = past.filter(attended=False).count(), past.filter(attended=True).count()
    assert 0 < absent < came / 5
    assert not Duty.objects.filter(date__gte=TODAY, attended__isnull=False).exists()


def test_a_deputy_is_behind_in_some_months(loaded):
    months = {d.month for d in Duty.objects.filter(deputy__code="JB-Q05").dates("date", "month")}
    assert months.isdisjoint(demo.GAPS["JB-Q05"]) and {1, 2, 4} <= months


def test_visits_on_past_reception_days_received_by_deputies_who_came(loaded):
    visits = Visit.objects.prefetch_related("deputies")
    assert 20 <= visits.count() <= 60
    assert {v.received_on.month for v in visits.filter(station__code="JB-ST-XY")} == set(
        range(1, 12)
    )
    for visit in visits:
        assert visit.received_on < TODAY
        on_duty = set(
            Duty.objects.filter(
                station=visit.station, date=visit.received_on, attended=True
            ).values_list("deputy", flat=True)
        )
        assert {d.pk for d in visit.deputies.all()} <= on_duty, visit
    cases = Case.objects.filter(citizen_phone__startswith=demo.VISIT_PHONE_PREFIX)
    assert cases.count() == visits.count()
    assert cases.filter(status="submitted").exists()  # the last two weeks await review
    assert cases.exclude(status="submitted").count() > cases.count() / 2


def test_loading_twice_adds_nothing(loaded):
    def counts():
        return [m.objects.count() for m in (ReceptionRule, Duty, Visit, Case, ReceptionGuest)]

    before = counts()
    out = io.StringIO()
    with time_machine.travel("2026-11-21 10:05 +0800", tick=False):
        call_command("load_demo", stdout=out)
    assert counts() == before
    assert "nothing new" in out.getvalue()


def test_joint_receptions_show_on_the_station_page(loaded, client):
    """联合接待: the next reception of two stations has outside guests, shown to the public."""
    guest = ReceptionGuest.objects.filter(station__code="JB-ST-XY").first()
    assert guest is not None and guest.date > TODAY
    assert ReceptionGuest.objects.values("station").distinct().count() == 2
    with time_machine.travel("2026-11-21 10:00 +0800", tick=False):
        page = client.get(guest.station.get_absolute_url()).content.decode()
    assert "区住房和城乡建设局" in page
