"""Grid workers (网格员) file cases for the residents of their cell; the case goes to the station
that covers the cell, and the worker follows the cases of their cell only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liaison.cases import services
from liaison.cases.models import Case, CaseEvent, Channel
from liaison.core.errors import NotAllowed

URL = "/staff/cases/new/grid/"


def signed_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def form(district, **overrides):
    data = {
        "category": district.category.pk,
        "title": "楼道灯坏了",
        "description": "3幢2单元楼道灯坏了两周。",
        "citizen_name": "陈阿姨",
        "citizen_phone": "139 1234 5678",
        "privacy_accepted": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_grid_worker_files_a_case_for_the_covering_station(client, district, cells, worker):
    signed_in(client, worker)
    assert client.get(URL).status_code == 200
    response = client.post(URL, form(district))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:case-detail", args=[case.tracking_number])
    assert (case.channel, case.station, case.grid_cell) == (
        Channel.GRID,
        district.station_a,
        cells[0],
    )
    event = CaseEvent.objects.get(case=case, verb="case.submitted")
    assert event.actor == worker
    assert "翠苑一区网格" in event.actor_label
    assert event.data["privacy_consent"] == {"how": "told_in_person_by_grid_worker"}
    # The worker follows the case of their cell.
    assert client.get(response["Location"]).status_code == 200


def test_bad_input_names_the_field_and_files_nothing(client, district, worker):
    signed_in(client, worker)
    response = client.post(URL, form(district, title="", citizen_phone="12"))
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"title", "citizen_phone"}
    response = client.post(URL, form(district, privacy_accepted=None))
    assert response.status_code == 400
    assert "privacy_accepted" in response.context["form"].errors
    assert not Case.objects.exists()


def test_other_roles_may_not_use_the_grid_form(client, district, accounts):
    signed_in(client, accounts.station_a_staff)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form(district)).status_code == 403
    assert not Case.objects.exists()


def _file(district, cell, actor, **overrides):
    data = {
        "channel": Channel.GRID,
        "station": cell.station,
        "deputy": None,
        "category": district.category,
        "title": "路面坑洼",
        "description": "小区门口路面坑洼。",
        "citizen_phone": "13912345678",
        "privacy_accepted": True,
        "grid_cell": cell,
        "actor": actor,
    }
    data.update(overrides)
    return services.submit_case(**data)


def test_a_grid_worker_files_only_for_their_own_cell(district, cells, worker):
    with pytest.raises(NotAllowed):
        _file(district, cells[1], worker)
    with pytest.raises(ValidationError) as refused:
        _file(district, cells[0], worker, station=district.station_b)
    assert "station" in refused.value.message_dict
    with pytest.raises(ValidationError):
        _file(district, cells[0], worker, channel=Channel.PHONE)
    assert not Case.objects.exists()


def test_a_grid_worker_sees_the_cases_of_their_cell_only(client, district, cells, worker, accounts):
    mine = _file(district, cells[0], worker)
    other = services.submit_case(
        channel=Channel.PHONE,
        station=district.station_a,
        deputy=None,
        category=district.category,
        title="别的事",
        description="别的事。",
        citizen_phone="13912345679",
        privacy_accepted=True,
        actor=accounts.station_a_staff,
    )
    signed_in(client, worker)
    page = client.get("/staff/cases/")
    assert page.status_code == 200
    assert mine.tracking_number in page.text and other.tracking_number not in page.text
    detail = reverse("staff:case-detail", args=[other.tracking_number])
    assert client.get(detail).status_code in (403, 404)
    # The case's station sees it as any other case.
    signed_in(client, accounts.station_a_staff)
    assert client.get(reverse("staff:case-detail", args=[mine.tracking_number])).status_code == 200


def test_the_grid_worker_workspace_links_to_the_form(client, worker):
    signed_in(client, worker)
    page = client.get(reverse("accounts:home"))
    assert page.status_code == 200
    assert URL in page.text
