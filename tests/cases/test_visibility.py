"""Who sees which case and which assignment (the permission table), for every role."""

import pytest

from liaison.cases import services
from liaison.cases.models import Assignment, Case
from liaison.core.permissions import may, restrict

EXPECTED = {
    "administrator": {"a_station", "a_room", "b_station", "a_assigned"},
    "county_committee": {"a_station", "a_room", "b_station", "a_assigned"},
    "street_a_committee": {"a_station", "a_room", "a_assigned"},
    "station_a_staff": {"a_station", "a_assigned"},
    "station_b_staff": {"b_station"},
    "deputy_a": {"a_station", "a_assigned"},
    "handler_a": {"a_assigned"},
}


@pytest.fixture
def cases(flow, district, accounts):
    made = {
        "a_station": flow.submit(),
        "a_room": flow.submit(station=district.room_a1, deputy=None),
        "b_station": flow.submit(station=district.station_b, deputy=district.dep_b),
        "a_assigned": flow.to("assigned"),
    }
    # A returned assignment stays visible to the department that had it.
    services.return_assignment(made["a_assigned"], actor=accounts.handler_a, reason="x")
    return made


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_its_cases(accounts, cases, role):
    user = getattr(accounts, role)
    visible = set(restrict(Case.objects.all(), user).values_list("pk", flat=True))
    assert visible == {cases[name].pk for name in EXPECTED[role]}
    for name, case in cases.items():
        assert may(user, "view", case) == (name in EXPECTED[role])


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_the_assignments_of_its_cases(accounts, cases, role):
    user = getattr(accounts, role)
    visible = set(restrict(Assignment.objects.all(), user).values_list("case_id", flat=True))
    expected = {cases["a_assigned"].pk} if "a_assigned" in EXPECTED[role] else set()
    assert visible == expected


def test_signed_out_sees_nothing(cases):
    from django.contrib.auth.models import AnonymousUser

    assert not restrict(Case.objects.all(), AnonymousUser()).exists()


def test_a_deactivated_account_sees_nothing(accounts, cases):
    accounts.station_a_staff.is_active = False
    assert not restrict(Case.objects.all(), accounts.station_a_staff).exists()
