"""找代表 — who is my deputy: by address (typed or picked), by name; bad input; bounded reads."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.core.models import AuditEvent
from liaison.directory import services
from liaison.directory.models import DeputyLevel, RegionLevel
from liaison.receptions.models import ReceptionRule, RuleKind
from tests.factories import DeputyFactory, RegionFactory

EN = {"HTTP_COOKIE": "django_language=en"}
URL = "/deputies/"


def names(response) -> list[str]:
    return [deputy.name for deputy in response.context["deputies"]]


@pytest.fixture
def elected(district):
    """A deputy for each level whose constituency covers 保俶社区 (community_a1), and one county
    deputy elected in the other street, who must never show for it."""
    d = district

    def deputy(name, level, region):
        dep = DeputyFactory(name=name, level=level, region=region, stations=[d.station_a])
        services.set_deputy_constituency(dep, [region], actor=None)
        return dep

    return {
        "community": deputy("社区代表", DeputyLevel.COUNTY, d.community_a1),
        "street": deputy("街道代表", DeputyLevel.COUNTY, d.street_a),
        "city": deputy("市代表", DeputyLevel.CITY, d.county),
        "provincial": deputy("省代表", DeputyLevel.PROVINCIAL, d.city),
        "national": deputy("全国代表", DeputyLevel.NATIONAL, d.province),
        "other": deputy("西溪代表", DeputyLevel.COUNTY, d.street_b),
    }


@pytest.mark.django_db
def test_typed_community_shows_the_deputies_of_every_level_above(client, district, elected):
    response = client.get(URL, {"place": "保俶社区"}, **EN)
    assert response.status_code == 200
    assert response.context["form"].region == district.community_a1
    assert names(response) == ["全国代表", "省代表", "市代表", "社区代表", "街道代表"]
    page = response.content.decode()
    assert "西溪代表" not in page
    assert "Deputies for 保俶社区" in page
    assert elected["national"].get_absolute_url() in page
    assert district.station_a.get_absolute_url() in page


@pytest.mark.django_db
def test_typed_full_address_finds_the_community(client, district, elected):
    response = client.get(URL, {"place": "西湖区北山街道保俶社区"})
    assert response.context["form"].region == district.community_a1
    assert "社区代表" in names(response)


@pytest.mark.django_db
def test_typed_street_shows_its_deputies_and_offers_its_communities(client, district, elected):
    response = client.get(URL, {"place": "北山"}, **EN)
    assert response.context["form"].region == district.street_a
    # The community's own deputy is not the whole street's.
    assert names(response) == ["全国代表", "省代表", "市代表", "街道代表"]
    page = response.content.decode()
    assert f'href="?region={district.community_a1.code}"' in page
    assert "Choose your community or village above" in page


@pytest.mark.django_db
def test_a_name_shared_by_places_asks_which_one(client, district, elected):
    RegionFactory(
        code="330106002001", name="保俶新村", level=RegionLevel.COMMUNITY, parent=district.street_b
    )
    response = client.get(URL, {"place": "保俶"}, **EN)
    assert response.status_code == 200
    assert response.context["form"].region is None
    assert response.context["deputies"] == []
    page = response.content.decode()
    assert "Which place do you mean?" in page
    assert "北山街道 › 保俶社区" in page
    assert "西溪街道 › 保俶新村" in page


@pytest.mark.django_db
def test_picking_areas_step_by_step_without_javascript(client, district, elected):
    start = client.get(URL).content.decode()
    # The tree's top with a single child is skipped: the district's streets are offered first.
    assert f'href="?region={district.street_a.code}"' in start
    assert f'href="?region={district.street_b.code}"' in start
    street = client.get(URL, {"region": district.street_a.code})
    assert f'href="?region={district.community_a1.code}"' in street.content.decode()
    community = client.get(URL, {"region": district.community_a1.code})
    assert "社区代表" in names(community)


@pytest.mark.django_db
def test_unknown_region_is_404_with_a_message(client, district, elected):
    response = client.get(URL, {"region": "999999999999"}, **EN)
    assert response.status_code == 404
    assert "We do not know that area" in response.content.decode()
    assert response.context["deputies"] == []


@pytest.mark.django_db
def test_unknown_place_says_so(client, district, elected):
    response = client.get(URL, {"place": "火星社区"}, **EN)
    assert response.status_code == 200
    assert response.context["deputies"] == []
    assert "We found no community or street called “火星社区”" in response.content.decode()


@pytest.mark.django_db
def test_empty_search_asks_for_something(client, district, elected):
    response = client.get(URL, {"place": "   ", "name": ""}, **EN)
    assert response.status_code == 200
    assert response.context["page_obj"] is None
    assert "Type a deputy&#x27;s name or your community" in response.content.decode()


@pytest.mark.django_db
def test_search_by_name_prefix_hides_inactive_deputies(client, district, elected):
    assert names(client.get(URL, {"name": "张"})) == ["张明华"]
    assert names(client.get(URL, {"name": "张明华"})) == ["张明华"]
    services.set_active(district.dep_a, False, actor=None)
    response = client.get(URL, {"name": "张"}, **EN)
    assert names(response) == []
    assert "No deputy's name starts with that" in response.content.decode()


@pytest.mark.django_db
def test_inactive_stations_are_not_listed(client, district, elected):
    services.set_active(district.station_a, False, actor=None)
    response = client.get(URL, {"region": district.community_a1.code})
    assert district.station_a.name not in response.content.decode()


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_next_reception_days_of_each_station(client, district, elected):
    ReceptionRule.objects.create(
        station=district.station_a,
        kind=RuleKind.WEEKLY,
        weekday=2,
        start_time=datetime.time(9),
        end_time=datetime.time(11, 30),
        valid_from=datetime.date(2026, 1, 1),
    )
    response = client.get(URL, {"region": district.community_a1.code}, **EN)
    page = response.content.decode()
    assert '<time datetime="2026-03-04">' in page
    assert '<time datetime="2026-03-11">' in page
    assert '<time datetime="2026-03-18">' not in page  # two per station


@pytest.mark.django_db
def test_pages_of_twenty_and_a_bad_page_number(client, district):
    for number in range(25):
        dep = DeputyFactory(name=f"代表{number:02d}", level=DeputyLevel.NATIONAL)
        services.set_deputy_constituency(dep, [district.province], actor=None)
    first = client.get(URL, {"region": district.community_a1.code})
    assert len(names(first)) == 20
    assert first.context["page_obj"].paginator.count == 25
    second = client.get(URL, {"region": district.community_a1.code, "page": "2"})
    assert len(names(second)) == 5
    bad = client.get(URL, {"region": district.community_a1.code, "page": "x"}, **EN)
    assert bad.status_code == 200
    assert "That page number is not valid" in bad.content.decode()


@pytest.mark.django_db
def test_reads_do_not_grow_with_the_deputies(client, district):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"place": "保俶社区"}).status_code == 200
        return len(captured)

    def add(count):
        for _n in range(count):
            dep = DeputyFactory(level=DeputyLevel.CITY, stations=[district.station_a])
            services.set_deputy_constituency(dep, [district.county], actor=None)

    add(2)
    queries()  # the tree's top is cached after the first page
    few = queries()
    add(15)
    assert queries() == few


@pytest.mark.django_db
def test_constituency_changes_are_audited_once(district):
    dep = district.dep_a
    services.set_deputy_constituency(dep, [district.street_a], actor=None)
    services.set_deputy_constituency(dep, [district.street_a], actor=None)
    events = AuditEvent.objects.filter(verb="deputy.constituency_changed")
    assert events.count() == 1
    assert events.get().data == {"added": [district.street_a.pk], "removed": []}


@pytest.mark.django_db
def test_home_page_links_to_the_finder(client, district):
    assert 'href="/deputies/"' in client.get("/").content.decode()
