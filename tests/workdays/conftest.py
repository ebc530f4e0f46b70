"""Fixtures for the working-day calendar. The seeding migration has loaded 2004–2026 from the
chinese-calendar package; 2027 is not loaded."""

import pytest

from liaison.accounts.models import Role
from liaison.workdays import recalculators

from ..factories import UserFactory

NOTICE_2027 = """元旦: 01-01~01-03
春节: 02-05~02-11; 调休上班 01-31, 02-20
"""


@pytest.fixture
def administrator(db):
    return UserFactory(username="calendar_admin", role=Role.ADMINISTRATOR)


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture(autouse=True)
def _own_registries(monkeypatch):
    """These tests see only the hooks they register, not those of the apps that keep deadlines."""
    monkeypatch.setattr(recalculators, "_recalculators", [])
    monkeypatch.setattr(recalculators, "_year_sources", [])


@pytest.fixture
def recalculated():
    """A dummy deadline keeper: records each call of the recompute hook."""
    calls = []

    def recalculate(years, actor):
        calls.append((years, actor))
        return 7

    recalculators.register(recalculate)
    yield calls
    recalculators.unregister(recalculate)
