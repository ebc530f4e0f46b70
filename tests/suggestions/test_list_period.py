"""The suggestion list's period, region and station filters: the statistics' suggestion counts
link to the suggestions submitted in their period (stats/links.py); a region outside the scope or
an inverted range is a 400 with the reason."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from liaison.stats.links import for_viewer
from liaison.suggestions import services
from liaison.suggestions.models import Suggestion

pytestmark = pytest.mark.django_db
LIST = "/staff/suggestions/"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def submitted(draft, people):
    """Two submitted suggestions: late on 31 October and early on 1 November (Beijing time)."""
    found = {}
    for title, when in (
        ("关于增设停车位的建议", datetime(2026, 10, 31, 23, 30, tzinfo=SHANGHAI)),
        ("关于加装电梯的建议", datetime(2026, 11, 1, 0, 30, tzinfo=SHANGHAI)),
    ):
        suggestion = draft(title=title)
        services.submit_suggestion(suggestion, actor=people.deputy_a)
        # The day it was submitted is the point of the test: set it as the fixture needs.
        Suggestion.objects.filter(pk=suggestion.pk).update(submitted_at=when)
        found[title] = suggestion
    return found


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content.decode()[:300]
    return sorted(s.title for s in response.context["page_obj"])


def test_period_in_beijing_days_and_region(client, people, district, submitted):
    client.force_login(people.county_committee)
    october = {"submitted_from": "2026-10-01", "submitted_to": "2026-10-31"}
    assert titles(client.get(LIST, october)) == ["关于增设停车位的建议"]
    assert titles(client.get(LIST, {"submitted_from": "2026-11-01"})) == ["关于加装电梯的建议"]
    assert len(titles(client.get(LIST, {"region": district.street_a.code}))) == 2
    assert titles(client.get(LIST, {"region": district.street_b.code})) == []


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"submitted_from": "2026-11-02", "submitted_to": "2026-11-01"}, "submitted_to", "before"),
        ({"submitted_from": "2010-01-01", "submitted_to": "2026-01-01"}, "submitted_to", "10"),
        ({"region": "330106001000"}, "region", "No such region in your scope."),
    ],
)
def test_bad_filters_are_400(client, people, submitted, params, field, message):
    client.force_login(people.street_b_committee)
    client.cookies["django_language"] = "en"
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert list(response.context["page_obj"]) == []


def test_the_statistics_links_carry_the_period(people, district):
    links = for_viewer(
        people.county_committee, date(2026, 10, 1), date(2026, 10, 31), district.street_a, None
    )
    url = links.suggestions("submitted")
    assert url.startswith(LIST + "?")
    for part in ("submitted_from=2026-10-01", "submitted_to=2026-10-31", "status=submitted"):
        assert part in url
    assert f"region={district.street_a.code}" in url
