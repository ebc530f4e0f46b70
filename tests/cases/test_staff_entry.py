"""Staff enter a phone call or a letter as a case: no SMS code, a tracking number to read out."""

import pytest
from django.urls import reverse

from liaison.cases.models import Case, CaseEvent, Channel
from liaison.cases.workflow import Status

from .staff_pages import flashed, signed_in

URL = "/staff/cases/new/"


def form(district, **overrides):
    data = {
        "station": district.station_a.pk,
        "channel": Channel.PHONE,
        "deputy": district.dep_a.pk,
        "category": district.category.pk,
        "title": "路灯不亮",
        "description": "保俶路12号门口的路灯坏了一个月。",
        "location_text": "保俶路12号",
        "citizen_name": "陈女士",
        "citizen_phone": "139 1234 5678",
        "privacy_accepted": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_station_staff_enter_a_phone_call(client, district, accounts):
    signed_in(client, accounts.station_a_staff)
    response = client.post(URL, form(district))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:case-detail", args=[case.tracking_number])
    assert (case.channel, case.status, case.station, case.deputy) == (
        Channel.PHONE,
        Status.SUBMITTED,
        district.station_a,
        district.dep_a,
    )
    assert case.citizen_phone == "13912345678" and case.due_at is not None
    n = case.tracking_number
    assert f"{n[:3]} {n[3:6]} {n[6:]}" in flashed(response)[0]
    event = CaseEvent.objects.get(case=case, verb="case.submitted")
    assert event.actor == accounts.station_a_staff
    assert event.data["privacy_consent"] == {"how": "read_out_on_phone"}


def test_a_letter_records_the_printed_notice_and_may_go_to_the_whole_station(
    client, district, accounts
):
    signed_in(client, accounts.county_committee)
    response = client.post(URL, form(district, channel=Channel.LETTER, deputy=""))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.channel == Channel.LETTER and case.deputy is None
    event = CaseEvent.objects.get(case=case, verb="case.submitted")
    assert event.data["privacy_consent"] == {"how": "printed_on_reply_letter"}


def test_the_entered_case_is_in_the_station_queue(client, district, accounts):
    signed_in(client, accounts.station_a_staff)
    client.post(URL, form(district))
    number = Case.objects.get().tracking_number
    assert number in client.get("/staff/cases/?tab=all").content.decode()


def test_the_form_preselects_the_station_for_station_staff(client, district, accounts):
    signed_in(client, accounts.station_a_staff)
    response = client.get(URL)
    assert response.status_code == 200
    station_field = response.context["form"]["station"]
    assert list(station_field.field.queryset) == [district.station_a]
    assert station_field.value() == district.station_a.pk


@pytest.mark.parametrize(
    "overrides, field, text",
    [
        ({"citizen_phone": "12345"}, "citizen_phone", "not a valid mainland mobile"),
        ({"citizen_phone": ""}, "citizen_phone", "a landline or a postal address"),
        ({"privacy_accepted": None}, "privacy_accepted", "privacy notice"),
        ({"title": ""}, "title", "required"),
        ({"description": ""}, "description", "required"),
        ({"channel": Channel.ONLINE}, "channel", "valid choice"),
        ({"category": ""}, "category", "required"),
        ({"title": "x" * 121}, "title", "at most 120"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    client, district, accounts, overrides, field, text
):
    signed_in(client, accounts.station_a_staff)
    response = client.post(URL, form(district, **overrides))
    assert response.status_code == 400
    assert text in " ".join(response.context["form"].errors[field])
    assert not Case.objects.exists() and not CaseEvent.objects.exists()


def test_a_deputy_of_another_station_is_refused(client, district, accounts):
    signed_in(client, accounts.county_committee)
    response = client.post(URL, form(district, deputy=district.dep_b.pk))
    assert response.status_code == 400
    assert response.context["form"].errors["deputy"] == [
        "This deputy does not sit in this station."
    ]
    assert not Case.objects.exists()


def test_station_staff_cannot_enter_a_case_for_another_station(client, district, accounts):
    signed_in(client, accounts.station_b_staff)
    response = client.post(URL, form(district, deputy=""))
    assert response.status_code == 400
    assert "station" in response.context["form"].errors
    assert not Case.objects.exists()


@pytest.mark.parametrize("role", ["deputy_a", "handler_a"])
def test_deputies_and_departments_may_not(client, district, accounts, role):
    signed_in(client, getattr(accounts, role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, form(district)).status_code == 403
    assert not Case.objects.exists()


def test_the_queue_offers_the_button_to_staff_only(client, district, accounts):
    signed_in(client, accounts.station_a_staff)
    assert URL in client.get("/staff/cases/").content.decode()
    signed_in(client, accounts.deputy_a)
    assert URL not in client.get("/staff/cases/").content.decode()


@pytest.mark.parametrize(
    ("who", "offered"),
    [
        ("station_a_staff", True),
        ("county_committee", True),
        ("administrator", True),
        ("deputy_a", False),
        ("handler_a", False),
    ],
)
def test_the_queue_offers_the_entry_page_as_the_table_says(client, accounts, who, offered):
    signed_in(client, getattr(accounts, who))
    page = client.get("/staff/cases/").content.decode()
    assert (URL in page) == offered
