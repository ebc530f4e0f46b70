"""Who sees what, proved over HTTP for every role (docs/design.md, rule 4).

The admin changelists start from `restrict`, so the rows each role can see are the rows each list
shows; a row outside the scope answers 404 (the admin's answer for "not yours") or 403.
"""

import pytest

EVERYONE = [
    "administrator",
    "county_committee",
    "street_a_committee",
    "station_a_staff",
    "station_b_staff",
    "deputy_a",
    "handler_a",
]

STATIONS = {
    "administrator": {"station_a", "room_a1", "station_b"},
    "county_committee": {"station_a", "room_a1", "station_b"},
    "street_a_committee": {"station_a", "room_a1"},
    "station_a_staff": {"station_a"},
    "station_b_staff": {"station_b"},
    "deputy_a": {"station_a"},
    "handler_a": set(),
}
DEPUTIES = {
    "administrator": {"dep_a", "dep_shared", "dep_b"},
    "county_committee": {"dep_a", "dep_shared", "dep_b"},
    # dep_shared lives at county level but sits in street A's station.
    "street_a_committee": {"dep_a", "dep_shared"},
    "station_a_staff": {"dep_a", "dep_shared"},
    "station_b_staff": {"dep_shared", "dep_b"},
    "deputy_a": {"dep_a"},
    "handler_a": set(),
}
DEPARTMENTS = {
    "administrator": {"department_county", "department_a", "department_b"},
    "county_committee": {"department_county", "department_a", "department_b"},
    "street_a_committee": {"department_a"},
    "station_a_staff": set(),
    "station_b_staff": set(),
    "deputy_a": set(),
    "handler_a": {"department_a"},
}


def _listed(client, url, district, names):
    response = client.get(url)
    if response.status_code == 403:
        return set()
    assert response.status_code == 200, url
    body = response.content.decode()
    return {key for key in names if getattr(district, key).name in body}


@pytest.mark.parametrize("role", EVERYONE)
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/admin/directory/station/", STATIONS),
        ("/admin/directory/deputy/", DEPUTIES),
        ("/admin/directory/department/", DEPARTMENTS),
    ],
)
def test_each_role_lists_exactly_its_scope(client, district, accounts, role, url, expected):
    client.force_login(getattr(accounts, role))
    all_keys = set().union(*expected.values())
    assert _listed(client, url, district, all_keys) == expected[role]


@pytest.mark.parametrize("role", EVERYONE)
def test_object_pages_outside_the_scope_are_refused(client, district, accounts, role):
    client.force_login(getattr(accounts, role))
    for key in {"station_a", "room_a1", "station_b"}:
        station = getattr(district, key)
        response = client.get(f"/admin/directory/station/{station.pk}/change/")
        if key in STATIONS[role]:
            assert response.status_code == 200
        else:
            # The admin answers a row outside the queryset with a redirect to its index, or 403
            # when the model itself is off limits; it never shows the row.
            assert response.status_code in (302, 403)
            assert station.address not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [(role, 200 if role == "administrator" else 403) for role in EVERYONE],
)
def test_only_administrators_manage_accounts_and_audit(client, accounts, role, status):
    client.force_login(getattr(accounts, role))
    assert client.get("/admin/accounts/user/").status_code == status
    assert client.get("/admin/core/auditevent/").status_code == status


def test_regions_are_visible_to_committees_within_their_subtree(client, district, accounts):
    client.force_login(accounts.street_a_committee)
    body = client.get("/admin/directory/region/").content.decode()
    assert district.community_a1.name in body
    assert district.street_b.name not in body
    client.force_login(accounts.station_a_staff)
    assert client.get("/admin/directory/region/").status_code == 403


def test_anonymous_visitors_are_sent_to_the_admin_login(client, district):
    response = client.get("/admin/directory/station/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("role", EVERYONE)
def test_workspace_counts_follow_the_scope(client, district, accounts, role):
    client.force_login(getattr(accounts, role))
    response = client.get("/accounts/")
    assert response.status_code == 200
    assert response.context["station_count"] == len(STATIONS[role])
    assert response.context["deputy_count"] == len(DEPUTIES[role])
    assert response.context["department_count"] == len(DEPARTMENTS[role])
