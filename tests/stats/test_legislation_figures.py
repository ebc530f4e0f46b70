"""The legislative contact points' figures (stats/legislation.py): comments online and offline,
people, adoptions, by station and by region, for a period; on /stats/ and /staff/stats/ within
the account's scope, and in the monthly open-data file liaison-legislation-YYYY-MM.csv."""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from liaison.legislation import services
from liaison.legislation.models import Adoption, Comment
from liaison.stats import legislation, opendata

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def comments(make_draft, online_comment, accounts, district):
    """Seven online comments (no station), one offline at station A (12 people) and one at
    station B (3 people); one online and the station-A one adopted."""
    draft = make_draft()
    online = [online_comment(draft, phone=f"139000000{n:02d}") for n in range(7)]
    a = services.enter_offline_comment(
        draft,
        actor=accounts.station_a_staff,
        article=None,
        text="座谈会上大家认为应当设置遛狗时段。",
        offline_kind="hearing",
        people=12,
        station=district.station_a,
    )
    b = services.enter_offline_comment(
        draft,
        actor=accounts.station_b_staff,
        article=None,
        text="走访中居民建议增加犬只免疫点。",
        offline_kind="visit",
        people=3,
        station=district.station_b,
    )
    Comment.objects.filter(pk__in=[online[0].pk, a.pk]).update(adoption=Adoption.ADOPTED)
    return draft, online, a, b


def today():
    return timezone.localdate()


def test_figures_by_station_and_region(comments, district, django_assert_num_queries):
    with django_assert_num_queries(4):  # two GROUP BYs, two name lookups
        found = legislation.compute(legislation.public_comments(), today(), today())

    assert (found.total.online, found.total.offline) == (7, 2)
    assert (found.total.people, found.total.adopted, found.total.comments) == (15, 2, 9)
    stations = {line.code: line for line in found.stations}
    a = stations[district.station_a.code]
    assert (a.offline, a.people, a.adopted, a.online) == (1, 12, 1, 0)
    assert stations[district.station_b.code].people == 3
    assert stations[""].key is None and stations[""].online == 7  # online, no station
    regions = {line.code: line for line in found.regions}
    # Online comments count at the draft's region, offline ones at the station's.
    assert regions[district.county.code].online == 7
    assert regions[district.street_a.code].offline == 1
    assert regions[district.street_b.code].offline == 1


def test_the_period_and_the_place_narrow_the_count(comments, district):
    online = comments[1]
    earlier = timezone.now() - timedelta(days=40)
    Comment.objects.filter(pk=online[1].pk).update(created_at=earlier)

    found = legislation.compute(legislation.public_comments(), today(), today())
    assert found.total.online == 6
    street_a = legislation.narrow(legislation.public_comments(), district.street_a, None)
    assert legislation.compute(street_a, today(), today()).total.comments == 1
    county = legislation.narrow(legislation.public_comments(), district.county, None)
    assert legislation.compute(county, today(), today()).total.comments == 8
    only_b = legislation.narrow(legislation.public_comments(), None, district.station_b)
    assert legislation.compute(only_b, today(), today()).total.people == 3


def test_hidden_comments_do_not_count(comments):
    online = comments[1]
    Comment.objects.filter(pk=online[2].pk).update(status="hidden")

    found = legislation.compute(legislation.public_comments(), today(), today())
    assert found.total.online == 6


def test_public_page_shows_the_section_with_small_counts_hidden(client, comments, district):
    client.cookies["django_language"] = "en"
    page = client.get("/stats/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="table-legislation-stations"' in html and "Legislative contact points" in html
    assert 'data-metric="legislation_online">7<' in html
    assert 'data-metric="legislation_offline">&lt;5<' in html  # 2 is a small count


def test_staff_dashboard_counts_only_the_accounts_scope(client, comments, accounts, district):
    client.cookies["django_language"] = "en"
    client.force_login(accounts.county_committee)
    html = client.get("/staff/stats/").content.decode()
    assert 'data-metric="legislation_comments">9<' in html
    assert 'data-metric="legislation_adopted">2<' in html  # staff see small counts as they are
    # A station's staff, narrowed to their station: its own offline opinions.
    client.force_login(accounts.station_b_staff)
    html = client.get(f"/staff/stats/?station={district.station_b.code}").content.decode()
    assert 'data-metric="legislation_offline">1<' in html
    assert 'data-metric="legislation_people">3<' in html
    # A street committee does not reach the county's draft (comment.view), so counts nothing.
    client.force_login(accounts.street_a_committee)
    html = client.get("/staff/stats/").content.decode()
    assert 'data-metric="legislation_comments">0<' in html


def test_a_bad_period_is_a_400_not_a_500(client, comments):
    assert client.get("/stats/?start=2026-13-01&end=2026-12-01").status_code == 400


def test_open_data_month_file(comments, district):
    Comment.objects.update(created_at=datetime(2026, 3, 10, 10, tzinfo=SHANGHAI))

    opendata.write_month(2026, 3)

    files = {p.month: p.files for p in opendata.published()}["2026-03"]
    assert set(files) == {"csv", "json", "legislation csv"}
    with opendata.open_file(files["legislation csv"]) as f:
        content = f.read()
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert list(rows[0]) == opendata.LEGISLATION_COLUMNS
    station_rows = {r["code"]: r for r in rows if r["row_kind"] == "station"}
    assert station_rows[""]["comments_online"] == "7"
    assert station_rows[district.station_a.code]["people_offline"] == "12"
    assert station_rows[district.station_a.code]["comments_offline"] == "<5"
    county = next(r for r in rows if r["row_kind"] == "region" and r["code"] == "330106000000")
    assert county["comments"] == "7"
    assert opendata.legislation_rows(date(2026, 4, 1), date(2026, 4, 30)) == []
