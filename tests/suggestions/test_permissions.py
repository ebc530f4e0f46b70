"""Who sees what, over HTTP: the list, the detail and the assignment list per role."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def listed(client, user, name="suggestions:list"):
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


def test_drafts_stay_with_the_deputy_and_their_station(client, draft, district, people):
    s = draft(cosigners=[district.dep_shared])
    for user in (people.deputy_a, people.cosigner, people.station_a_staff, people.administrator):
        assert s.title in listed(client, user), user
    for user in (
        people.county_committee,
        people.deputy_b,
        people.lead_handler,
        people.station_b_staff,
    ):
        assert s.title not in listed(client, user), user
        assert client.get(reverse("suggestions:detail", args=[s.pk])).status_code == 404


def test_submitted_ones_reach_the_covering_committee_only(client, at_step, people):
    s = at_step("submitted")
    assert s.title in listed(client, people.county_committee)
    assert s.title in listed(client, people.street_a_committee)
    assert s.title not in listed(client, people.street_b_committee)


def test_units_see_their_suggestions_and_their_own_assignments(client, at_step, people, district):
    s = at_step("assigned")
    other = at_step("accepted", title="关于菜市场秩序的建议")
    page = listed(client, people.joint_handler)
    assert s.title in page and other.title not in page
    page = listed(client, people.joint_handler, "suggestions:assignments")
    assert district.department_a.name in page and district.department_county.name not in page
    page = listed(client, people.county_committee, "suggestions:assignments")
    assert district.department_a.name in page and district.department_county.name in page


def test_lists_need_an_account(client):
    for name in ("suggestions:list", "suggestions:assignments", "suggestions:outcomes"):
        assert client.get(reverse(name)).status_code == 302


def test_list_filters_sort_search_and_paginate(client, at_step, people, make_case):
    at_step("closed", cases=[make_case()])
    at_step("assigned", title="关于增设路灯的建议")
    client.force_login(people.county_committee)
    url = reverse("suggestions:list")
    page = client.get(url, {"q": "路灯", "sort": "number"}).content.decode()
    assert "关于增设路灯的建议" in page and "停车位" not in page
    page = client.get(url).content.decode()
    assert 'id="station-share"' in page and "50%" in page
    assert client.get(url, {"status": "nonsense"}).status_code == 400
    assert client.get(reverse("suggestions:assignments"), {"overdue": "on"}).status_code == 200
    assert client.get(reverse("suggestions:outcomes"), {"grade": "B"}).status_code == 200
    assert client.get(url, {"page": 99}).status_code == 200
