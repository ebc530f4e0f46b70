"""Every error under /api/ is a JSON problem document (issue 15), also those Django answers before
a view runs: an unknown path, a body over the limit, a crash."""

import pytest
from django.test import Client

from liaison.api import views


def assert_problem(response, status: int, code: str):
    assert response.status_code == status, response.content[:200]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status and body["error"]["code"] == code
    assert body["type"] == f"urn:liaison:error:{code}"
    assert body["title"] and body["detail"] == body["error"]["message"]


def test_unknown_paths_and_objects_are_json_404(api, db):
    assert_problem(api.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_problem(api.get("/api/nope/"), 404, "not_found")
    assert_problem(api.get("/api/v1/stations/nope/"), 404, "not_found")
    english = api.get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "Not found." and english["Content-Language"] == "en"


def test_pages_outside_the_api_stay_html(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_method_not_allowed_and_unauthenticated(api, db):
    assert_problem(api.delete("/api/v1/stations/"), 405, "method_not_allowed")
    assert_problem(api.get("/api/v1/staff/cases/"), 401, "not_authenticated")


def test_body_over_the_limit_is_413(api, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = api.post(
        "/api/v1/me/notifications/read/",
        '{"ids": [' + "1," * 200 + "1]}",
        content_type="application/json",
    )
    assert_problem(response, 413, "too_large")


def test_malformed_json_is_400(api, db):
    response = api.post("/api/v1/cases/", "{not json", content_type="application/json")
    assert_problem(response, 400, "parse_error")


@pytest.mark.django_db
def test_a_crash_is_a_json_500(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.CategoryList, "get", broken)
    client = Client(raise_request_exception=False)
    assert_problem(client.get("/api/v1/categories/"), 500, "server_error")


def test_schema_documents_the_errors_per_operation(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            assert {"400", "401", "403", "404", "405", "429", "500"} <= statuses, (path, method)
            if method == "post":
                assert "413" in statuses, path
    parameter = paths["/api/v1/stations/"]["get"]["parameters"]
    free_text = [
        p
        for p in parameter
        if p["schema"].get("type") == "string" and not {"enum", "format"} & p["schema"].keys()
    ]
    assert free_text and all(p["schema"].get("pattern") for p in free_text)
