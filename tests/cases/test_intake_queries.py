"""Issue 17: the round trips of a submission, pinned. A new case is one transaction (no
savepoint), the case and its event are plain INSERTs (the id comes back with RETURNING), the
event's chain is not read (a new case has none), and every outbox row of the step is in one
INSERT — whatever the number of cases already filed or of staff to tell.

The tests are transactional (`transaction=True`): inside the usual test transaction every
`atomic` would be a savepoint, which is just what is measured here."""

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from liaison.accounts.models import Role
from liaison.api.keys import create_key
from liaison.cases import services
from liaison.cases.models import Case
from liaison.core import chain
from liaison.notifications.models import Notification
from tests.api.test_cases_public import body
from tests.factories import UserFactory

from .public_support import PHONE, deputy_form_url, last_code, message_data

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/cases/"
# The API with an application key: BEGIN, the case, the event, the staff's notices and the
# citizen's SMS (one INSERT), COMMIT. The key, the category, the deputy and their stations, the
# calendar and the station's staff come from the process's memory while none of them changes
# (core/versions.Memo; tests/core/test_versions.py): 26 before issue 17, 14 before the memo,
# 7 before the staff were remembered and the outbox rows written together.
API_QUERIES = 5
# The online form: the session, the deputy and their stations (the page's own read) — then
# BEGIN, the draft, the last code of this case (none), the code, its SMS, COMMIT — and the
# session saved (BEGIN, UPDATE, COMMIT). (23 before issue 17, 14 before the memo.)
WEB_QUERIES = 13


@pytest.fixture
def api(settings):
    settings.API_THROTTLE_ANON = settings.API_THROTTLE_USER = "100000/min"
    return APIClient()


def transaction_statements(ctx) -> list[str]:
    words = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
    return [q["sql"].split()[0] for q in ctx.captured_queries if q["sql"].startswith(words)]


def more_staff(district, n=5):
    for i in range(n):
        UserFactory(
            username=f"more{i}",
            role=Role.STATION_STAFF,
            station=district.station_a,
            email=f"more{i}@example.com",
        )


def partner(api):
    _key, raw = create_key(name="12345 hotline", scopes=["cases:submit"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return api


def submit_api(api, district, phone):
    with CaptureQueriesContext(connection) as ctx:
        response = api.post(URL, body(district, citizen_phone=phone), format="json")
    assert response.status_code == 201, response.content
    return ctx


def test_an_api_submission_takes_a_fixed_number_of_queries(api, district, accounts):
    partner(api)
    submit_api(api, district, "13900000001")  # warms what is read once per process
    ctx = submit_api(api, district, "13900000002")
    assert len(ctx) == API_QUERIES, [q["sql"][:80] for q in ctx.captured_queries]
    assert transaction_statements(ctx) == ["BEGIN", "COMMIT"]
    assert not [q for q in ctx.captured_queries if "pg_advisory" in q["sql"]]

    # More cases and five more staff with e-mail to tell: the same round trips.
    more_staff(district)
    for n in range(3):
        submit_api(api, district, f"1390000010{n}")
    ctx = submit_api(api, district, "13900000003")
    assert len(ctx) == API_QUERIES
    case = Case.objects.get(citizen_phone="13900000003")
    told = Notification.objects.filter(dedupe_key__startswith=f"case-event:{case.events.get().pk}")
    assert told.filter(channel="in_app").count() == 6 and told.filter(channel="email").count() == 5
    assert told.filter(channel="sms", recipient="13900000003").count() == 1


def test_a_web_submission_takes_a_fixed_number_of_queries(client, district):
    client.post(deputy_form_url(district), message_data(district, citizen_phone="13900000001"))
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(deputy_form_url(district), message_data(district))
    assert response.status_code == 302
    assert len(ctx) == WEB_QUERIES, [q["sql"][:80] for q in ctx.captured_queries]
    assert "SAVEPOINT" not in transaction_statements(ctx)
    draft = Case.objects.get(citizen_phone=PHONE)
    assert draft.phone_codes.count() == 1 and last_code()

    more_staff(district)
    client.post(deputy_form_url(district), message_data(district, citizen_phone="13900000002"))
    with CaptureQueriesContext(connection) as ctx:
        client.post(deputy_form_url(district), message_data(district, citizen_phone="13900000003"))
    assert len(ctx) == WEB_QUERIES


def test_the_chain_of_a_new_case_starts_empty_and_verifies(api, district, accounts):
    partner(api)
    for n in range(3):
        submit_api(api, district, f"1390000000{n}")
    for case in Case.objects.all():
        event = case.events.get()
        assert event.prev_hash == "" and event.hash == chain.digest(event)
    services.accept_case(Case.objects.first(), actor=accounts.station_a_staff)
    assert not list(chain.verify(Case.objects.first().events.model))


def test_a_taken_number_retries_the_whole_transaction(flow, monkeypatch):
    first = flow.submit()
    numbers = iter([first.tracking_number, first.tracking_number, "5550001111"])
    monkeypatch.setattr(services.intake, "new_tracking_number", lambda: next(numbers))
    with CaptureQueriesContext(connection) as ctx:
        second = flow.submit()
    assert second.tracking_number == "5550001111"
    assert second.events.get().verb == "case.submitted"
    assert Case.objects.count() == 2
    assert "SAVEPOINT" not in transaction_statements(ctx)
    assert transaction_statements(ctx).count("ROLLBACK") == 2


def test_a_number_taken_every_time_fails_and_leaves_nothing(flow, monkeypatch):
    first = flow.submit()
    monkeypatch.setattr(services.intake, "new_tracking_number", lambda: first.tracking_number)
    with pytest.raises(IntegrityError):
        flow.submit(citizen_phone="13900000009")
    assert Case.objects.count() == 1
    assert not Notification.objects.filter(recipient="13900000009").exists()
