"""相似建议 (issue 18): the suggestion review screen shows the suggestions of the last 90 days in
the reviewer's scope that the one under review resembles, with the reason; nothing for a very
short text, nothing outside the scope, nothing once the committee's review is over."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.suggestions.models import Suggestion
from liaison.suggestions.similar import similar_suggestions

pytestmark = pytest.mark.django_db

PARKING = {
    "title": "关于老旧小区停车难问题的建议",
    "reasons": "老旧小区车位太少，私家车只能停在消防通道上，出了事消防车进不来。",
    "proposals": "利用边角空地增设车位，推动机关单位停车场夜间向居民错时开放。",
}
MARKET = {
    "title": "关于规范菜市场周边秩序的建议",
    "reasons": "早市摊贩占道经营，行人和车辆都过不去。",
    "proposals": "划定临时摊点，加强巡查。",
}


def page(client, user, s) -> str:
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("suggestions:detail", args=[s.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_review_screen_shows_the_similar_one_with_the_reason(client, submitted, people):
    earlier = submitted(deputy="b", **PARKING)
    other = submitted(deputy="b", **MARKET)
    s = submitted()  # the conftest draft: 增设小区停车位, 消防通道
    html = page(client, people.county_committee, s)
    assert 'id="similar-suggestions"' in html
    assert reverse("suggestions:detail", args=[earlier.pk]) in html
    assert reverse("suggestions:detail", args=[other.pk]) not in html
    assert "similar text (" in html and "same category" in html
    found = similar_suggestions(s, people.county_committee)
    assert [item.suggestion for item in found] == [earlier]


def test_a_suggestion_outside_the_scope_is_never_offered(client, submitted, people):
    submitted(deputy="b", **PARKING)  # street B's deputy: not the street A committee's
    s = submitted()
    html = page(client, people.street_a_committee, s)
    assert PARKING["title"] not in html and 'id="similar-suggestions"' not in html
    assert similar_suggestions(s, people.street_a_committee) == []


def test_old_withdrawn_and_draft_ones_are_not_offered(client, submitted, draft, people):
    old = submitted(deputy="b", **PARKING)
    Suggestion.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=91))
    draft(**PARKING)  # never submitted
    s = submitted()
    assert similar_suggestions(s, people.county_committee) == []
    assert 'id="similar-suggestions"' not in page(client, people.county_committee, s)


def test_a_very_short_text_gets_nothing(submitted, people):
    submitted(deputy="b", **PARKING)
    s = submitted(title="停车", reasons="车位", proposals="无")  # 5 characters
    assert similar_suggestions(s, people.county_committee) == []


def test_not_shown_once_the_committee_is_done_nor_to_a_unit(client, submitted, at_step, people):
    submitted(deputy="b", **PARKING)
    s = at_step("assigned")
    assert 'id="similar-suggestions"' not in page(client, people.county_committee, s)
    assert 'id="similar-suggestions"' not in page(client, people.lead_handler, s)


def test_the_screen_stays_within_a_fixed_number_of_queries(
    client, submitted, people, django_assert_max_num_queries
):
    for n in range(12):
        submitted(deputy="b", **{**PARKING, "title": f"{PARKING['title']}（{n}）"})
    s = submitted()
    client.force_login(people.county_committee)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("suggestions:detail", args=[s.pk])).status_code == 200
