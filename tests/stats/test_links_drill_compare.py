"""Issue 13, the dashboard's missing parts: every count links to the list behind it (the case
queue with its own filter), the drill-down by region, and a second period to compare with."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.cases.models import Channel
from liaison.stats import rollup

DASHBOARD = "/staff/stats/"
PUBLIC = "/stats/"
PERIOD = {"start": "2026-01-01", "end": "2026-12-31"}  # the cases are made now (see below)
LINK = re.compile(r'<a href="(/staff/cases/\?[^"]+)">([^<]+)</a>')
QUEUE_COUNT = re.compile(r'<p class="count" role="status">(\d+) cases?</p>')


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture(autouse=True)
def now(time_machine):
    """The cases are made on 1 December 2026 (the period above is its year)."""
    time_machine.move_to("2026-12-01 10:00 +08:00", tick=False)


@pytest.fixture
def counted(flow, district):
    """Street A: a closed case, a rejected one, an accepted phone call; street B: one received."""
    flow.to("closed")
    flow.to("rejected")
    flow.to("accepted", channel=Channel.PHONE)
    flow.submit(station=district.station_b, deputy=district.dep_b)
    rollup.update()


def listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content.decode()[:2000])
    return int(QUEUE_COUNT.search(response.content.decode())[1])


def link_of(page: str, attribute: str) -> tuple[str, str]:
    """The link and the number in the cell marked `attribute` (e.g. data-metric="received")."""
    start = page.index(attribute)
    found = LINK.search(page, start)
    return html.unescape(found[1]), found[2]


def test_every_linked_count_is_the_number_of_cases_in_the_list(client, accounts, counted):
    client.force_login(accounts.county_committee)
    page = client.get(DASHBOARD, PERIOD).content.decode()
    links = [(html.unescape(url), shown) for url, shown in LINK.findall(page)]
    assert len(links) >= 15
    for url, shown in links:
        assert listed(client, url) == int(shown), url


def test_the_links_name_what_was_counted(client, accounts, district, counted):
    client.force_login(accounts.county_committee)
    page = client.get(DASHBOARD, PERIOD).content.decode()
    url, shown = link_of(page, 'data-metric="received"')
    assert shown == "4" and "event=received" in url and "tab=all" in url
    assert "received_from=2026-01-01" in url and "received_to=2026-12-31" in url
    url, shown = link_of(page, 'data-metric="rejected"')
    assert shown == "1" and listed(client, url) == 1
    url, shown = link_of(page, 'data-channel="phone"')
    assert shown == "1" and "channel=phone" in url and listed(client, url) == 1
    url, shown = link_of(page, f'data-department="{district.department_a.pk}"')
    assert shown == "1" and f"department={district.department_a.pk}" in url
    url, shown = link_of(page, 'data-metric="open"')
    assert shown == "2" and "state=open" in url and "received_from" not in url


def test_a_narrowed_dashboard_links_to_the_narrowed_list(client, accounts, district, counted):
    client.force_login(accounts.county_committee)
    page = client.get(DASHBOARD, {**PERIOD, "region": district.street_b.code}).content.decode()
    url, shown = link_of(page, 'data-metric="received"')
    assert shown == "1" and f"region={district.street_b.code}" in url
    assert listed(client, url) == 1
    page = client.get(DASHBOARD, {**PERIOD, "station": district.station_a.code}).content.decode()
    url, shown = link_of(page, 'data-metric="received"')
    assert shown == "3" and f"station={district.station_a.pk}" in url
    assert listed(client, url) == 3


def test_the_public_page_has_no_links_to_cases(client, counted):
    page = client.get(PUBLIC, PERIOD).content.decode()
    assert "/staff/" not in page.split('id="stats-period"')[1]


def test_the_queue_refuses_a_region_outside_the_scope(client, accounts, district, counted):
    client.force_login(accounts.street_a_committee)
    assert listed(client, f"/staff/cases/?tab=all&region={district.street_a.code}") == 3
    for region in (district.street_b.code, district.county.code, "999999999999"):
        response = client.get("/staff/cases/", {"tab": "all", "region": region})
        assert response.status_code == 400
        assert "No such region in your scope." in response.content.decode()
        assert "路灯不亮" not in response.content.decode()


def test_station_staff_may_not_filter_by_region(client, accounts, district, counted):
    client.force_login(accounts.station_a_staff)
    response = client.get("/staff/cases/", {"tab": "all", "region": district.street_a.code})
    assert response.status_code == 400


def test_the_queue_filters_by_the_day_of_an_event_and_by_open_or_closed(client, accounts, counted):
    client.force_login(accounts.county_committee)
    base = "/staff/cases/?tab=all"
    assert listed(client, f"{base}&event=resolved&received_from=2026-01-01") == 1
    assert listed(client, f"{base}&event=accepted&received_from=2026-01-01") == 2
    assert listed(client, f"{base}&event=accepted&received_to=2025-12-31") == 0
    assert listed(client, f"{base}&state=open") == 2
    assert listed(client, f"{base}&state=final") == 2
    response = client.get("/staff/cases/", {"tab": "all", "event": "exploded"})
    assert response.status_code == 400
    response = client.get("/staff/cases/", {"tab": "all", "state": "half"})
    assert response.status_code == 400


# --- drill down ---------------------------------------------------------------------------------


def drill_row(page: str, attribute: str) -> list[str]:
    start = page.index(attribute)
    row = page[start : page.index("</tr>", start)]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row)]


def test_the_county_sees_its_streets_and_drills_into_one(client, accounts, district, counted):
    client.force_login(accounts.county_committee)
    page = client.get(DASHBOARD, PERIOD).content.decode()
    assert drill_row(page, f'data-region="{district.street_a.code}"')[:2] == ["3", "1"]
    assert drill_row(page, f'data-region="{district.street_b.code}"')[:2] == ["1", "0"]
    start = page.index(f'data-region="{district.street_a.code}"')
    href = html.unescape(re.search(r'href="\?([^"]+)"', page[start:])[1])
    assert f"region={district.street_a.code}" in href and "start=2026-01-01" in href
    page = client.get(f"{DASHBOARD}?{href}").content.decode()
    # The street: its community below, and the station sitting in the street itself.
    assert drill_row(page, f'data-station="{district.station_a.code}"')[:2] == ["3", "1"]
    assert drill_row(page, f'data-region="{district.community_a1.code}"')[:2] == ["0", "0"]
    trail = page[page.index('id="drill-trail"') : page.index("</nav>", page.index("drill-trail"))]
    assert district.county.name in trail and district.street_a.name in trail
    assert district.city.name not in trail  # never above the viewer's root


def test_a_street_committee_cannot_drill_into_a_sibling(client, accounts, district, counted):
    client.force_login(accounts.street_a_committee)
    page = client.get(DASHBOARD, PERIOD).content.decode()
    assert f'data-region="{district.street_b.code}"' not in page
    assert f'data-station="{district.station_a.code}"' in page
    trail = page[page.index('id="drill-trail"') : page.index("</nav>", page.index("drill-trail"))]
    assert district.county.name not in trail
    response = client.get(DASHBOARD, {**PERIOD, "region": district.street_b.code})
    assert response.status_code == 403
    assert 'id="table-drill"' not in response.content.decode()


def test_an_administrator_starts_at_the_top(client, accounts, district, counted):
    client.force_login(accounts.administrator)
    page = client.get(DASHBOARD, PERIOD).content.decode()
    assert drill_row(page, f'data-region="{district.province.code}"')[:1] == ["4"]


def test_station_staff_have_no_drill_down(client, accounts, counted):
    client.force_login(accounts.station_a_staff)
    page = client.get(DASHBOARD, PERIOD).content.decode()
    assert 'id="table-drill"' not in page


# --- comparison ---------------------------------------------------------------------------------


def compare_row(page: str, name: str) -> list[str]:
    return drill_row(page, f'data-compare="{name}"')


def test_the_previous_period_beside_this_one(client, accounts, counted):
    client.force_login(accounts.county_committee)
    response = client.get(DASHBOARD, {**PERIOD, "compare": "previous"})
    assert response.status_code == 200
    page = response.content.decode()
    assert compare_row(page, "received") == ["4", "0", "+4"]
    assert compare_row(page, "resolved") == ["1", "0", "+1"]
    caption = page[page.index("compare-caption") :][:400]
    assert "Jan. 1, 2025" in caption and "Dec. 31, 2025" in caption


def test_chosen_comparison_days_and_last_year(client, accounts, counted):
    client.force_login(accounts.county_committee)
    query = {**PERIOD, "compare_start": "2026-06-01", "compare_end": "2026-12-31"}
    page = client.get(DASHBOARD, query).content.decode()
    assert compare_row(page, "received") == ["4", "4", "0"]
    page = client.get(DASHBOARD, {**PERIOD, "compare": "last_year"}).content.decode()
    caption = page[page.index("compare-caption") :][:400]
    assert "Jan. 1, 2025" in caption and "Dec. 31, 2025" in caption
    assert compare_row(page, "received") == ["4", "0", "+4"]


@pytest.mark.parametrize(
    "query, message",
    [
        (
            {"compare_start": "2026-03-01", "compare_end": "2026-01-01"},
            "The comparison&#x27;s first day comes after its last day.",
        ),
        (
            {"compare_start": "2000-01-01", "compare_end": "2026-01-01"},
            "Choose a comparison period of at most 10 years.",
        ),
        (
            {"compare_start": "2026-01-01"},
            "Give both the first and the last day of the comparison, or neither.",
        ),
        (
            {"compare": "previous", "compare_start": "2026-01-01", "compare_end": "2026-02-01"},
            "Choose a comparison shortcut or the comparison days, not both.",
        ),
        ({"compare_start": "2026-02-30", "compare_end": "2026-03-01"}, "Enter a valid date."),
        ({"compare": "next_century"}, "Select a valid choice."),
    ],
)
@pytest.mark.parametrize("page", [DASHBOARD, PUBLIC])
def test_a_bad_comparison_is_refused(client, accounts, counted, page, query, message):
    client.force_login(accounts.county_committee)
    response = client.get(page, {"start": "2026-01-01", "end": "2026-03-31", **query})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'id="table-compare"' not in body and 'data-metric="received"' not in body


def test_the_public_page_compares_with_small_counts_hidden(client, counted):
    page = client.get(PUBLIC, {**PERIOD, "compare": "previous"}).content.decode()
    assert compare_row(page, "received") == ["&lt;5", "0", "—"]
    assert compare_row(page, "activities") == ["0", "0", "0"]
    assert "/staff/" not in page.split('id="table-compare"')[1].split("</table>")[0]


def _queries(client, query) -> int:
    client.get("/staff/")  # the unread badge's count, kept after a first page
    with CaptureQueriesContext(connection) as captured:
        assert client.get(DASHBOARD, query).status_code == 200
    return len(captured)


def test_drill_down_and_comparison_keep_the_queries_bounded(client, accounts, flow, district):
    client.force_login(accounts.county_committee)
    query = {**PERIOD, "compare": "previous"}
    flow.to("closed")
    rollup.update()
    few = _queries(client, query)
    for status in ("closed", "rejected", "in_progress", "withdrawn"):
        flow.to(status)
    flow.submit(station=district.station_b, deputy=district.dep_b)
    rollup.update()
    assert _queries(client, query) == few
    # The comparison is four queries, the drill-down of the county five at most.
    assert _queries(client, PERIOD) + 4 == few
    assert few <= 60
