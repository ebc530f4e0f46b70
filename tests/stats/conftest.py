"""The case workflow of tests/cases, for counting its events."""

import pytest

from liaison.stats import rollup
from tests.cases.conftest import Flow


@pytest.fixture
def flow(district, accounts):
    return Flow(district, accounts)


@pytest.fixture
def counted(flow, district):
    """Two cases at station A (street A), one at station B (street B), counted."""
    flow.to("closed")
    flow.to("rejected")
    flow.submit(station=district.station_b, deputy=district.dep_b)
    rollup.update()


from tests.activities.conftest import make_activity  # noqa: E402, F401  (the same fixture)
from tests.legislation.conftest import make_draft, online_comment  # noqa: E402, F401
