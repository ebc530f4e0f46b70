"""附议 ("me too", issue 18): the public case page, support with a phone proved by an SMS code,
one per phone per case, the count on the case, and the supporters told of the answer."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from liaison.api.keys import create_key
from liaison.cases import links, services
from liaison.cases.models import Case, Support
from liaison.core.privacy import apply_retention
from liaison.notifications.models import Notification

from .conftest import PHONE

SUPPORTER = "13800002222"
OTHER = "13700003333"


@pytest.fixture
def client(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def public(flow):
    return flow.to("in_progress", public_consent=True)


def page_url(case) -> str:
    return reverse("cases:public-case", args=[links.public_key(case)])


def code_url(case) -> str:
    return reverse("cases:public-case-code", args=[links.public_key(case)])


def support_url(case) -> str:
    return reverse("cases:public-case-support", args=[links.public_key(case)])


def last_code(phone: str) -> str:
    body = Notification.objects.filter(recipient=phone).order_by("-id").first().body
    return re.search(r"(?<!\d)(\d{6})(?!\d)", body).group(1)


def support_through_pages(client, case, phone=SUPPORTER):
    asked = client.post(code_url(case), {"phone": phone})
    assert asked.status_code == 200, asked.content.decode()[:2000]
    done = client.post(support_url(case), {"phone": phone, "code": last_code(phone)})
    assert done.status_code == 302 and done["Location"] == page_url(case)
    return done


def test_the_public_page_shows_the_matter_and_no_person(client, public):
    page = client.get(page_url(public))
    assert page.status_code == 200
    html = page.content.decode()
    assert public.title in html and public.category.name in html
    assert public.station.name in html and public.deputy.name in html
    assert "0 citizens support this matter" in html
    assert "Being handled by the department" in html  # the status
    assert "Message received" in html  # the public timeline
    for private in ("陈女士", PHONE, "139****5678", public.tracking_number, public.description):
        assert private not in html
    # No JavaScript needed: the first step is a plain form post to the code URL.
    assert f'<form method="post" action="{code_url(public)}"' in html


def test_support_with_the_code_through_plain_form_posts(client, public):
    asked = client.post(code_url(public), {"phone": "138 0000 2222"})
    assert asked.status_code == 200
    assert f'<form method="post" action="{support_url(public)}"' in asked.content.decode()
    sms = Notification.objects.filter(recipient=SUPPORTER).get()
    assert sms.template == "case_support_code" and public.tracking_number not in sms.body
    assert not Support.objects.exists()  # nothing counted before the code
    done = client.post(support_url(public), {"phone": SUPPORTER, "code": last_code(SUPPORTER)})
    assert done.status_code == 302
    page = client.get(done["Location"]).content.decode()
    assert "Your support has been counted" in page
    assert "1 citizen supports this matter" in page
    public.refresh_from_db()
    assert public.supporters == 1
    row = Support.objects.get()
    assert row.phone == SUPPORTER and SUPPORTER not in row.phone_hash
    event = public.events.get(verb="case.supported")
    assert not event.is_public and event.data == {"supporters": 1}
    assert SUPPORTER not in str(event.data) + event.note + event.actor_label


def test_a_wrong_code_counts_nothing(client, public):
    client.post(code_url(public), {"phone": SUPPORTER})
    code = last_code(SUPPORTER)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(support_url(public), {"phone": SUPPORTER, "code": wrong})
    assert response.status_code == 400
    assert "The code is not right" in response.content.decode()
    public.refresh_from_db()
    assert public.supporters == 0 and not Support.objects.exists()
    assert not public.events.filter(verb="case.supported").exists()


def test_the_same_phone_twice_is_told_politely(client, public):
    support_through_pages(client, public)
    again = client.post(code_url(public), {"phone": SUPPORTER})
    assert again.status_code == 400
    assert "You have already supported this matter" in again.content.decode()
    assert Notification.objects.filter(recipient=SUPPORTER).count() == 1  # no second code
    with pytest.raises(ValidationError) as refused:
        services.support_case(public, phone=SUPPORTER)  # the unique hash, not only the page
    assert "already supported" in str(refused.value)
    public.refresh_from_db()
    assert public.supporters == 1 == Support.objects.count()


def test_a_code_sent_before_the_first_support_cannot_count_twice(client, public):
    client.post(code_url(public), {"phone": SUPPORTER})
    first = last_code(SUPPORTER)
    services.support_case(public, phone=SUPPORTER)  # counted meanwhile (another tab)
    response = client.post(support_url(public), {"phone": SUPPORTER, "code": first})
    assert response.status_code == 409
    assert "You have already supported this matter" in response.content.decode()
    assert Support.objects.count() == 1


def test_the_citizens_own_phone_counts_already(client, public):
    response = client.post(code_url(public), {"phone": PHONE})
    assert response.status_code == 400
    assert "You have already supported this matter" in response.content.decode()
    with pytest.raises(ValidationError):
        services.support_case(public, phone=PHONE)
    assert not Support.objects.exists()


def test_a_bad_phone_names_the_field(client, public):
    response = client.post(code_url(public), {"phone": "12345"})
    assert response.status_code == 400
    assert 'id="id_phone_error"' in response.content.decode()
    assert not Notification.objects.filter(template="case_support_code").exists()


@pytest.mark.parametrize(
    "overrides",
    [{"public_consent": False}, {"public_consent": True, "confidential": True}],
    ids=["not-publishable", "confidential"],
)
def test_a_case_not_to_publish_is_404_everywhere(client, flow, overrides):
    case = flow.to("in_progress", **overrides)
    assert client.get(page_url(case)).status_code == 404
    assert client.post(code_url(case), {"phone": SUPPORTER}).status_code == 404
    response = client.post(support_url(case), {"phone": SUPPORTER, "code": "123456"})
    assert response.status_code == 404
    assert not Notification.objects.filter(recipient=SUPPORTER).exists()


def test_unreviewed_cases_and_made_up_keys_are_404(client, flow, public):
    unreviewed = flow.to("submitted", public_consent=True)
    assert client.get(page_url(unreviewed)).status_code == 404
    key = links.public_key(public)
    pk, mac = key.split("-")
    for bad in (pk, f"{pk}-", f"{pk}-{'0' * 16}", f"{int(pk) + 1}-{mac}", public.tracking_number):
        assert client.get(f"/c/{bad}").status_code == 404, bad
    assert client.get(f"/c/{key}").status_code == 200


def test_an_answered_case_shows_the_count_but_takes_no_more_support(client, flow):
    case = flow.to("answered", public_consent=True)
    page = client.get(page_url(case)).content.decode()
    assert "Text me a code" not in page
    response = client.post(code_url(case), {"phone": SUPPORTER})
    assert response.status_code == 409
    assert "no longer takes support" in response.content.decode()
    assert not Notification.objects.filter(recipient=SUPPORTER).exists()


def test_supporters_are_told_of_the_answer_once(flow, accounts, public):
    services.support_case(public, phone=SUPPORTER)
    services.support_case(public, phone=OTHER)
    case = services.report_result(public, actor=accounts.handler_a, text="已更换路灯。")
    case = services.answer_case(case, actor=accounts.deputy_a, text="路灯已修好。")
    told = Notification.objects.filter(template="case_answered_supported")
    assert sorted(told.values_list("recipient", flat=True)) == [OTHER, SUPPORTER]
    assert all(links.public_url(case) in n.body for n in told)
    assert not any(case.tracking_number in n.body for n in told)  # half of the citizen's key
    # The citizen gets their own text, not a supporter's.
    assert Notification.objects.filter(recipient=PHONE, template="case_answered").count() == 1
    # Deduped: the same answer queued again adds nothing.
    event = case.events.get(verb="case.answered")
    services.tell_supporters(case, event, [])
    assert told.count() == 2


def test_the_counter_equals_the_rows(public):
    phones = [f"1380000{n:04d}" for n in range(5)]
    for phone in phones:
        services.support_case(public, phone=phone)
    for phone in phones[:2]:
        with pytest.raises(ValidationError):
            services.support_case(public, phone=phone)
    public.refresh_from_db()
    assert public.supporters == Support.objects.filter(case=public).count() == 5
    assert public.events.filter(verb="case.supported").count() == 5


def test_staff_see_the_count_never_the_phone(client, accounts, public):
    services.support_case(public, phone=SUPPORTER)
    client.force_login(accounts.station_a_staff)
    page = client.get(reverse("staff:case-detail", args=[public.tracking_number]))
    html = page.content.decode()
    assert 'id="supporters">1<' in html
    assert SUPPORTER not in html and "138****2222" not in html
    api = APIClient()
    _key, raw = create_key(name="test", user=accounts.station_a_staff, scopes=["staff"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = api.get(f"/api/v1/staff/cases/{public.tracking_number}/").json()
    assert body["supporters"] == 1
    assert SUPPORTER not in str(body)


def test_the_queue_sorts_by_supporters(client, accounts, flow):
    few = flow.to("in_progress", public_consent=True, title="少人附议")
    many = flow.to("in_progress", public_consent=True, title="多人附议")
    for n in range(3):
        services.support_case(many, phone=f"1380000{n:04d}")
    services.support_case(few, phone=SUPPORTER)
    api = APIClient()
    _key, raw = create_key(name="test", user=accounts.station_a_staff, scopes=["staff"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    rows = api.get("/api/v1/staff/cases/?ordering=-supporters").json()["results"]
    numbers = [row["tracking_number"] for row in rows]
    assert numbers.index(many.tracking_number) < numbers.index(few.tracking_number)
    client.force_login(accounts.station_a_staff)
    queue = client.get(reverse("staff:case-queue") + "?tab=all&sort=supporters")
    assert queue.status_code == 200
    html = queue.content.decode()
    assert html.index(many.tracking_number) < html.index(few.tracking_number)


def test_the_deputy_record_links_the_public_page(client, district, public):
    services.support_case(public, phone=SUPPORTER)
    page = client.get(reverse("directory:deputy", args=[district.dep_a.public_code]))
    html = page.content.decode()
    assert f'href="{page_url(public)}"' in html
    assert "1 supporter" in html


def test_retention_empties_the_supporters_phones_of_closed_cases(settings, flow, public):
    services.support_case(public, phone=SUPPORTER)
    closed = flow.to("closed", public_consent=True)
    Support.objects.create(case=closed, phone_hash="x" * 64, phone=OTHER)
    Case.objects.filter(pk=closed.pk).update(closed_at=timezone.now() - timedelta(days=400))
    settings.LIAISON_RETENTION_DAYS = 365
    counts = apply_retention()
    assert counts["supporters"] == 1
    assert Support.objects.get(case=closed).phone == ""
    assert Support.objects.get(case=public).phone == SUPPORTER  # still open: still needed


def test_supports_are_counted_by_the_statistics_rollup(public):
    from liaison.stats import rollup
    from liaison.stats.models import CaseFigure

    services.support_case(public, phone=SUPPORTER)
    services.support_case(public, phone=OTHER)
    rollup.update()
    rows = CaseFigure.objects.filter(metric="supported", station_id=public.station_id)
    assert sum(rows.values_list("count", flat=True)) == 2


def test_the_citizen_sees_the_count_in_the_tracking_api(settings, public):
    settings.API_THROTTLE_ANON = "100000/min"
    services.support_case(public, phone=SUPPORTER)
    api = APIClient()
    tracked = api.get(f"/api/v1/cases/{public.tracking_number}?phone_last4=5678")
    assert tracked.status_code == 200
    assert tracked.json()["supporters"] == 1
    assert SUPPORTER not in tracked.content.decode()
