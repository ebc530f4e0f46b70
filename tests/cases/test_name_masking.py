"""A confidential citizen's name is read from one rule (selectors.may_see_name) on every staff
surface: the case page, the staff API and the admin."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from liaison.api.keys import create_key

from .staff_pages import detail_url, signed_in

pytestmark = pytest.mark.django_db

NAME = "陈女士"


def test_a_confidential_name_is_masked_for_those_who_need_not_call_back(client, flow, accounts):
    case = flow.submit(channel="phone", confidential=True, citizen_name=NAME)
    committee = accounts.street_a_committee
    assert NAME not in signed_in(client, committee).get(detail_url(case)).content.decode()

    _key, raw = create_key(name="t", user=committee, scopes=["staff"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = api.get(f"/api/v1/staff/cases/{case.tracking_number}/").json()
    assert body["citizen_name"] == ""

    client.force_login(accounts.administrator)
    page = client.get(reverse("admin:cases_case_change", args=[case.pk]))
    assert page.status_code == 200 and NAME not in page.content.decode()


def test_the_station_that_calls_back_sees_the_name(client, flow, accounts):
    case = flow.submit(channel="phone", confidential=True, citizen_name=NAME)
    page = signed_in(client, accounts.station_a_staff).get(detail_url(case)).content.decode()
    assert NAME in page


def test_a_name_that_is_not_confidential_shows_in_the_admin(client, flow, accounts):
    case = flow.submit(channel="phone", citizen_name=NAME)
    client.force_login(accounts.administrator)
    page = client.get(reverse("admin:cases_case_change", args=[case.pk]))
    assert NAME in page.content.decode()
