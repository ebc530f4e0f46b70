"""热点 (issue 18): the clustering groups re-phrasings of one matter and keeps others apart; the
nightly job stores clusters per county and city without a phone or a name; the committee
dashboard lists the growing ones, each linking to its cases within the viewer's scope.

The texts are hand-written here, never the generator's (liaison/cases/triage_texts.py)."""

import random
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from liaison.cases.models import Case
from liaison.core.models import AuditEvent
from liaison.triage import clustering, hotspots
from liaison.triage.clustering import Item
from liaison.triage.models import Hotspot

from ..cases.conftest import Flow
from ..factories import RegionFactory, StationFactory, UserFactory

LIFT = [
    "电梯停运快两个星期了，老人没法下楼",
    "我们楼的电梯又停运了，物业说在等配件",
    "电梯停运十多天，住十八楼的老人只能爬楼梯",
    "单元电梯停运，物业一直推说没钱修",
    "电梯停运这么久没人管，腿脚不便的老人出不了门",
]
OTHER = [
    "学校门口早高峰接送车辆堵得水泄不通",
    "菜市场旁边的下水道堵了，污水漫到路上",
    "公园里晚上广场舞音响太吵影响休息",
    "社区卫生服务站的医生太少，排队要两小时",
    "公交站台的遮雨棚坏了，下雨没地方躲",
    "河边的护栏松动了，小孩玩耍很危险",
]


def items(texts, *, start=0, category=1, place="/33/3301/330106/"):
    return [Item(start + i, text, category, place) for i, text in enumerate(texts)]


def test_rephrasings_are_one_cluster_and_unrelated_messages_none():
    found = clustering.cluster(items(LIFT + OTHER))
    assert [c.keys for c in found] == [[0, 1, 2, 3, 4]]
    assert found[0].label == "电梯、停运"


def test_the_result_does_not_depend_on_the_order_given():
    given = items(LIFT + OTHER)
    shuffled = given[:]
    random.Random(3).shuffle(shuffled)
    assert [(c.keys, c.label) for c in clustering.cluster(shuffled)] == [
        (c.keys, c.label) for c in clustering.cluster(given)
    ]


def test_another_category_or_another_place_is_another_topic():
    split = items(LIFT[:3]) + items(LIFT[3:], start=10, category=2)
    assert [c.keys for c in clustering.cluster(split)] == [[0, 1, 2]]
    apart = items(LIFT[:3]) + items(LIFT[3:] + LIFT[:1], start=10, place="/33/3301/330108/")
    found = clustering.cluster(apart)
    assert sorted(c.keys for c in found) == [[0, 1, 2], [10, 11, 12]]
    assert {c.place for c in found} == {"/33/3301/330106/", "/33/3301/330108/"}


def test_two_messages_or_very_short_texts_are_no_topic():
    assert clustering.cluster(items(LIFT[:2] + OTHER)) == []
    assert clustering.cluster(items(["电梯坏", "电梯坏", "电梯坏"])) == []


def test_a_chain_of_loosely_alike_messages_does_not_become_one_topic():
    # Each shares words with the next only: A~B, B~C, C~D, but A and D share nothing.
    chain = [
        "小区路灯不亮晚上很黑",
        "晚上很黑垃圾桶也满了没人清",
        "垃圾桶满了没人清还有老鼠跑",
        "还有老鼠跑进了幼儿园的食堂",
    ]
    found = clustering.cluster(items(chain))
    assert all(len(c.keys) <= 3 for c in found)


# --- stored per county and city ------------------------------------------------------------------

PHONES = [f"1391234{n:04d}" for n in range(20)]


@pytest.fixture
def lift_cases(district, accounts):
    """Five elevator messages at two stations (two of them older than a week) and the others."""
    flow = Flow(district, accounts)
    made = []
    for i, text in enumerate(LIFT):
        station = district.station_a if i % 2 == 0 else district.station_b
        deputy = district.dep_a if station == district.station_a else district.dep_b
        made.append(
            flow.submit(
                channel="phone",
                station=station,
                deputy=deputy,
                title=text[:8],
                description=text,
                citizen_phone=PHONES[i],
                citizen_name="周阿姨",
            )
        )
    for i, text in enumerate(OTHER):
        flow.submit(channel="phone", title=text[:8], description=text, citizen_phone=PHONES[10 + i])
    ten_days_ago = timezone.now() - timedelta(days=10)
    Case.objects.filter(pk__in=[made[0].pk, made[1].pk]).update(created_at=ten_days_ago)
    Case.objects.filter(pk=made[2].pk).update(supporters=4)
    return made


def test_the_job_stores_county_and_city_topics_with_growth_stations_and_supporters(
    lift_cases, district
):
    outcome = hotspots.compute()
    assert outcome.messages == 11 and outcome.hotspots == 2
    county = Hotspot.objects.get(level=Hotspot.Level.COUNTY)
    city = Hotspot.objects.get(level=Hotspot.Level.CITY)
    assert county.region_path == district.county.path and city.region_path == district.city.path
    for topic in (county, city):
        assert sorted(topic.members) == sorted(c.pk for c in lift_cases)
        assert (topic.size, topic.size_week_ago, topic.growth) == (5, 2, 3)
        assert topic.station_count == 2 and topic.supporters == 4
        assert topic.label == "电梯、停运"
    assert AuditEvent.objects.filter(verb="triage.hotspots_computed").count() == 1


