"""Saving reception rules: overlaps refused, bad input refused, scope, audit."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from liaison.core.errors import NotAllowed
from liaison.core.models import AuditEvent
from liaison.receptions.models import ReceptionRule, RuleKind

from .days_support import rule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with override("en"):
        yield


def test_overlapping_weekly_rules_of_a_station_are_refused(district, accounts):
    rule(district.station_a, accounts.station_a_staff, weekday=0)
    with pytest.raises(ValidationError, match="overlaps"):
        rule(
            district.station_a,
            accounts.station_a_staff,
            weekday=0,
            start_time=time(10),
            end_time=time(12),
        )
    assert ReceptionRule.objects.count() == 1


def test_monthly_day_landing_on_the_weekly_day_is_an_overlap(district, accounts):
    rule(district.station_a, accounts.station_a_staff, weekday=0)
    with pytest.raises(ValidationError, match="2025-09-15"):
        rule(
            district.station_a,
            accounts.station_a_staff,
            kind=RuleKind.MONTHLY,
            day_of_month=15,
            valid_from=date(2025, 9, 1),
        )


def test_same_day_other_hours_other_station_or_other_period_is_fine(district, accounts):
    rule(district.station_a, accounts.station_a_staff, weekday=0, valid_until=date(2025, 6, 30))
    rule(district.station_a, accounts.station_a_staff, weekday=0, valid_from=date(2025, 7, 1))
    rule(
        district.station_a,
        accounts.station_a_staff,
        weekday=0,
        start_time=time(14),
        end_time=time(16),
    )
    rule(district.station_b, accounts.station_b_staff, weekday=0)
    assert ReceptionRule.objects.count() == 4


def test_an_inactive_rule_does_not_overlap(district, accounts):
    first = rule(district.station_a, accounts.station_a_staff, weekday=0)
    first.is_active = False
    first.save()
    rule(district.station_a, accounts.station_a_staff, weekday=0)
    assert ReceptionRule.objects.filter(is_active=True).count() == 1


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"weekday": None}, "weekday"),
        ({"kind": RuleKind.MONTHLY, "day_of_month": 32}, "day_of_month"),
        ({"kind": RuleKind.CUSTOM}, "date"),
        ({"start_time": time(12), "end_time": time(11)}, "end_time"),
        ({"valid_until": date(2024, 1, 1)}, "valid_until"),
    ],
)
def test_incomplete_rules_are_refused_with_the_field(district, accounts, fields, field):
    with pytest.raises(ValidationError) as refused:
        rule(district.station_a, accounts.station_a_staff, **fields)
    assert field in refused.value.message_dict
    assert not ReceptionRule.objects.exists()


def test_only_staff_in_scope_save_rules(district, accounts):
    for user in (accounts.station_b_staff, accounts.deputy_a, accounts.handler_a):
        with pytest.raises(NotAllowed):
            rule(district.station_a, user)
    rule(district.station_a, accounts.street_a_committee)
    assert ReceptionRule.objects.count() == 1


def test_saving_a_rule_is_audited(district, accounts):
    saved = rule(district.station_a, accounts.station_a_staff)
    event = AuditEvent.objects.get(verb="reception_rule.created")
    assert event.actor == accounts.station_a_staff
    assert event.data["weekday"] == 0 and event.object_id == str(saved.pk)


def test_a_day_moved_onto_another_rule_day_is_merged_not_refused(district, accounts):
    # Friday 31 January 2025 is in the Spring Festival break: it moves to Wednesday 5 February.
    from liaison.receptions.schedule import upcoming_receptions

    rule(district.station_a, accounts.station_a_staff, weekday=2)
    rule(district.station_a, accounts.station_a_staff, weekday=4)
    days = [o.date for o in upcoming_receptions(district.station_a, start=date(2025, 2, 3), days=3)]
    assert days == [date(2025, 2, 5)]
