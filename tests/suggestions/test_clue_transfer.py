"""线索移送 of a suggestion: forwarded by the committee with the lead deputy's consent, the
feedback in the suggestion's history; a deputy or a department may not forward (docs/clues.md)."""

import pytest
from django.core.exceptions import ValidationError

from liaison.clues import services
from liaison.clues.models import ClueTransfer, ConsentHow, Outcome
from liaison.core.errors import NotAllowed
from liaison.suggestions.models import SuggestionEvent

pytestmark = pytest.mark.django_db
ORG = "西湖区人民检察院公益诉讼检察部"


def test_a_suggestion_is_forwarded_and_its_history_shows_it(at_step, people, client):
    suggestion = at_step("accepted")
    status = suggestion.status

    clue = services.transfer_clue(
        actor=people.county_committee,
        suggestion=suggestion,
        organisation=ORG,
        summary="建议所涉消防通道被占问题，可能损害公共利益。",
        consent_how=ConsentHow.WRITING,
    )
    services.record_clue_feedback(
        clue, actor=people.county_committee, outcome=Outcome.ACCEPTED, feedback="已立案。"
    )

    suggestion.refresh_from_db()
    assert suggestion.status == status
    verbs = list(
        SuggestionEvent.objects.filter(suggestion=suggestion)
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs[-2:] == ["suggestion.clue_transferred", "suggestion.clue_feedback"]
    client.force_login(people.county_committee)
    assert (
        "suggestion.clue_transferred"
        in client.get(f"/staff/suggestions/{suggestion.pk}/").content.decode()
    )


def test_deputies_and_departments_may_not_forward(at_step, people, client):
    suggestion = at_step("accepted")
    for outsider in (people.deputy_a, people.lead_handler):
        with pytest.raises((ValidationError, NotAllowed)):
            services.transfer_clue(
                actor=outsider,
                suggestion=suggestion,
                organisation=ORG,
                summary="x",
                consent_how=ConsentHow.WRITING,
            )
    client.force_login(people.deputy_a)
    response = client.post(
        f"/staff/clues/new/suggestion/{suggestion.pk}/",
        {"organisation": ORG, "summary": "x", "consent_how": "writing", "confirm": "on"},
    )
    assert response.status_code == 403
    assert not ClueTransfer.objects.exists()


def test_one_source_only(people):
    with pytest.raises(ValidationError):
        services.transfer_clue(
            actor=people.county_committee, organisation=ORG, summary="x", consent_how="phone"
        )
