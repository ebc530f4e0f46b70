"""The tracking page /t/<number> and the lookup /track/: the number plus the phone's last 4
digits (or an SMS code) open it for this browser only; failures are rate-limited; the page shows
the public timeline only."""

import pytest
from django.test import Client

from liaison.cases import services
from liaison.cases.models import Case, CasePhoto

from .public_support import (
    PHONE,
    deputy_form_url,
    english,
    jpeg,
    last_code,
    message_data,
)

pytestmark = pytest.mark.django_db


def _open(client, case, last4=PHONE[-4:]):
    return client.post(f"/t/{case.tracking_number}", {"action": "last4", "last4": last4})


def test_the_page_asks_for_the_last_four_digits_first(client, flow):
    english(client)
    case = flow.submit()
    response = client.get(f"/t/{case.tracking_number}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "The last 4 digits of your mobile phone" in html
    assert case.title not in html and case.description not in html


def test_the_right_digits_open_the_page_for_that_case_only(client, flow):
    english(client)
    case = flow.submit()
    other = flow.submit(title="另一件事")
    response = _open(client, case)
    assert response.status_code == 302 and response["Location"] == f"/t/{case.tracking_number}"
    page = client.get(f"/t/{case.tracking_number}").content.decode()
    assert case.title in page and "Awaiting review" in page
    assert "另一件事" not in client.get(f"/t/{other.tracking_number}").content.decode()
    assert Client().get(f"/t/{case.tracking_number}").context.get("case") is None


def test_wrong_digits_are_refused_then_rate_limited(client, flow, settings):
    english(client)
    settings.LIAISON_RATE_TRACKING_FAILURES_PER_NUMBER = 3
    case = flow.submit()
    for _ in range(3):
        response = _open(client, case, last4="0000")
        assert response.status_code == 400
        assert "do not match" in response.content.decode()
    response = _open(client, case)  # even the right digits now wait
    assert response.status_code == 429
    assert "Too many wrong digits were typed for this number" in response.content.decode()
    assert client.get(f"/t/{case.tracking_number}").context.get("case") is None


def test_failures_per_client_address_are_limited_across_numbers(client, flow, settings):
    settings.LIAISON_RATE_TRACKING_FAILURES_PER_IP = 2
    cases = [flow.submit() for _ in range(3)]
    assert _open(client, cases[0], "0000").status_code == 400
    assert _open(client, cases[1], "0000").status_code == 400
    assert _open(client, cases[2]).status_code == 429
    assert _open(Client(REMOTE_ADDR="10.1.1.1"), cases[2]).status_code == 302


def test_an_unknown_number_gets_the_same_answer(client, flow):
    english(client)
    response = client.post("/t/1234567890", {"action": "last4", "last4": "5678"})
    assert response.status_code == 400 and "do not match" in response.content.decode()
    assert client.get("/t/12345").status_code == 404


def test_malformed_digits_are_explained(client, flow):
    english(client)
    case = flow.submit()
    response = _open(client, case, last4="56")
    assert response.status_code == 400
    assert "Please type exactly 4 digits." in response.content.decode()


def test_the_lookup_form_opens_the_page(client, flow):
    english(client)
    case = flow.submit()
    number = case.tracking_number
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    response = client.post("/track/", {"number": spaced, "last4": PHONE[-4:]})
    assert response.status_code == 302 and response["Location"] == f"/t/{number}"
    bad = client.post("/track/", {"number": number, "last4": "1111"})
    assert bad.status_code == 400 and "do not match" in bad.content.decode()
    short = client.post("/track/", {"number": "123", "last4": "1111"})
    assert "The tracking number has 10 digits." in short.content.decode()


def test_an_sms_code_opens_the_page_instead(client, flow, settings):
    settings.DEMO_MODE = True
    case = flow.submit()
    url = f"/t/{case.tracking_number}"
    assert client.post(url, {"action": "send_code"}).status_code == 302
    code = last_code()
    assert code in client.get(url).content.decode()  # demo mode shows it
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert client.post(url, {"action": "code", "code": wrong}).status_code == 400
    assert client.post(url, {"action": "code", "code": code}).status_code == 302
    assert client.get(url).context["case"] == case


def test_unconfirmed_drafts_cannot_be_tracked(client, district):
    client.post(deputy_form_url(district), message_data(district))
    draft = Case.objects.get()
    assert (
        Client()
        .post(f"/t/{draft.tracking_number}", {"action": "last4", "last4": PHONE[-4:]})
        .status_code
        == 400
    )


def test_the_public_timeline_hides_internal_notes_and_staff_names(client, flow, accounts):
    accounts.station_a_staff.first_name, accounts.station_a_staff.last_name = "内部", "员工"
    accounts.station_a_staff.save()
    case = flow.to("assigned")
    services.return_assignment(case, actor=accounts.handler_a, reason="内部退回理由")
    english(client)
    _open(client, case)
    html = client.get(f"/t/{case.tracking_number}").content.decode()
    assert "内部退回理由" not in html
    for name in ["station_a", "handler_a", "deputy_a", "street_a", "内部", "员工"]:
        assert name not in html
    assert "北山街道人大代表联络站" in html  # the station, as the actor
    assert "张明华" in html and "已收到，建议交办。" in html  # the deputy's reply
    assert "Passed to 北山街道城市管理科 for handling" in html


def test_the_page_shows_the_due_date_and_its_explanation(client, flow):
    english(client)
    case = flow.to("accepted")
    _open(client, case)
    html = client.get(f"/t/{case.tracking_number}").content.decode()
    assert "The current step is due by the end of" in html
    assert "How was this date counted?" in html and "deadline-explanation" in html


def test_photos_are_shown_to_whoever_opened_the_page_only(client, district):
    data = message_data(district)
    data["photos"] = [jpeg()]
    client.post(deputy_form_url(district), data)
    client.post("/message/confirm/", {"code": last_code()})
    photo = CasePhoto.objects.get()
    url = f"/t/{photo.case.tracking_number}/photos/{photo.pk}.jpg"
    assert url in client.get(f"/t/{photo.case.tracking_number}").content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    assert Client().get(url).status_code == 404


def test_a_merged_message_follows_the_main_case(client, flow, accounts):
    english(client)
    main = flow.submit(citizen_phone="13800001111", citizen_name="王先生", title="主案件")
    case = flow.submit()
    services.merge_case(case, main, actor=accounts.station_a_staff)
    services.accept_case(main, actor=accounts.station_a_staff)
    _open(client, case)
    html = client.get(f"/t/{case.tracking_number}").content.decode()
    assert f"Your message was merged into case {main.tracking_number}" in html
    assert "2 people raised this matter" in html
    assert "Accepted, awaiting the deputy" in html  # the main case's status
    assert "13800001111" not in html and "王先生" not in html


def test_query_count_is_bounded(client, flow, accounts, django_assert_max_num_queries):
    case = flow.submit()
    for _ in range(3):
        services.merge_case(flow.submit(), case, actor=accounts.station_a_staff)
    case = services.accept_case(case, actor=accounts.station_a_staff)
    for _ in range(3):
        CasePhoto.objects.create(case=case, image="cases/photos/x.jpg")
    _open(client, case)
    client.cookies["django_language"] = "en"
    with django_assert_max_num_queries(10):
        response = client.get(f"/t/{case.tracking_number}")
    assert response.status_code == 200
    assert "4 people raised this matter" in response.content.decode()
