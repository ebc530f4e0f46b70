"""A reviewer whose page is stale is told who decided the entry meanwhile, and when (issue 16);
a decided entry says what it is in words."""

from datetime import date

import pytest
from django.utils import translation

from liaison.core.errors import ConcurrentChange, TransitionRefused
from liaison.records import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(accounts, district):
    return services.add_entry(
        actor=accounts.deputy_a,
        deputy=district.dep_a,
        kind="survey",
        date=date(2026, 3, 1),
        title="调研",
    )


def test_the_second_reviewer_is_told_who_decided(entry, accounts, district):
    services.confirm_entry(entry, actor=accounts.station_a_staff)
    with translation.override("en"), pytest.raises(ConcurrentChange) as refused:
        services.reject_entry(entry, actor=accounts.street_a_committee, reason="重复")
    message = str(refused.value.message)
    assert f"{district.station_a.name} reviewed this entry in the meantime" in message
    assert "“Confirmed”" in message


def test_a_decided_entry_refuses_in_words(entry, accounts):
    entry = services.confirm_entry(entry, actor=accounts.station_a_staff)
    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        services.confirm_entry(entry, actor=accounts.station_a_staff)
    assert str(refused.value.message) == "This entry is already “Confirmed”."
