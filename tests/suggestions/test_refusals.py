"""Every refused transition, and the refusals of the services: nothing changes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liaison.core.errors import ConcurrentChange, NotAllowed, TransitionRefused
from liaison.suggestions import services
from liaison.suggestions.models import Suggestion, SuggestionEvent
from liaison.suggestions.workflow import TRANSITIONS, Action, Status, target

pytestmark = pytest.mark.django_db

REFUSED = [(s, a) for s in Status for a in Action if (s, a) not in TRANSITIONS]


@pytest.mark.parametrize(("status", "action"), REFUSED)
def test_every_pair_outside_the_table_is_refused(status, action):
    with pytest.raises(TransitionRefused):
        target(status, action)


def test_final_states_allow_nothing():
    assert not [a for (s, a) in TRANSITIONS if s in (Status.CLOSED, Status.WITHDRAWN)]


def _unchanged(s):
    before = (Suggestion.objects.get(pk=s.pk).status, SuggestionEvent.objects.count())
    return lambda: (
        (Suggestion.objects.get(pk=s.pk).status, SuggestionEvent.objects.count()) == before
    )


def test_submit_waits_for_every_co_signer(draft, district, people):
    s = draft(cosigners=[district.dep_shared])
    same = _unchanged(s)
    with pytest.raises(ValidationError) as error:
        services.submit_suggestion(s, actor=people.deputy_a)
    assert "cosigners" in error.value.message_dict
    assert same()


def test_only_the_co_signer_confirms_from_their_own_account(draft, district, people):
    s = draft(cosigners=[district.dep_shared])
    for someone in (
        people.deputy_a,
        people.station_a_staff,
        people.county_committee,
        people.deputy_b,
    ):
        with pytest.raises(NotAllowed):
            services.confirm_signature(s, actor=someone)
    services.confirm_signature(s, actor=people.cosigner)
    with pytest.raises(TransitionRefused):
        services.confirm_signature(s, actor=people.cosigner)


def test_declining_removes_the_co_signer(draft, district, people):
    s = draft(cosigners=[district.dep_shared])
    services.confirm_signature(s, actor=people.cosigner, decline=True)
    assert not s.cosigners.exists()
    services.submit_suggestion(s, actor=people.deputy_a)


@pytest.mark.parametrize("who", ["deputy_b", "station_b_staff", "county_committee", "lead_handler"])
def test_others_may_not_draft_edit_or_submit_for_the_deputy(draft, district, people, who):
    user = getattr(people, who)
    with pytest.raises(NotAllowed):
        draft(actor=user)
    s = draft()
    same = _unchanged(s)
    with pytest.raises(NotAllowed):
        services.submit_suggestion(s, actor=user)
    with pytest.raises(NotAllowed):
        services.withdraw_suggestion(s, actor=user)
    assert same()


def test_lead_deputy_cannot_co_sign_and_cases_must_be_theirs(draft, district, people, make_case):
    with pytest.raises(ValidationError) as error:
        draft(cosigners=[district.dep_a])
    assert "cosigners" in error.value.message_dict
    with pytest.raises(ValidationError):
        draft(title="   ")
    other = make_case()
    other.deputy, other.station = district.dep_b, district.station_b
    other.save()
    with pytest.raises(ValidationError) as error:
        draft(cases=[other])
    assert "cases" in error.value.message_dict


def test_checking_is_for_the_committee_covering_the_deputy(at_step, people):
    s = at_step("submitted")
    same = _unchanged(s)
    for user in (
        people.street_b_committee,
        people.station_a_staff,
        people.deputy_a,
        people.lead_handler,
    ):
        with pytest.raises(NotAllowed):
            services.accept_suggestion(s, actor=user)
        with pytest.raises(NotAllowed):
            services.return_suggestion(s, actor=user, reason="x")
    with pytest.raises(ValidationError):
        services.return_suggestion(s, actor=people.county_committee, reason=" ")
    assert same()


def test_no_assignment_before_registration_and_one_lead(at_step, district, people):
    s = at_step("submitted")
    with pytest.raises(TransitionRefused):
        services.assign_suggestion(s, actor=people.county_committee, lead=district.department_a)
    s = services.accept_suggestion(s, actor=people.county_committee)
    with pytest.raises(ValidationError):
        services.assign_suggestion(s, actor=people.county_committee, lead=None)
    with pytest.raises(ValidationError):
        services.assign_suggestion(
            s, actor=people.county_committee, lead=district.department_a, co=[district.department_a]
        )


def test_units_act_only_in_their_role(at_step, people):
    s = at_step("assigned")
    same = _unchanged(s)
    with pytest.raises(TransitionRefused):  # joint unit cannot answer
        services.answer_suggestion(s, actor=people.joint_handler, grade="A", answer="x")
    with pytest.raises(TransitionRefused):  # lead unit sends no opinion
        services.send_opinion(s, actor=people.lead_handler, text="x")
    with pytest.raises(NotAllowed):  # the deputy is no unit
        services.answer_suggestion(s, actor=people.deputy_a, grade="A", answer="x")
    with pytest.raises(TransitionRefused):  # nothing to evaluate yet
        services.evaluate_suggestion(s, actor=people.deputy_a, evaluation="satisfied")
    assert same()


def test_evaluation_is_the_lead_deputys(at_step, people):
    s = at_step("answered")
    for user in (
        people.cosigner,
        people.lead_handler,
        people.county_committee,
        people.station_b_staff,
    ):
        with pytest.raises(NotAllowed):
            services.evaluate_suggestion(s, actor=user, evaluation="satisfied")
    with pytest.raises(ValidationError):
        services.evaluate_suggestion(s, actor=people.deputy_a, evaluation="great")


def test_a_stale_evaluation_is_told(at_step, people):
    s = at_step("answered")
    services.evaluate_suggestion(
        s, actor=people.deputy_a, evaluation="satisfied", seen_status="answered"
    )
    with pytest.raises(ConcurrentChange):
        services.evaluate_suggestion(
            s, actor=people.deputy_a, evaluation="unsatisfied", seen_status="answered"
        )
    assert Suggestion.objects.get(pk=s.pk).evaluation == "satisfied"


def test_a_stale_answer_is_told_over_http(client, at_step, people):
    s = at_step("assigned")
    services.answer_suggestion(s, actor=people.lead_handler, grade="A", answer="已解决")
    client.force_login(people.lead_handler)
    response = client.post(
        reverse("suggestions:action", args=[s.pk, "answer"]),
        {"seen_status": "assigned", "grade": "B", "answer": "另一个答复"},
    )
    assert response.status_code == 409
    assert Suggestion.objects.get(pk=s.pk).grade == "A"


def test_second_unsatisfied_closes_without_another_round(at_step, people):
    s = at_step("answered")
    s = services.evaluate_suggestion(s, actor=people.deputy_a, evaluation="unsatisfied")
    s = services.answer_suggestion(s, actor=people.lead_handler, grade="B", answer="再次答复")
    s = services.evaluate_suggestion(s, actor=people.deputy_a, evaluation="unsatisfied")
    assert s.status == Status.CLOSED
    with pytest.raises(TransitionRefused):
        services.evaluate_suggestion(s, actor=people.deputy_a, evaluation="satisfied")


def test_http_refusals_change_nothing(client, at_step, people):
    s = at_step("submitted")
    same = _unchanged(s)
    client.force_login(people.street_b_committee)
    # Out of scope: the suggestion does not exist for this account.
    url = reverse("suggestions:action", args=[s.pk, "accept"])
    assert client.post(url, {"seen_status": "submitted"}).status_code == 404
    client.force_login(people.deputy_a)
    assert client.post(url, {"seen_status": "submitted"}).status_code == 403
    client.force_login(people.county_committee)
    url = reverse("suggestions:action", args=[s.pk, "answer"])
    response = client.post(url, {"seen_status": "submitted", "grade": "A", "answer": "x"})
    assert response.status_code in (403, 409)
    assert client.post(reverse("suggestions:action", args=[s.pk, "nonsense"])).status_code == 404
    assert same()


def test_refusals_speak_in_sentences_not_machine_words(at_step, people):
    """Issue 16: a second evaluation is thanked; an early one says when it can be done; a stale
    one is thanked the same."""
    from django.utils import translation

    s = at_step("answered")
    services.evaluate_suggestion(s, actor=people.deputy_a, evaluation="satisfied")
    fresh = Suggestion.objects.get(pk=s.pk)
    with translation.override("en"):
        with pytest.raises(TransitionRefused) as refused:
            services.evaluate_suggestion(fresh, actor=people.deputy_a, evaluation="satisfied")
        assert str(refused.value.message) == (
            "You have already evaluated this answer. Thank you for your feedback."
        )
        with pytest.raises(ConcurrentChange) as stale:
            services.evaluate_suggestion(
                s, actor=people.deputy_a, evaluation="satisfied", seen_status="answered"
            )
        assert "already evaluated" in str(stale.value.message)
        early = at_step("assigned")
        with pytest.raises(TransitionRefused) as refused:
            services.evaluate_suggestion(early, actor=people.deputy_a, evaluation="satisfied")
        assert "can be evaluated once it has been answered" in str(refused.value.message)
        assert "“evaluate the answer”" not in str(refused.value.message)
