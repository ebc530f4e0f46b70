"""The OpenAPI schema, the docs page, and schemathesis checking that the server keeps to the
schema (no 5xx, every status and body documented) on every GET endpoint, and a short version of
`make fuzz` (tools/fuzz_api.sh): every operation, every check, as staff and without a key."""

import re
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from liaison.api.keys import create_key

FUZZ_CONFIG = Path(__file__).resolve().parents[2] / "tools" / "schemathesis.toml"

EXPECTED_PATHS = {
    "/api/v1/regions/",
    "/api/v1/stations/",
    "/api/v1/stations/{public_code}/",
    "/api/v1/deputies/",
    "/api/v1/deputies/{public_code}/",
    "/api/v1/departments/",
    "/api/v1/categories/",
    "/api/v1/calendar/add-working-days",
    "/api/v1/calendar/{year}",
    "/api/v1/cases/",
    "/api/v1/cases/{tracking_number}",
    "/api/v1/cases/{tracking_number}/verify",
    "/api/v1/cases/{tracking_number}/supplement",
    "/api/v1/cases/{tracking_number}/withdraw",
    "/api/v1/cases/{tracking_number}/rate",
    "/api/v1/cases/{tracking_number}/resend-code",
    "/api/v1/cases/{tracking_number}/tracking-code",
    "/api/v1/staff/cases/",
    "/api/v1/staff/receptions/",
    "/api/v1/staff/cases/{tracking_number}/",
    "/api/v1/staff/files/{token}/",
    "/api/v1/me/notifications/",
    "/api/v1/me/notifications/read/",
    # activities, appointments, suggestions, a deputy's public record
    "/api/v1/activities/",
    "/api/v1/activities/{public_code}/",
    "/api/v1/activities/{public_code}/sign-up",
    "/api/v1/activities/sign-up/verify",
    "/api/v1/activities/sign-up/resend-code",
    "/api/v1/stations/{public_code}/calendar",
    "/api/v1/regions/{code}/calendar",
    "/api/v1/stations/{public_code}/slots",
    "/api/v1/stations/{public_code}/appointments",
    "/api/v1/appointments/verify",
    "/api/v1/appointments/resend-code",
    "/api/v1/appointments/{code}",
    "/api/v1/appointments/{code}/cancel",
    "/api/v1/appointments/{code}/reschedule",
    "/api/v1/staff/appointments/",
    "/api/v1/staff/appointments/{id}/",
    *(
        f"/api/v1/staff/appointments/{{id}}/actions/{action}/"
        for action in ["confirm", "move", "cancel", "no_show"]
    ),
    "/api/v1/suggestions/",
    "/api/v1/suggestions/{number}/",
    "/api/v1/suggestions/{number}/rate",
    "/api/v1/deputies/{public_code}/record",
    "/api/v1/staff/suggestions/",
    "/api/v1/staff/suggestions/assignments/",
    "/api/v1/staff/suggestions/outcomes/",
    "/api/v1/stats/",
    "/api/v1/staff/stats/",
    "/api/v1/stats/open-data/{month}/",
    "/api/v1/stats/legislation/",
    "/api/v1/staff/stats/legislation/",
    *(
        f"/api/v1/staff/cases/{{tracking_number}}/actions/{action}/"
        for action in [
            "accept",
            "request_info",
            "supplement",
            "merge",
            "reject",
            "refer",
            "reply",
            "assign",
            "sign",
            "return",
            "request_extension",
            "decide_extension",
            "urge",
            "supervise",
            "release_co_handlers",
            "report",
            "answer",
            "record_delivery",
            "rate",
            "withdraw",
        ]
    ),
}
# Paths with a GET (the others are POST only), which the property test below exercises.
GET_PATHS = {
    "/api/v1/regions/",
    "/api/v1/stations/",
    "/api/v1/stations/{public_code}/",
    "/api/v1/deputies/",
    "/api/v1/deputies/{public_code}/",
    "/api/v1/departments/",
    "/api/v1/categories/",
    "/api/v1/calendar/add-working-days",
    "/api/v1/calendar/{year}",
    "/api/v1/cases/{tracking_number}",
    "/api/v1/staff/cases/",
    "/api/v1/staff/cases/{tracking_number}/",
    "/api/v1/staff/files/{token}/",
    "/api/v1/staff/receptions/",
    "/api/v1/me/notifications/",
    "/api/v1/activities/",
    "/api/v1/activities/{public_code}/",
    "/api/v1/stations/{public_code}/calendar",
    "/api/v1/regions/{code}/calendar",
    "/api/v1/stations/{public_code}/slots",
    "/api/v1/appointments/{code}",
    "/api/v1/staff/appointments/",
    "/api/v1/staff/appointments/{id}/",
    "/api/v1/suggestions/",
    "/api/v1/suggestions/{number}/",
    "/api/v1/deputies/{public_code}/record",
    "/api/v1/staff/suggestions/",
    "/api/v1/staff/suggestions/assignments/",
    "/api/v1/staff/suggestions/outcomes/",
    "/api/v1/stats/",
    "/api/v1/staff/stats/",
    "/api/v1/stats/open-data/{month}/",
    "/api/v1/stats/legislation/",
    "/api/v1/staff/stats/legislation/",
}


