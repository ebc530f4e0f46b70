"""The permission table (liaison/core/permissions.py) and the committee's Deputy rule (a UNION
of two indexed reads)."""

import pytest

from liaison.core import permissions
from liaison.directory.models import Deputy, RegionLevel
from liaison.receptions.models import Duty
from tests.factories import DeputyFactory, RegionFactory


def test_a_second_rule_for_the_same_action_is_refused():
    with pytest.raises(ValueError, match=r"duty\.view"):
        permissions.register("duty.view", Duty, {})
    # The registered rule is still the one that lets a deputy see their own duties.
    assert "deputy" in permissions.TABLE["duty.view"].scopes


def test_registering_the_same_row_again_is_harmless():
    row = permissions.TABLE["duty.view"]
    assert permissions.register(row.action, row.model, row.scopes) == row


def test_an_action_is_named_after_its_model():
    with pytest.raises(ValueError, match="<duty>"):
        permissions.register("visit.inspect", Duty, {})


def names(user):
    return set(permissions.restrict(Deputy.objects.all(), user).values_list("name", flat=True))


def test_committee_sees_deputies_living_below_or_sitting_in_a_station_below(district, accounts):
    d = district
    # Lives in a community under street A, sits nowhere: street A's committee looks after them.
    community = RegionFactory(
        code="330106001009", name="社区", level=RegionLevel.COMMUNITY, parent=d.street_a
    )
    below = DeputyFactory(name="住在社区", region=community, stations=[])
    # Lives in the city (above the county), sits in room_a1 (a room under street A).
    above = DeputyFactory(name="市里的", region=d.city, stations=[d.room_a1])
    # Lives in the city and sits nowhere below: nobody below the city sees them.
    outside = DeputyFactory(name="不相干", region=d.city, stations=[])
    street = names(accounts.street_a_committee)
    assert {below.name, above.name, d.dep_a.name, d.dep_shared.name} <= street
    assert outside.name not in street and d.dep_b.name not in street
    county = names(accounts.county_committee)
    assert {below.name, above.name, d.dep_b.name} <= county and outside.name not in county
    # No repeats although dep_shared matches twice for the county (region and stations).
    assert permissions.restrict(Deputy.objects.all(), accounts.county_committee).count() == len(
        county
    )
