"""Every surface where a citizen's name or phone could appear, for every role: the staff page
(and its "show full contact details"), the staff API, the Django admin, the reply letter (PDF),
the notices sent on the way (SMS, e-mail, inbox) and the 述职报告 (PDF). Masked or in full exactly
as the one rule says (cases/selectors.py may_see_name / may_see_contact, the "case.see_name" and
"case.see_full_phone" rows): a department only with the citizen's consent to share."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from liaison.api.keys import create_key
from liaison.cases import services
from liaison.cases.models import Case, Channel
from liaison.cases.workflow import Status
from liaison.core.models import AuditEvent
from liaison.notifications.models import Notification

from ..directory.test_signs import Pdf
from .staff_pages import detail_url, signed_in

pytestmark = pytest.mark.django_db

NAME, PHONE = "陈秀兰", "13912345678"
LANDLINE, ADDRESS = "0571-87654321", "杭州市西湖区保俶路12号3单元201室"
CONSENT = {"how": "电话中同意", "what": ["citizen_name", "citizen_phone"]}

# Who sees the name in full: (role, confidential, department consent) → bool. Phones and the
# address: only who calls back (the station, the deputy, a department with consent).
ROLES = [
    "station_a_staff",
    "deputy_a",
    "street_a_committee",
    "county_committee",
    "administrator",
    "handler_a",
]


def sees_name(role: str, *, confidential: bool, consent: bool) -> bool:
    if role in ("station_a_staff", "deputy_a"):
        return True
    if role == "handler_a":
        return consent
    return not confidential  # committees and administrators


def sees_contact(role: str, *, consent: bool) -> bool:
    return role in ("station_a_staff", "deputy_a") or (role == "handler_a" and consent)


def in_progress(flow, *, confidential: bool, consent: bool) -> Case:
    """A case being handled by department A, given with or without the citizen's consent."""
    a, d = flow.a, flow.d
    case = flow.submit(
        channel=Channel.PHONE,
        actor=a.station_a_staff,
        confidential=confidential,
        citizen_name=NAME,
        citizen_landline=LANDLINE,
        citizen_address=ADDRESS,
        public_consent=True,
    )
    case = services.accept_case(case, actor=a.station_a_staff)
    case = services.reply_case(case, actor=a.deputy_a, text="已收到，建议交办。", settle=False)
    case = services.assign_case(
        case,
        actor=a.street_a_committee,
        lead_department=d.department_a,
        share_contact=consent,
        consent=CONSENT if consent else None,
    )
    return services.sign_assignment(case, actor=a.handler_a)