def test_no_phone_no_name_and_no_text_is_stored(lift_cases):
    hotspots.compute()
    stored = str(list(Hotspot.objects.values()))
    assert "周阿姨" not in stored and "周" not in stored
    assert not any(phone in stored for phone in PHONES[:5])
    assert LIFT[0] not in stored


def test_a_run_replaces_the_topics_and_old_messages_drop_out(lift_cases):
    hotspots.compute()
    Case.objects.update(created_at=timezone.now() - timedelta(days=31))
    hotspots.compute()
    assert Hotspot.objects.count() == 0


def test_the_command_runs_it_on_demand(lift_cases, capsys):
    call_command("triage", "hotspots")
    assert "2 hot topics among 11 messages" in capsys.readouterr().out
    assert Hotspot.objects.count() == 2


# --- the committee dashboard --------------------------------------------------------------------


def _dashboard(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client.get("/staff/stats/")


def test_the_dashboard_lists_growing_topics_with_a_link_to_their_cases(
    client, lift_cases, accounts
):
    hotspots.compute()
    county = Hotspot.objects.get(level=Hotspot.Level.COUNTY)
    response = _dashboard(client, accounts.county_committee)
    text = response.content.decode()
    assert "电梯、停运: 2 stations, 5 cases, +3 on last week" in text
    assert f'href="/staff/hotspots/{county.pk}/"' in text
    page = client.get(f"/staff/hotspots/{county.pk}/")
    assert page.status_code == 200
    for case in lift_cases:
        assert case.tracking_number in page.content.decode()


def test_a_topic_that_did_not_grow_is_not_listed(client, lift_cases, accounts):
    hotspots.compute()
    Hotspot.objects.update(growth=0)
    text = _dashboard(client, accounts.county_committee).content.decode()
    assert "No topic is growing in your area" in text


def test_the_topic_page_shows_only_the_cases_in_the_viewers_scope(client, lift_cases, accounts):
    hotspots.compute()
    county = Hotspot.objects.get(level=Hotspot.Level.COUNTY)
    client.force_login(accounts.street_a_committee)
    text = client.get(f"/staff/hotspots/{county.pk}/").content.decode()
    station_a = [c for c in lift_cases if c.station_id == accounts.station_a_staff.station_id]
    for case in lift_cases:
        assert (case.tracking_number in text) == (case in station_a)


def test_other_places_and_other_roles_do_not_see_the_topic(client, lift_cases, accounts, district):
    hotspots.compute()
    county = Hotspot.objects.get(level=Hotspot.Level.COUNTY)
    elsewhere = RegionFactory(code="330108000000", name="滨江区", parent=district.city)
    StationFactory(region=elsewhere)
    from liaison.accounts.models import Role

    other = UserFactory(username="binjiang", role=Role.COMMITTEE_STAFF, region=elsewhere)
    client.force_login(other)
    assert client.get(f"/staff/hotspots/{county.pk}/").status_code == 404
    assert "hotspot-list" not in client.get("/staff/stats/").content.decode()
    client.force_login(accounts.station_a_staff)
    assert client.get(f"/staff/hotspots/{county.pk}/").status_code == 403


ISSUES = [
    "楼道里的电梯停运好多天了",
    "下水道堵塞污水漫到马路上",
    "晚上广场舞音响吵得睡不着",
    "路口红绿灯坏了车辆乱闯",
    "菜场门口摊贩占道经营",
    "公交站台遮雨棚破损漏雨",
    "河道护栏松动孩子玩耍危险",
    "小区路灯全坏了晚上漆黑",
    "垃圾清运不及时臭气熏天",
    "施工工地夜间打桩噪音扰民",
]
STREETS = [
    "桂花巷",
    "梧桐路",
    "青石街",
    "枫林道",
    "杏花村",
    "柳岸里",
    "松涛苑",
    "竹溪湾",
    "梅园路",
    "荷塘街",
]


def test_words_every_message_of_a_large_block_shares_join_nothing_and_label_nothing():
    # 100 messages: ten matters at ten streets, every one with the same greeting.
    texts = [f"您好，我是附近的居民，{street}{issue}" for issue in ISSUES for street in STREETS]
    found = clustering.cluster(items(texts))
    # One topic per matter (a message may go with the topic of its street's neighbour, no more).
    matters = [Counter(key // 10 for key in c.keys).most_common(1)[0] for c in found]
    assert sorted(matter for matter, _n in matters) == list(range(10))
    assert all(n >= 8 and n >= 0.8 * len(c.keys) for (_m, n), c in zip(matters, found, strict=True))
    assert not any("附近" in c.label or "居民" in c.label for c in found)


def test_the_worker_runs_it_nightly(lift_cases):
    from liaison.core import jobs

    jobs.autodiscover()
    job = {j.name: j for j in jobs.registered()}["triage.hotspots"]
    assert job.interval == timedelta(hours=24)
    assert "2 hot topics among 11 messages" in job.func()
    assert Hotspot.objects.count() == 2


def test_the_topic_page_costs_the_same_queries_for_more_cases(
    client, lift_cases, accounts, district
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    hotspots.compute()
    county = Hotspot.objects.get(level=Hotspot.Level.COUNTY)
    client.force_login(accounts.county_committee)
    url = f"/staff/hotspots/{county.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    flow = Flow(district, accounts)
    more = [
        flow.submit(channel="phone", station=district.station_b, deputy=district.dep_b)
        for _ in range(4)
    ]
    county.members += [c.pk for c in more]
    county.save()
    with CaptureQueriesContext(connection) as many:
        text = client.get(url).content.decode()
    assert all(c.tracking_number in text for c in more)
    assert len(many) == len(few)
