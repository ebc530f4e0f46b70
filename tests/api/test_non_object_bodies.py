"""A JSON body that is not an object (a list, a string, a number, null) is a 400 problem document
on every POST endpoint of the API, never a 500 (issue 15). The URLs come from the resolver; the
objects in them exist, so each view gets as far as reading its body."""

import re

import pytest
from django.urls import URLPattern, get_resolver

from liaison.api.keys import create_key

from ..cases.conftest import Flow

BODIES = ["[]", '[{"note": "x"}]', '"accept"', "42", "null", "true"]


def api_post_patterns():
    """(route, view class) of every API URL whose view takes a POST."""
    api = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/")
    for entry in api.url_patterns:
        view = getattr(entry.callback, "cls", None) if isinstance(entry, URLPattern) else None
        if view is not None and hasattr(view, "post"):
            yield str(entry.pattern), view


def test_the_list_has_every_kind_of_post_endpoint():
    routes = {route for route, _view in api_post_patterns()}
    assert "staff/cases/<str:tracking_number>/actions/accept/" in routes
    assert "staff/appointments/<int:pk>/actions/confirm/" in routes
    assert "stations/<str:public_code>/appointments" in routes
    assert "cases/" in routes and "me/notifications/read/" in routes
    assert len(routes) >= 35


@pytest.mark.django_db
def test_non_object_json_bodies_are_400_everywhere(api, district, accounts):
    case = Flow(district, accounts).submit()
    values = {
        "tracking_number": case.tracking_number,
        "public_code": district.station_a.public_code,
        "pk": "1",
        "code": "12345678",
        "number": "1",
    }
    _key, raw = create_key(name="probe", user=accounts.administrator, scopes=["staff"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    schema = api.get("/api/v1/openapi.json").json()["paths"]
    seen = []
    for route, _view in api_post_patterns():
        url = "/api/v1/" + route
        template = re.sub(r"<\w+:(\w+)>", r"{\1}", url).replace("{pk}", "{id}")
        takes_body = "requestBody" in schema[template]["post"]
        for name, value in values.items():
            url = url.replace(f"<str:{name}>", value).replace(f"<int:{name}>", value)
        for body in BODIES:
            response = api.post(url, body, content_type="application/json")
            seen.append((url, body, response.status_code))
            if not takes_body:  # documented as taking no body: it is not read, whatever it is
                assert response.status_code < 500, (url, body)
                continue
            assert response.status_code in (400, 404), (url, body, response.content[:300])
            problem = response.json()
            assert problem["status"] == response.status_code
            assert problem["type"].startswith("urn:liaison:error:")
    refused = [entry for entry in seen if entry[2] == 400]
    # A view may look its object up first (404), but most read the body: the parser refuses it.
    assert len(refused) >= len(seen) * 3 // 4, [entry for entry in seen if entry[2] != 400]