def api_client(user) -> APIClient:
    _key, raw = create_key(name="t", user=user, scopes=["staff"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    return api


def contact_views(case) -> int:
    return AuditEvent.objects.filter(verb="case.phone_viewed", object_id=str(case.pk)).count()


@pytest.mark.parametrize("consent", [False, True], ids=["no-consent", "consent"])
@pytest.mark.parametrize("confidential", [False, True], ids=["open", "confidential"])
@pytest.mark.parametrize("role", ROLES)
def test_staff_page_api_and_admin(client, flow, accounts, role, confidential, consent):
    case = in_progress(flow, confidential=confidential, consent=consent)
    user = getattr(accounts, role)
    name = sees_name(role, confidential=confidential, consent=consent)
    contact = sees_contact(role, consent=consent)

    # The staff page: the name by the rule, the numbers always masked until "show".
    page = signed_in(client, user).get(detail_url(case))
    assert page.status_code == 200
    body = page.content.decode()
    assert (NAME in body) is name
    assert PHONE not in body and LANDLINE not in body and ADDRESS not in body
    assert "139****5678" in body
    if not name:
        withheld = "(confidential)" if confidential else "(not shared with your department)"
        assert withheld in body

    # "Show full contact details": in full, logged with where, or 403 and nothing logged.
    shown = client.post(reverse("staff:case-phone", args=[case.tracking_number]))
    body = shown.content.decode()
    assert shown.status_code == (200 if contact else 403)
    for value in (PHONE, LANDLINE, ADDRESS):
        assert (value in body) is contact
    assert contact_views(case) == (1 if contact else 0)
    if contact:
        logged = AuditEvent.objects.get(verb="case.phone_viewed", object_id=str(case.pk))
        assert logged.actor == user and logged.data == {"surface": "staff_page"}

    # The staff API: the same name rule; the numbers always masked, the address never.
    detail = api_client(user).get(f"/api/v1/staff/cases/{case.tracking_number}/")
    assert detail.status_code == 200
    data = detail.json()
    assert data["citizen_name"] == (NAME if name else "")
    assert data["citizen_phone"] == "139****5678"
    text = detail.content.decode()
    assert PHONE not in text and LANDLINE not in text and ADDRESS not in text
    listed = api_client(user).get("/api/v1/staff/cases/").content.decode()
    assert case.tracking_number in listed
    assert NAME not in listed and PHONE not in listed

    # The Django admin: administrators only, the name by the rule, the phone masked.
    admin_page = client.get(reverse("admin:cases_case_change", args=[case.pk]))
    if role == "administrator":
        assert admin_page.status_code == 200
        body = admin_page.content.decode()
        assert (NAME in body) is name
        assert PHONE not in body and ADDRESS not in body
        listing = client.get(reverse("admin:cases_case_changelist")).content.decode()
        assert NAME not in listing and PHONE not in listing
    else:
        assert admin_page.status_code in (302, 403)
        assert NAME not in admin_page.content.decode()


def test_out_of_scope_staff_see_nothing(client, flow, accounts):
    case = in_progress(flow, confidential=False, consent=True)
    response = signed_in(client, accounts.station_b_staff).get(detail_url(case))
    assert response.status_code == 404 and NAME not in response.content.decode()
    shown = client.post(reverse("staff:case-phone", args=[case.tracking_number]))
    assert shown.status_code == 404 and contact_views(case) == 0


def test_consent_ends_with_the_departments_assignment(client, flow, accounts):
    """The consent is to the department handling the case: once it reported, it no longer
    sees the name or the number (with_consent counts open assignments only)."""
    case = in_progress(flow, confidential=False, consent=True)
    services.report_result(case, actor=accounts.handler_a, text="已更换路灯。")
    body = signed_in(client, accounts.handler_a).get(detail_url(case)).content.decode()
    assert NAME not in body and "(not shared with your department)" in body
    assert client.post(reverse("staff:case-phone", args=[case.tracking_number])).status_code == 403


@pytest.fixture
def letter_case(flow, accounts):
    def make(confidential: bool) -> Case:
        return flow.to(
            Status.ANSWERED,
            channel=Channel.LETTER,
            citizen_phone="",
            citizen_name=NAME,
            citizen_address=ADDRESS,
            confidential=confidential,
            actor=accounts.station_a_staff,
        )

    return make


@pytest.mark.parametrize("confidential", [False, True], ids=["open", "confidential"])
@pytest.mark.parametrize(
    "role",
    ["station_a_staff", "street_a_committee", "deputy_a", "handler_a", "administrator"],
)
def test_the_reply_letter(client, accounts, letter_case, tmp_path, role, confidential):
    case = letter_case(confidential)
    user = getattr(accounts, role)
    response = signed_in(client, user).get(f"/staff/cases/{case.tracking_number}/reply-letter/")
    printed = AuditEvent.objects.filter(verb="case.reply_letter_printed")
    if role not in ("station_a_staff", "street_a_committee"):  # "case.deliver_answer"
        assert response.status_code == 403 and not printed.exists()
        return
    text = Pdf(response, tmp_path).text().replace("\n", "")
    name = sees_name(role, confidential=confidential, consent=False)
    address = sees_contact(role, consent=False)
    assert (NAME in text) is name
    assert (ADDRESS in text) is address
    assert "路灯已修好" in text  # the answer is there either way
    row = printed.get()
    assert row.actor == user and row.data["surface"] == "reply_letter"
    assert row.data["fields"] == [f for f, shown in (("name", name), ("address", address)) if shown]


def test_no_notice_carries_the_citizens_name_or_number(flow, accounts):
    """Every SMS, e-mail and inbox message written while a case is handled to the end, to the
    citizen and to every account: the citizen's phone is the SMS recipient and nowhere else."""
    for account in vars(accounts).values():
        account.email = f"{account.username}@example.org"
        account.save(update_fields=["email"])
    flow.to(Status.CLOSED, citizen_name=NAME)
    notices = list(Notification.objects.all())
    assert len(notices) > 3
    for notice in notices:
        assert NAME not in notice.body and PHONE not in notice.body, notice.template
        assert NAME not in notice.subject


def test_the_annual_report_names_no_citizen(client, flow, accounts, tmp_path):
    case = flow.to(Status.CLOSED, citizen_name=NAME, public_consent=True)
    year = timezone.localdate().year
    for role in ("deputy_a", "station_a_staff", "street_a_committee", "administrator"):
        signed_in(client, getattr(accounts, role))
        response = client.get(reverse("records:report", args=[flow.d.dep_a.pk]), {"year": year})
        text = Pdf(response, tmp_path).text()
        assert case.title in text.replace("\n", "")  # the matter, never the citizen
        assert NAME not in text and PHONE not in text


@pytest.mark.parametrize(
    ("what", "name", "contact"),
    [(["citizen_name"], True, False), (["citizen_phone"], False, True)],
    ids=["name-only", "phone-only"],
)
def test_the_department_sees_what_the_citizen_agreed_to(
    client, flow, accounts, what, name, contact
):
    a, d = flow.a, flow.d
    case = flow.to(Status.TO_ASSIGN, channel=Channel.PHONE, actor=a.station_a_staff)
    services.assign_case(
        case,
        actor=a.street_a_committee,
        lead_department=d.department_a,
        share_contact=True,
        consent={"how": "电话中同意", "what": what},
    )
    page = signed_in(client, a.handler_a).get(detail_url(case)).content.decode()
    assert ("陈女士" in page) is name
    shown = client.post(reverse("staff:case-phone", args=[case.tracking_number]))
    assert shown.status_code == (200 if contact else 403)
    assert (PHONE in shown.content.decode()) is contact
    data = api_client(a.handler_a).get(f"/api/v1/staff/cases/{case.tracking_number}/").json()
    assert data["citizen_name"] == ("陈女士" if name else "")
