"""The case workflow of tests/cases, for counting its events."""

import pytest

from tests.cases.conftest import Flow


@pytest.fixture
def flow(district, accounts):
    return Flow(district, accounts)


from tests.activities.conftest import make_activity  # noqa: E402, F401  (the same fixture)
from tests.legislation.conftest import make_draft, online_comment  # noqa: E402, F401
