"""我的留言和预约 (issue 16) and early erasure (issue 15, PIPL): a citizen finds every message and
booking under their mobile with an SMS code, the answer the same for any number, and erases the
personal data of closed messages after a confirmation screen."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from liaison.appointments.models import Appointment, AppointmentStatus
from liaison.cases import services
from liaison.cases.models import Case, CaseEvent, LookupCode
from liaison.cases.workflow import Status
from liaison.notifications import phonecodes
from liaison.notifications.models import Notification

from .public_support import PHONE, english

pytestmark = pytest.mark.django_db

STRANGER = "13800001111"


@pytest.fixture
def fixed_code(monkeypatch):
    monkeypatch.setattr(phonecodes, "new_code", lambda: "123456")
    return "123456"


def _booking(district, phone=PHONE, code="52718364"):
    return Appointment.objects.create(
        station=district.station_a,
        date=date.today() + timedelta(days=3),
        start_time=time(9),
        end_time=time(9, 30),
        reception_start=time(9),
        topic="停车难",
        name="陈女士",
        phone=phone,
        code=code,
        status=AppointmentStatus.BOOKED,
    )


def _ask(client, phone):
    response = client.post("/mine/", {"action": "send", "phone": phone})
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    return response.status_code, response.get("Location"), shown


def _open(client, phone, code):
    _ask(client, phone)
    return client.post("/mine/", {"action": "code", "code": code})


def _lookup_texts(phone=PHONE) -> int:
    return Notification.objects.filter(recipient=phone, template="lookup_code").count()


def test_home_station_deputy_and_message_pages_link_to_the_lookup(district):
    client = english(Client())
    pages = [
        "/",
        district.station_a.get_absolute_url(),
        district.dep_a.get_absolute_url(),
        f"/s/{district.station_a.public_code}/message/",
        f"/d/{district.dep_a.public_code}/message/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert 'href="/track/"' in html and "Look up my messages" in html, url
        assert 'href="/mine/"' in html, url


def test_a_code_opens_every_message_and_booking_under_the_phone(flow, district, fixed_code):
    first, second = flow.submit(title="路灯不亮"), flow.submit(title="井盖松动")
    others = flow.submit(title="别人的事", citizen_phone=STRANGER)
    _booking(district)
    client = english(Client())
    assert _ask(client, PHONE)[:2] == (302, "/mine/")
    assert _lookup_texts() == 1
    assert "The code sent to 139****5678" in client.get("/mine/").content.decode()
    opened = client.post("/mine/", {"action": "code", "code": fixed_code})
    assert opened.status_code == 302 and opened["Location"] == "/mine/list/"
    page = client.get("/mine/list/").content.decode()
    for case in (first, second):
        assert case.title in page and f'href="/t/{case.tracking_number}"' in page
        # … and the tracking page opens without the last 4 digits.
        assert client.get(f"/t/{case.tracking_number}").context["case"] == case
    assert others.title not in page
    assert "Awaiting review" in page and "52718364" in page
    assert client.get("/booking/52718364/").status_code == 200
    assert client.get(f"/t/{others.tracking_number}").context.get("case") is None


def test_the_answer_is_the_same_for_a_phone_with_nothing(flow, fixed_code):
    flow.submit()
    known, unknown = english(Client()), english(Client())
    assert _ask(known, PHONE) == _ask(unknown, STRANGER)
    assert _lookup_texts() == 1 and _lookup_texts(STRANGER) == 0  # no text to a stranger
    wrong = [
        c.post("/mine/", {"action": "code", "code": "000000"}).content.decode()
        for c in (known, unknown)
    ]
    assert "You can try 4 more times." in wrong[0] and "You can try 4 more times." in wrong[1]
    again = [_ask(c, p) for c, p in ((known, PHONE), (unknown, STRANGER))]
    assert again[0] == again[1] and again[0][0] == 400  # the minute's wait, alike
    # The number with nothing opens an empty list with the code nobody received.
    assert unknown.post("/mine/", {"action": "code", "code": "123456"}).status_code == 302
    assert "No messages are held under this number." in unknown.get("/mine/list/").content.decode()


def test_a_bad_phone_is_explained_and_sends_nothing(db):
    response = english(Client()).post("/mine/", {"action": "send", "phone": "12345"})
    assert response.status_code == 400
    assert "is not a valid mainland mobile number" in response.content.decode()
    assert LookupCode.objects.count() == 0


def test_code_requests_and_wrong_codes_are_limited_per_client(flow, settings, fixed_code):
    settings.LIAISON_RATE_CODE_REQUESTS_PER_IP = 2
    settings.LIAISON_RATE_TRACKING_FAILURES_PER_IP = 2
    flow.submit()
    client = Client()
    assert _ask(client, STRANGER)[0] == 302
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        assert _ask(client, PHONE)[0] == 302
        assert client.post("/mine/", {"action": "send", "phone": PHONE}).status_code == 429
        assert client.post("/mine/", {"action": "code", "code": "000000"}).status_code == 400
        assert client.post("/mine/", {"action": "code", "code": "000001"}).status_code == 400
        # Even the right code waits now, for this client only.
        assert client.post("/mine/", {"action": "code", "code": fixed_code}).status_code == 429
    assert _lookup_texts() == 1


def test_texts_to_one_phone_are_capped_per_day(flow, settings):
    settings.LIAISON_RATE_CODES_PER_PHONE = 2
    flow.submit()
    start = timezone.now()
    for n in range(4):
        with time_machine.travel(start + timedelta(minutes=2 * n), tick=False):
            _ask(Client(REMOTE_ADDR=f"10.0.0.{n + 1}"), PHONE)
    assert _lookup_texts() == 2


def test_the_list_needs_the_code_and_closes_after_half_an_hour(flow, fixed_code):
    flow.submit()
    assert Client().get("/mine/list/")["Location"] == "/mine/"
    client = Client()
    _open(client, PHONE, fixed_code)
    assert client.get("/mine/list/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        assert client.get("/mine/list/")["Location"] == "/mine/"


def test_a_closed_message_is_erased_after_a_confirmation(flow, fixed_code):
    case = flow.to(Status.CLOSED)
    client = english(Client())
    _open(client, PHONE, fixed_code)
    assert (
        f'href="/mine/{case.tracking_number}/erase/"' in client.get("/mine/list/").content.decode()
    )
    url = f"/mine/{case.tracking_number}/erase/"
    screen = client.get(url)
    assert screen.status_code == 200 and "This cannot be undone." in screen.content.decode()
    events_before = CaseEvent.objects.filter(case=case).count()
    assert client.post(url, {"confirm": "yes"})["Location"] == "/mine/list/"
    case.refresh_from_db()
    assert (case.citizen_name, case.citizen_phone) == ("", "")
    assert case.status == Status.CLOSED and case.title == "路灯不亮"
    events = CaseEvent.objects.filter(case=case)
    assert events.count() == events_before + 1  # the history stays, one event more
    erased = events.get(verb="case.personal_data_erased")
    assert erased.is_public is False and set(erased.data["fields"]) == {
        "citizen_name",
        "citizen_phone",
    }
    assert PHONE not in str(erased.data) and "陈女士" not in str(erased.data)
    # Gone from the list, and the digits no longer open it.
    assert case.title not in client.get("/mine/list/").content.decode()
    assert Client().post(f"/t/{case.tracking_number}", {"last4": PHONE[-4:]}).status_code == 400


def test_erasing_keeps_the_chained_history_intact(flow):
    """The events are hash-chained: erasing the contact details must not break the chain."""
    case = flow.to(Status.ANSWERED)
    case = services.rate_case(case, rating="satisfied", comment="谢谢")
    services.erase_personal_data(case)
    case.refresh_from_db()
    assert (case.citizen_name, case.citizen_phone) == ("", "")
    call_command("audit", "verify", "--case", case.tracking_number)  # CommandError on a break


def test_an_open_message_is_not_erased(flow, fixed_code):
    case = flow.to(Status.ACCEPTED)
    with pytest.raises(ValidationError):
        services.erase_personal_data(case)
    client = english(Client())
    _open(client, PHONE, fixed_code)
    assert f"/mine/{case.tracking_number}/erase/" not in client.get("/mine/list/").content.decode()
    url = f"/mine/{case.tracking_number}/erase/"
    assert "still being handled" in client.get(url).content.decode()
    response = client.post(url, {"confirm": "yes"})
    assert response["Location"] == "/mine/list/"
    case.refresh_from_db()
    assert case.citizen_phone == PHONE and case.citizen_name == "陈女士"
    assert not CaseEvent.objects.filter(case=case, verb="case.personal_data_erased").exists()


def test_another_phones_message_cannot_be_erased(flow, fixed_code):
    theirs = flow.to(Status.CLOSED, citizen_phone=STRANGER)
    flow.submit()
    client = Client()
    _open(client, PHONE, fixed_code)
    assert (
        client.post(f"/mine/{theirs.tracking_number}/erase/", {"confirm": "yes"}).status_code == 404
    )
    assert Case.objects.get(pk=theirs.pk).citizen_phone == STRANGER
    assert (
        Client().post(f"/mine/{theirs.tracking_number}/erase/", {"confirm": "yes"})["Location"]
        == "/mine/"
    )
