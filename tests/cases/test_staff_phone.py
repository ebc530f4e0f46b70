"""The citizen's phone on the case page: masked by default; "show full number" for the roles
that must call back, each view logged; refused (403, nothing logged) for the others."""

import pytest

from liaison.core.models import AuditEvent

from .staff_pages import PHONE_CALL, detail_url, signed_in

FULL, MASKED = "13912345678", "139****5678"


def logged(case):
    return AuditEvent.objects.filter(verb="case.phone_viewed", object_id=str(case.pk))


@pytest.mark.parametrize("role", ["station_a_staff", "deputy_a"])
def test_masked_until_revealed_and_logged(client, flow, accounts, role):
    case = flow.to("accepted", **PHONE_CALL)
    user = signed_in(client, getattr(accounts, role)) and getattr(accounts, role)
    page = client.get(detail_url(case)).content.decode()
    assert MASKED in page and FULL not in page
    assert "Show full number" in page
    assert not logged(case).exists()

    response = client.post(f"/staff/cases/{case.tracking_number}/phone/")
    assert response.status_code == 200
    assert f'href="tel:{FULL}"' in response.content.decode()
    assert logged(case).get().actor == user


@pytest.mark.parametrize("role", ["street_a_committee", "administrator", "handler_a"])
def test_refused_for_roles_that_need_not_call(client, flow, accounts, role):
    case = flow.to("assigned", **PHONE_CALL)  # handler_a: assigned without the consent
    signed_in(client, getattr(accounts, role))
    page = client.get(detail_url(case)).content.decode()
    assert MASKED in page and "Show full number" not in page
    response = client.post(f"/staff/cases/{case.tracking_number}/phone/")
    assert response.status_code == 403
    assert FULL not in response.content.decode()
    assert "may not see the citizen" in response.content.decode()
    assert not logged(case).exists()


def test_department_with_consent_may_reveal(client, flow, accounts, district):
    from liaison.cases import services

    case = services.assign_case(
        flow.to("to_assign", **PHONE_CALL),
        actor=accounts.street_a_committee,
        lead_department=district.department_a,
        share_contact=True,
        consent={"how": "电话"},
    )
    signed_in(client, accounts.handler_a)
    response = client.post(f"/staff/cases/{case.tracking_number}/phone/")
    assert response.status_code == 200 and FULL in response.content.decode()
    assert logged(case).get().actor == accounts.handler_a


def test_confidential_name_hidden_from_roles_without_the_phone(client, flow, accounts):
    case = flow.submit(confidential=True, **PHONE_CALL)
    signed_in(client, accounts.street_a_committee)
    page = client.get(detail_url(case)).content.decode()
    assert "陈女士" not in page and "(confidential)" in page
    signed_in(client, accounts.station_a_staff)
    assert "陈女士" in client.get(detail_url(case)).content.decode()
