"""关联留言 (issue 18): two cases linked as related from the review screen's similar-case list,
shown on both pages, an event on both timelines, undone by unlinking; refusals change nothing."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from liaison.api.keys import create_key
from liaison.cases import services
from liaison.cases.models import CaseEvent, CaseLink
from liaison.core.errors import NotAllowed

from .conftest import snapshot

ELEVATOR = {"title": "电梯坏了", "description": "我们小区3号楼的电梯坏了一个月，物业一直没有修。"}
ELEVATOR_AGAIN = {
    "title": "3号楼电梯停运",
    "description": "小区3号楼电梯已经停运快一个月了，物业不管不问，老人下不了楼。",
}


@pytest.fixture
def client(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def pair(flow):
    return flow.submit(channel="phone", **ELEVATOR), flow.submit(channel="phone", **ELEVATOR_AGAIN)


def detail(client, case) -> str:
    response = client.get(reverse("staff:case-detail", args=[case.tracking_number]))
    assert response.status_code == 200
    return response.content.decode()


def test_link_from_the_similar_list_shows_on_both_pages(client, accounts, pair):
    probe, twin = pair
    client.force_login(accounts.station_a_staff)
    html = detail(client, probe)
    link_url = reverse("staff:case-link", args=[probe.tracking_number])
    assert f'action="{link_url}"' in html and f"Link {twin.tracking_number} as related" in html
    done = client.post(link_url, {"other": twin.tracking_number})
    assert done.status_code == 302
    assert CaseLink.objects.count() == 1
    for this, that in ((probe, twin), (twin, probe)):
        html = detail(client, this)
        assert 'id="related-cases"' in html and that.tracking_number in html
        assert "Linked as related" in html  # the timeline
        event = this.events.get(verb="case.linked")
        assert event.data["related"] == that.tracking_number and not event.is_public
        assert event.actor == accounts.station_a_staff
    assert "Related case: " in detail(client, probe)
    # The list no longer offers linking the same pair twice.
    assert f"Link {twin.tracking_number} as related" not in detail(client, probe)


def test_unlink_undoes_it_with_an_event_on_both(client, accounts, pair):
    probe, twin = pair
    services.link_cases(probe, twin, actor=accounts.station_a_staff)
    client.force_login(accounts.station_a_staff)
    url = reverse("staff:case-unlink", args=[twin.tracking_number, probe.tracking_number])
    assert client.post(url).status_code == 302
    assert not CaseLink.objects.exists()
    assert probe.events.filter(verb="case.unlinked").count() == 1
    assert twin.events.filter(verb="case.unlinked").count() == 1
    assert 'id="related-cases"' not in detail(client, probe)
    # Unlinking again: nothing to undo, nothing written.
    before = snapshot()
    response = client.post(url)
    assert response.status_code == 400 and "is not related" in response.content.decode()
    assert snapshot() == before


def test_linking_twice_or_to_itself_is_refused_and_changes_nothing(client, accounts, pair):
    probe, twin = pair
    services.link_cases(probe, twin, actor=accounts.station_a_staff)
    client.force_login(accounts.station_a_staff)
    url = reverse("staff:case-link", args=[probe.tracking_number])
    before = snapshot()
    for other, message in (
        (twin.tracking_number, "is already related"),
        (probe.tracking_number, "cannot be related to itself"),
        ("NO-SUCH-CASE", "No case with this number in your scope"),
    ):
        response = client.post(url, {"other": other})
        assert response.status_code == 400 and message in response.content.decode(), other
    assert snapshot() == before and CaseLink.objects.count() == 1


def test_a_case_outside_the_scope_can_be_neither_linked_nor_seen(
    client, accounts, flow, district, pair
):
    probe, _twin = pair
    elsewhere = flow.submit(
        channel="phone", station=district.station_b, deputy=district.dep_b, **ELEVATOR_AGAIN
    )
    client.force_login(accounts.station_a_staff)
    before = snapshot()
    url = reverse("staff:case-link", args=[probe.tracking_number])
    response = client.post(url, {"other": elsewhere.tracking_number})
    assert response.status_code == 400
    assert "No case with this number in your scope" in response.content.decode()
    assert snapshot() == before
    # Linked by the county committee, which covers both stations: station A does not see it.
    services.link_cases(probe, elsewhere, actor=accounts.county_committee)
    html = detail(client, probe)
    assert elsewhere.tracking_number not in html
    assert "Related case: one outside your scope" in html
    api = APIClient()
    _key, raw = create_key(name="test", user=accounts.station_a_staff, scopes=["staff"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = api.get(f"/api/v1/staff/cases/{probe.tracking_number}/")
    assert body.status_code == 200 and elsewhere.tracking_number not in body.content.decode()
    assert body.json()["related_cases"] == []
    _key, raw = create_key(name="county", user=accounts.county_committee, scopes=["staff"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = api.get(f"/api/v1/staff/cases/{probe.tracking_number}/").json()
    assert [row["tracking_number"] for row in body["related_cases"]] == [elsewhere.tracking_number]
    client.force_login(accounts.county_committee)
    assert elsewhere.tracking_number in detail(client, probe)


def test_a_role_that_may_not_review_cannot_link(client, accounts, flow, pair):
    probe, twin = pair
    before = snapshot()
    with pytest.raises(NotAllowed):
        services.link_cases(probe, twin, actor=accounts.deputy_a)
    assert snapshot() == before and not CaseEvent.objects.filter(verb="case.linked").exists()
    client.force_login(accounts.deputy_a)
    response = client.post(
        reverse("staff:case-link", args=[probe.tracking_number]), {"other": twin.tracking_number}
    )
    assert response.status_code in (403, 404)
    assert not CaseLink.objects.exists()
