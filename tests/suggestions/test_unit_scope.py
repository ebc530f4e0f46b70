"""Only units of the committee's area can be chosen (Region.path subtree); administrators any."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liaison.suggestions import services
from liaison.suggestions.models import Suggestion, SuggestionAssignment

pytestmark = pytest.mark.django_db


def test_assignable_units_follow_the_region(district, people):
    d = district
    street = set(services.assignable_units(people.street_a_committee))
    county = set(services.assignable_units(people.county_committee))
    assert street == {d.department_a}
    assert county == {d.department_county, d.department_a, d.department_b}
    assert set(services.assignable_units(people.administrator)) >= county
    assert not services.assignable_units(people.deputy_a).exists()


def test_a_street_committee_cannot_assign_to_a_district_unit(at_step, district, people):
    s = at_step("accepted")  # dep_a's region is street A: the street committee supervises it
    with pytest.raises(ValidationError) as error:
        services.assign_suggestion(
            s,
            actor=people.street_a_committee,
            lead=district.department_a,
            co=[district.department_county],
        )
    assert set(error.value.message_dict) == {"co"}
    s.refresh_from_db()
    assert s.status == "accepted"
    assert not SuggestionAssignment.objects.filter(suggestion=s).exists()

    services.assign_suggestion(s, actor=people.street_a_committee, lead=district.department_a)
    assert SuggestionAssignment.objects.get(suggestion=s).department == district.department_a


def test_an_administrator_may_assign_any_unit(at_step, district, people):
    s = at_step("accepted")
    services.assign_suggestion(
        s, actor=people.administrator, lead=district.department_b, joint=[district.department_a]
    )
    assert Suggestion.objects.get(pk=s.pk).status == "assigned"


def assign_form(response):
    return next(form for name, _title, form in response.context["forms"] if name == "assign")


def test_the_form_offers_only_the_area_and_refuses_others(client, at_step, district, people):
    s = at_step("accepted")
    client.force_login(people.street_a_committee)
    page = client.get(reverse("suggestions:detail", args=[s.pk]))
    assert set(assign_form(page).fields["lead"].queryset) == {district.department_a}
    select = page.content.decode().split('id="id_assign_lead"')[1].split("</select>")[0]
    assert f'value="{district.department_a.pk}"' in select
    assert f'value="{district.department_county.pk}"' not in select

    response = client.post(
        reverse("suggestions:action", args=[s.pk, "assign"]),
        {"seen_status": "accepted", "lead": district.department_county.pk},
    )
    assert response.status_code == 400
    assert assign_form(response).errors["lead"]
    assert Suggestion.objects.get(pk=s.pk).status == "accepted"
    assert not SuggestionAssignment.objects.filter(suggestion=s).exists()


def test_a_change_cannot_move_the_lead_out_of_the_area(at_step, district, people):
    s = at_step("accepted")
    services.assign_suggestion(s, actor=people.street_a_committee, lead=district.department_a)
    lead = SuggestionAssignment.objects.get(suggestion=s)
    services.request_change(s, actor=people.joint_handler, reason="不属于本单位职责")
    with pytest.raises(ValidationError) as error:
        services.decide_change(
            s,
            actor=people.street_a_committee,
            assignment=lead,
            approve=True,
            department=district.department_b,
        )
    assert set(error.value.message_dict) == {"department"}
    lead.refresh_from_db()
    assert lead.state == "change_requested"
    assert SuggestionAssignment.objects.filter(suggestion=s).count() == 1