def test_schema_lists_every_endpoint_with_error_bodies(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == EXPECTED_PATHS
    stations = schema["paths"]["/api/v1/stations/"]["get"]
    assert {"200", "400", "404", "429"} <= set(stations["responses"])
    error = stations["responses"]["429"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/Error"}
    assert "bearer" in str(schema["components"]["securitySchemes"]).lower()


def test_docs_page_uses_only_our_static_files(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    # Swagger UI's start-up script comes from the page's own URL (the Content-Security-Policy
    # allows no inline script, docs/deployment.md); everything else from our static files.
    script = [u for u in urls if u.startswith("/api/v1/docs?script")]
    assert len(script) == 1 and all(u.startswith("/static/") for u in urls if u not in script)
    start_up = client.get(script[0].replace("&amp;", "&")).content.decode()
    assert "/api/v1/openapi.json" in start_up
    for text in (html, start_up):
        assert "cdn" not in text.lower() and "https://" not in text


@pytest.fixture
def wsgi_app():
    """The WSGI app as schemathesis calls it, without closing the test's database connection
    after each request (Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_get_endpoints_keep_to_the_schema(district, settings, wsgi_app):
    settings.ALLOWED_HOSTS = ["*"]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operations = [
        result.ok() for result in schema.get_all_operations() if result.ok().method == "get"
    ]
    assert {operation.path for operation in operations} == GET_PATHS
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=20,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            # The statistics' period is refused when inverted or over 10 years: a rule across two
            # parameters that OpenAPI cannot state, so a "schema-valid" period may get a 400.
            excluded = [positive_data_acceptance] if "/stats/" in case.path else []
            response = case.call_and_validate(excluded_checks=excluded)
            assert response.status_code < 500

        check()


@pytest.mark.django_db
def test_post_endpoints_keep_to_the_schema(district, settings, wsgi_app):
    """Random bodies for every POST endpoint, unauthenticated as a partner's first attempt
    would be: refusals in the documented error body, never a 5xx."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.LIAISON_RATE_MESSAGES_PER_IP = 10_000
    settings.LIAISON_RATE_MESSAGES_PER_PHONE = 10_000
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operations = [
        result.ok() for result in schema.get_all_operations() if result.ok().method == "post"
    ]
    # Two collections also take a POST (staff entry, registering a visit).
    both = {"/api/v1/staff/cases/", "/api/v1/staff/receptions/"}
    assert {operation.path for operation in operations} == EXPECTED_PATHS - GET_PATHS | both
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=10,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            # Random but schema-valid bodies name categories and stations that do not exist; a
            # 400 for them is right, so "positive data acceptance" is not a check here.
            response = case.call_and_validate(
                checks=[
                    schemathesis.checks.not_a_server_error,
                    schemathesis.checks.response_schema_conformance,
                    schemathesis.checks.status_code_conformance,
                    schemathesis.checks.content_type_conformance,
                ]
            )
            assert response.status_code < 500

        check()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "anonymous"])
def test_every_operation_passes_every_check(who, accounts, settings, wsgi_app):
    """What `make fuzz` runs against PostgreSQL, small: every operation, schema-valid and
    schema-violating data, every schemathesis check (5xx, status codes, content types, headers,
    bodies, refusing what the schema forbids, accepting what it allows, auth really checked,
    undocumented methods), with the same settings file."""
    settings.ALLOWED_HOSTS = ["*"]
    for limit in ("MESSAGES_PER_IP", "MESSAGES_PER_PHONE", "TRACKING_FAILURES_PER_IP"):
        setattr(settings, f"LIAISON_RATE_{limit}", 10_000)
    headers = {}
    if who == "staff":
        _key, raw = create_key(name="fuzz", user=accounts.county_committee, scopes=["staff"])
        headers = {"Authorization": f"Bearer {raw}"}
    config = SchemathesisConfig.from_path(FUZZ_CONFIG)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app, config=config)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(
                max_examples=3,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            def check(case):
                case.call_and_validate(headers=headers)

            try:
                check()
            except Unsatisfiable:
                continue  # no schema-violating request exists (a path of free text alone)
            except Exception as failure:  # every operation is tried; all failures reported
                failures.append(f"{operation.label} ({mode.value}): {str(failure)[:800]}")
    assert not failures, "\n\n".join(failures)
