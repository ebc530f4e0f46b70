"""Issue 17: the citizen's tracking page comes rendered from the cache (core/public_pages.py),
keyed by its case's versions: the next visit costs the session alone, and any event of the case
(or of the case it was merged into) shows at once."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from liaison.cases import services
from liaison.cases.models import Case

from .public_support import PHONE, english

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.LIAISON_PUBLIC_PAGE_CACHE_SECONDS = 60


def _open(client, case):
    client.post(f"/t/{case.tracking_number}", {"action": "last4", "last4": PHONE[-4:]})
    english(client)


def _page(client, case):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/t/{case.tracking_number}")
    assert response.status_code == 200
    return response.content.decode(), len(ctx)


def test_the_second_visit_is_served_from_the_cache(client, flow):
    case = flow.submit(citizen_phone=PHONE)
    _open(client, case)
    _html, first = _page(client, case)
    again_html, again = _page(client, case)
    assert 'id="status-heading"' in again_html
    assert again < first
    assert again == 1  # the session: not the case row


def test_every_step_of_the_case_shows_at_once(client, flow, accounts):
    case = flow.submit(citizen_phone=PHONE)
    _open(client, case)
    before, _n = _page(client, case)
    services.accept_case(case, actor=accounts.station_a_staff)
    after, _n = _page(client, case)
    assert after != before
    assert "Accepted" in after or "accepted" in after


def test_the_main_case_moving_shows_on_the_merged_case(client, flow, accounts):
    main = flow.submit(citizen_phone="13911110000")
    mine = flow.submit(citizen_phone=PHONE)
    services.merge_case(mine, main, actor=accounts.station_a_staff)
    mine = Case.objects.get(pk=mine.pk)
    _open(client, mine)
    before, _n = _page(client, mine)
    services.accept_case(Case.objects.get(pk=main.pk), actor=accounts.station_a_staff)
    after, _n = _page(client, mine)
    assert after != before


def test_someone_else_still_has_to_unlock(client, flow):
    case = flow.submit(citizen_phone=PHONE)
    _open(client, case)
    _page(client, case)
    stranger = Client().get(f"/t/{case.tracking_number}").content.decode()
    assert 'name="last4"' in stranger
    assert 'id="status-heading"' not in stranger


def test_a_visitor_who_unlocked_another_case_still_has_to_unlock(client, flow):
    case = flow.submit(citizen_phone=PHONE)
    other = flow.submit(citizen_phone="13911110000")
    _open(client, case)
    _page(client, case)  # now in the cache
    visitor = Client()
    _open(visitor, other)
    page = visitor.get(f"/t/{case.tracking_number}").content.decode()
    assert 'name="last4"' in page
    assert 'id="status-heading"' not in page


def test_a_main_case_merged_on_shows_the_case_it_went_into(client, flow, accounts):
    first_main = flow.submit(citizen_phone="13911110000")
    final_main = flow.submit(citizen_phone="13911110001")
    mine = flow.submit(citizen_phone=PHONE)
    services.merge_case(mine, first_main, actor=accounts.station_a_staff)
    _open(client, Case.objects.get(pk=mine.pk))
    before, _n = _page(client, mine)
    assert first_main.tracking_number[-4:] in before.replace(" ", "")
    services.merge_case(
        Case.objects.get(pk=first_main.pk), final_main, actor=accounts.station_a_staff
    )
    after, _n = _page(client, mine)
    assert final_main.tracking_number[-4:] in after.replace(" ", "")


def test_with_the_cache_off_nothing_is_kept(client, flow, settings):
    settings.LIAISON_PUBLIC_PAGE_CACHE_SECONDS = 0
    case = flow.submit(citizen_phone=PHONE)
    _open(client, case)
    _page(client, case)
    assert cache.get(f"track-shown:{case.tracking_number}") is None
