"""The public page: answered suggestions only, no citizen's data, a rating once per browser and
limited per address."""

import pytest
from django.urls import reverse

from liaison.suggestions.models import PublicRating

pytestmark = pytest.mark.django_db


def test_only_answered_suggestions_are_public(client, at_step, make_case):
    closed = at_step("closed", cases=[make_case()])
    assigned = at_step("assigned", title="关于增设路灯的建议")
    page = client.get(reverse("suggestions_public:list")).content.decode()
    assert closed.title in page and assigned.title not in page
    assert (
        client.get(reverse("suggestions_public:detail", args=[assigned.number])).status_code == 404
    )
    detail = client.get(reverse("suggestions_public:detail", args=[closed.number])).content.decode()
    assert "新增车位200个" in detail and "张明华" in detail  # the outcome; deputies are public
    assert "陈女士" not in detail and "13900001111" not in detail and "1111" not in detail


def test_rating_once_per_browser_with_counts(client, at_step):
    s = at_step("closed")
    url = reverse("suggestions_public:detail", args=[s.number])
    client.get(url)
    assert client.post(url, {"rating": "satisfied"}).status_code == 302
    assert client.post(url, {"rating": "unsatisfied"}).status_code == 409
    assert PublicRating.objects.count() == 1
    page = client.get(url).content.decode()
    assert 'id="rated"' in page and 'id="rate-form"' not in page
    assert 'data-rating="satisfied">' in page
    other = client.__class__()  # another browser
    assert other.post(url, {"rating": "basic"}).status_code == 302
    assert sorted(PublicRating.objects.values_list("rating", flat=True)) == ["basic", "satisfied"]
    assert other.post(url, {"rating": "excellent"}).status_code == 400


def test_rating_rate_limited_per_address(client, at_step, settings):
    settings.LIAISON_RATE_SUGGESTION_RATINGS_PER_IP = 2
    s = at_step("closed")
    url = reverse("suggestions_public:detail", args=[s.number])
    statuses = [client.__class__().post(url, {"rating": "satisfied"}).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert PublicRating.objects.count() == 2
    other_address = client.__class__(REMOTE_ADDR="10.0.0.9")
    assert other_address.post(url, {"rating": "basic"}).status_code == 302
