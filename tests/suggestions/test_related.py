"""关联建议 (issue 18): from the similar-suggestion list, the committee links two suggestions as
related (an event on both timelines), sees the link on both pages, and can undo it; linking twice,
to itself, to one outside the scope, or by someone who does not register suggestions is refused
with the reason and changes nothing."""

import pytest
from django.urls import reverse

from liaison.suggestions.models import SuggestionEvent, SuggestionLink

from .test_similar import MARKET, PARKING, page

pytestmark = pytest.mark.django_db


def relate(client, user, s, op, other_pk):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client.post(reverse("suggestions:relate", args=[s.pk, op]), {"other": other_pk})


def test_link_from_the_similar_list_shows_on_both_and_unlinks(client, submitted, people):
    earlier = submitted(deputy="b", **PARKING)
    s = submitted()
    html = page(client, people.county_committee, s)
    assert reverse("suggestions:relate", args=[s.pk, "link"]) in html  # offered beside it
    response = relate(client, people.county_committee, s, "link", earlier.pk)
    assert response.status_code == 302
    assert SuggestionLink.objects.count() == 1
    for one, two in ((s, earlier), (earlier, s)):
        text = page(client, people.county_committee, one)
        assert 'id="related-suggestions"' in text and two.title in text
        assert SuggestionEvent.objects.filter(suggestion=one, verb="suggestion.linked").exists()
    assert relate(client, people.county_committee, earlier, "unlink", s.pk).status_code == 302
    assert not SuggestionLink.objects.exists()
    assert SuggestionEvent.objects.filter(verb="suggestion.unlinked").count() == 2
    assert 'id="related-suggestions"' not in page(client, people.county_committee, s)


def test_refusals_change_nothing(client, submitted, people):
    earlier = submitted(deputy="b", **PARKING)
    market = submitted(deputy="b", **MARKET)
    s = submitted()
    own = submitted(**MARKET)  # deputy_a's second one: the deputy sees both
    assert relate(client, people.county_committee, s, "link", earlier.pk).status_code == 302
    events = SuggestionEvent.objects.count()
    cases = [
        (people.county_committee, s, "link", earlier.pk, 400, "is already related"),
        (people.county_committee, s, "link", s.pk, 400, "cannot be related to itself"),
        (people.county_committee, s, "unlink", market.pk, 400, "is not related"),
        (people.county_committee, s, "link", 999999, 400, "No suggestion with this number"),
        # Street A's committee does not see street B's suggestion: it is not said to exist.
        (people.street_a_committee, s, "link", market.pk, 400, "No suggestion with this number"),
        # A deputy sees their suggestion but does not register suggestions.
        (people.deputy_a, s, "link", own.pk, 403, "Only the committee"),
    ]
    for user, one, op, other, status, message in cases:
        response = relate(client, user, one, op, other)
        assert response.status_code == status, (op, other, status)
        assert message in response.content.decode()
    assert SuggestionLink.objects.count() == 1
    assert SuggestionEvent.objects.count() == events
    client.force_login(people.county_committee)
    bad = client.post(reverse("suggestions:relate", args=[s.pk, "nonsense"]), {"other": 1})
    assert bad.status_code == 404
