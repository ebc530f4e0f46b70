"""Suggestions over the API: the public list and page (answered ones only, no citizen's data),
rating once per voter and limited per address, the three staff lists with the pages' filters and
scope, and a deputy's public record (the public deputy page's data)."""

import json

import pytest

from liaison.api.keys import create_key
from liaison.suggestions.models import PublicRating

from ..suggestions.conftest import at_step, draft, make_case, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
VOTER = "a" * 32


def test_public_list_and_detail_answered_only(api, at_step, make_case):  # noqa: F811
    closed = at_step("closed", cases=[make_case()])
    assigned = at_step("assigned", title="关于增设路灯的建议")
    rows = api.get("/api/v1/suggestions/").json()["results"]
    assert [r["number"] for r in rows] == [closed.number]
    assert api.get(f"/api/v1/suggestions/{assigned.number}/").status_code == 404
    response = api.get(f"/api/v1/suggestions/{closed.number}/")
    assert response.status_code == 200
    body = response.json()
    assert body["achieved"] == "新增车位200个" and body["lead_deputy"]["name"] == "张明华"
    assert body["from_cases"] == 1 and {u["role"] for u in body["units"]} == {"lead", "joint", "co"}
    text = json.dumps(body, ensure_ascii=False)
    assert "陈女士" not in text and "13900001111" not in text and "1111" not in text
    assert api.get("/api/v1/suggestions/?q=路灯").json()["count"] == 0


def test_rating_once_per_voter(api, at_step):  # noqa: F811
    s = at_step("closed")
    url = f"/api/v1/suggestions/{s.number}/rate"
    done = api.post(url, {"rating": "satisfied", "voter": VOTER}, format="json")
    assert done.status_code == 201
    assert {r["rating"]: r["count"] for r in done.json()["ratings"]}["satisfied"] == 1
    twice = api.post(url, {"rating": "basic", "voter": VOTER}, format="json")
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_rated"
    bad = api.post(url, {"rating": "excellent", "voter": "b" * 32}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "rating"
    short = api.post(url, {"rating": "basic", "voter": "x"}, format="json")
    assert short.status_code == 400 and short.json()["error"]["field"] == "voter"
    assert PublicRating.objects.count() == 1


def test_rating_limited_per_address_except_partner_keys(api, at_step, settings):  # noqa: F811
    settings.LIAISON_RATE_SUGGESTION_RATINGS_PER_IP = 1
    s = at_step("closed")
    url = f"/api/v1/suggestions/{s.number}/rate"
    assert api.post(url, {"rating": "basic", "voter": "c" * 20}).status_code == 201
    assert api.post(url, {"rating": "basic", "voter": "d" * 20}).status_code == 429
    _key, raw = create_key(name="city app", scopes=["cases:submit"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.post(url, {"rating": "basic", "voter": "d" * 20}).status_code == 201


def test_deputy_public_record(api, district, at_step, make_case):  # noqa: F811
    s = at_step("assigned")
    make_case()  # not public: no consent
    response = api.get(f"/api/v1/deputies/{district.dep_a.public_code}/record")
    assert response.status_code == 200
    body = response.json()
    assert len(body["three_ones"]["months"]) == 12 and len(body["three_ones"]["quarters"]) == 4
    assert body["public_cases"] == []
    assert [x["number"] for x in body["suggestions"]] == [s.number]  # submitted this year
    text = json.dumps(body, ensure_ascii=False)
    assert "陈女士" not in text and "13900001111" not in text
    assert api.get("/api/v1/deputies/nope/record").status_code == 404


# --- staff lists ---------------------------------------------------------------------------------


@pytest.fixture
def as_user(api):
    def sign_in(user, scopes=("staff",)):
        _key, raw = create_key(name="test", user=user, scopes=list(scopes))
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
        return api

    return sign_in


def test_three_lists_scope_and_filters(as_user, people, district, at_step):  # noqa: F811
    closed = at_step("closed")
    submitted = at_step("submitted", title="关于增设路灯的建议")
    api = as_user(people.county_committee)
    rows = api.get("/api/v1/staff/suggestions/").json()["results"]
    assert {r["id"] for r in rows} == {closed.pk, submitted.pk}
    only = api.get("/api/v1/staff/suggestions/?status=submitted").json()["results"]
    assert [r["id"] for r in only] == [submitted.pk]
    by_code = api.get(f"/api/v1/staff/suggestions/?category={district.category.code}")
    assert by_code.json()["count"] == 2
    # An unknown code matches nothing, as in every list of the API (a schema-valid request).
    unknown = api.get("/api/v1/staff/suggestions/?category=nope")
    assert unknown.status_code == 200 and unknown.json()["count"] == 0
    bad = api.get("/api/v1/staff/suggestions/?status=lost")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "status"
    assignments = api.get(
        f"/api/v1/staff/suggestions/assignments/?department={district.department_county.code}"
    ).json()["results"]
    assert [(a["suggestion"], a["role"]) for a in assignments] == [(closed.number, "lead")]
    outcomes = api.get("/api/v1/staff/suggestions/outcomes/?grade=B").json()["results"]
    assert [(o["number"], o["lead_unit"]) for o in outcomes] == [
        (closed.number, district.department_county.code)
    ]
    # A unit sees only what it has a part in; another street's committee nothing of street A.
    handler = as_user(people.other_handler).get("/api/v1/staff/suggestions/").json()["results"]
    assert [r["id"] for r in handler] == [closed.pk]
    assert as_user(people.street_b_committee).get("/api/v1/staff/suggestions/").json()["count"] == 0
    assert (
        as_user(people.deputy_a, scopes=["cases:read"])
        .get("/api/v1/staff/suggestions/")
        .status_code
        == 403
    )


def test_staff_lists_need_an_account(api, at_step):  # noqa: F811
    at_step("closed")
    assert api.get("/api/v1/staff/suggestions/outcomes/").status_code == 401
    _key, raw = create_key(name="city app", scopes=["cases:submit", "staff"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/staff/suggestions/").status_code == 403
