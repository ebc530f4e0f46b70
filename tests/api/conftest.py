import pytest
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _generous_throttles(settings):
    # Each test that is about throttling sets its own tiny rate.
    settings.API_THROTTLE_ANON = "100000/min"
    settings.API_THROTTLE_USER = "100000/min"


@pytest.fixture
def api():
    return APIClient()
