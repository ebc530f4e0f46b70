"""Bad input on the registration form: precise messages, 400, nothing saved."""

import pytest
import time_machine
from django.core.exceptions import ValidationError

from liaison.cases.models import Case, CaseEvent
from liaison.core.models import AuditEvent
from liaison.notifications.models import Notification
from liaison.receptions import services
from liaison.receptions.models import Visit
from liaison.receptions.services import Matter

from .support import NEW, matter, signed_in, visit_form


def nothing_saved():
    return not (
        Visit.objects.exists()
        or Case.objects.exists()
        or CaseEvent.objects.exists()
        or Notification.objects.exists()
        or AuditEvent.objects.filter(verb="visit.registered").exists()
    )


@time_machine.travel("2025-09-22 10:00 +0800")
@pytest.mark.parametrize(
    "overrides, field, text",
    [
        ({"visitor_name": ""}, "visitor_name", "required"),
        ({"visitor_phone": "12345"}, "visitor_phone", "not a valid phone number"),
        ({"visitor_phone": ""}, "visitor_phone", "required"),
        (
            {"visitor_phone": "0571-87654321", "answer_mobile": "0571-1"},
            "answer_mobile",
            "not a valid mainland mobile",
        ),
        ({"received_on": "2025-09-23"}, "received_on", "cannot be in the future"),
        ({"received_on": "22/13/2025"}, "received_on", "valid date"),
        ({"privacy_accepted": None}, "privacy_accepted", "privacy notice"),
        ({"station": ""}, "station", "required"),
    ],
)
def test_visit_fields(client, district, accounts, overrides, field, text):
    signed_in(client, accounts.station_a_staff)
    response = client.post(NEW, visit_form(district, **overrides))
    assert response.status_code == 400
    assert text in " ".join(response.context["form"].errors[field])
    assert nothing_saved()


def test_a_deputy_of_another_station(client, district, accounts):
    signed_in(client, accounts.county_committee)
    response = client.post(NEW, visit_form(district, deputies=[district.dep_b.pk]))
    assert response.status_code == 400
    assert response.context["form"].errors["deputies"] == ["王建国 does not sit in this station."]
    assert nothing_saved()


@pytest.mark.parametrize(
    "row, field, text",
    [
        ({"title": ""}, "title", "required"),
        ({"description": ""}, "description", "required"),
        ({"category": ""}, "category", "required"),
        ({"title": "x" * 121}, "title", "at most 120"),
    ],
)
def test_a_bad_third_matter_saves_no_visit_and_no_case(
    client, district, accounts, row, field, text
):
    signed_in(client, accounts.station_a_staff)
    rows = [matter(district, "A"), matter(district, "B"), {**matter(district, "C"), **row}]
    response = client.post(NEW, visit_form(district, rows))
    assert response.status_code == 400
    formset = response.context["formset"]
    assert text in " ".join(formset.forms[2].errors[field])
    assert not formset.forms[0].errors and not formset.forms[1].errors
    assert nothing_saved()


def test_no_matter_at_all(client, district, accounts):
    signed_in(client, accounts.station_a_staff)
    response = client.post(NEW, visit_form(district, [{}]))
    assert response.status_code == 400
    assert "required" in " ".join(response.context["formset"].forms[0].errors["title"])
    assert nothing_saved()


def test_a_refusal_by_the_case_service_rolls_everything_back(client, district, accounts):
    """The form cannot see it, the service can: an inactive category on the 3rd matter."""
    other = type(district.category).objects.create(code="old", name="旧类别", is_active=False)
    with pytest.raises(ValidationError) as refused:
        services.register_visit(
            actor=accounts.station_a_staff,
            station=district.station_a,
            visitor_name="陈女士",
            visitor_phone="13912345678",
            privacy_accepted=True,
            deputies=[district.dep_a],
            matters=[
                Matter(district.category, "A", "a"),
                Matter(district.category, "B", "b"),
                Matter(other, "C", "c"),
            ],
        )
    assert "matters.2.category" in refused.value.message_dict
    assert nothing_saved()
