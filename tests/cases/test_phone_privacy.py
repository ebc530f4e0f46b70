"""PIPL: the citizen's phone in full only for who must call back, and every full view logged;
the admin shows it masked."""

import pytest

from liaison.cases import services
from liaison.cases.selectors import citizen_phone
from liaison.core.models import AuditEvent

FULL = "13912345678"
MASKED = "139****5678"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("station_a_staff", FULL),
        ("deputy_a", FULL),
        ("station_b_staff", MASKED),
        ("street_a_committee", MASKED),
        ("administrator", MASKED),
        ("handler_a", MASKED),  # assigned, but without the citizen's consent
    ],
)
def test_who_sees_the_full_phone(flow, accounts, role, expected):
    case = flow.to("assigned")
    user = getattr(accounts, role)
    assert citizen_phone(case, user, surface="staff_page") == expected
    logged = AuditEvent.objects.filter(verb="case.phone_viewed", object_id=str(case.pk))
    assert logged.count() == (1 if expected == FULL else 0)
    if expected == FULL:
        assert logged.get().actor == user


def test_a_department_sees_it_with_consent(flow, accounts, district):
    case = services.assign_case(
        flow.to("to_assign"),
        actor=accounts.street_a_committee,
        lead_department=district.department_a,
        share_contact=True,
        consent={"how": "电话中口头同意"},
    )
    assert citizen_phone(case, accounts.handler_a, surface="staff_page") == FULL


def test_admin_lists_cases_with_masked_phones(client, flow, accounts):
    case = flow.submit()
    client.force_login(accounts.administrator)
    listing = client.get("/admin/cases/case/", {"q": case.tracking_number})
    detail = client.get(f"/admin/cases/case/{case.pk}/change/")
    for response in (listing, detail):
        assert response.status_code == 200
        body = response.content.decode()
        assert MASKED in body and FULL not in body
    assert case.tracking_number in listing.content.decode()


def test_admin_is_for_administrators_only(client, flow, accounts):
    case = flow.submit()
    client.force_login(accounts.station_a_staff)
    assert client.get(f"/admin/cases/case/{case.pk}/change/").status_code in (302, 403, 404)
