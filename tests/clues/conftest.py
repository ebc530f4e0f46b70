import pytest

from tests.cases.conftest import Flow


@pytest.fixture
def flow(district, accounts):
    return Flow(district, accounts)
