"""The suggestions' rows of the permission table (liaison/suggestions/permissions.py): the two
actions that are nobody else's — a co-signature and a unit's own part — are refused to
administrators too, by the services and on the page."""

import pytest
from django.urls import reverse

from liaison.accounts.models import Role
from liaison.core.errors import NotAllowed
from liaison.core.permissions import TABLE, may
from liaison.suggestions import services

pytestmark = pytest.mark.django_db


def test_the_rows_name_who_acts_in_their_own_name():
    assert set(TABLE["cosigner.confirm"].scopes) == {Role.DEPUTY}
    assert set(TABLE["suggestionassignment.handle"].scopes) == {Role.DEPARTMENT_HANDLER}
    assert not TABLE["cosigner.confirm"].administrators
    assert not TABLE["suggestionassignment.handle"].administrators
    assert set(TABLE["suggestion.supervise"].scopes) == {Role.COMMITTEE_STAFF}
    assert set(TABLE["suggestion.speak_for_lead"].scopes) == {Role.DEPUTY, Role.STATION_STAFF}


def test_an_administrator_neither_co_signs_nor_acts_for_a_unit(draft, at_step, district, people):
    s = draft(cosigners=[district.dep_shared])
    with pytest.raises(NotAllowed):
        services.confirm_signature(s, actor=people.administrator)
    signature = s.cosigners.get()
    assert may(people.cosigner, "cosigner.confirm", signature)
    assert not may(people.deputy_a, "cosigner.confirm", signature)
    assert not may(people.administrator, "cosigner.confirm", signature)

    s = at_step("assigned", title="关于增设路灯的建议")
    with pytest.raises(NotAllowed):
        services.answer_suggestion(s, actor=people.administrator, grade="A", answer="x")
    with pytest.raises(NotAllowed):
        services.send_opinion(s, actor=people.administrator, text="x")
    with pytest.raises(NotAllowed):
        services.request_change(s, actor=people.administrator, reason="x")
    lead = s.assignments.get(department=district.department_county)
    assert may(people.lead_handler, "suggestionassignment.handle", lead)
    assert not may(people.joint_handler, "suggestionassignment.handle", lead)


def test_the_page_offers_a_unit_only_its_own_part(client, at_step, people):
    s = at_step("assigned")
    url = reverse("suggestions:detail", args=[s.pk])
    client.force_login(people.lead_handler)
    page = client.get(url).content.decode()
    assert 'id="id_answer_grade' in page and 'id="id_opinion_text' not in page
    client.force_login(people.joint_handler)
    page = client.get(url).content.decode()
    assert 'id="id_opinion_text' in page and 'id="id_answer_grade' not in page
    client.force_login(people.administrator)
    page = client.get(url).content.decode()
    assert 'id="id_answer_grade' not in page and 'id="id_opinion_text' not in page
