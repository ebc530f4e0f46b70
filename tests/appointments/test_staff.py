"""The station's side over HTTP: the list (scope, filters, search, pagination), confirm, move,
cancel with a reason (told by SMS), no-show, the audited phone reveal, and registering the visit
from a booking on the day (prefilled, then linked and marked attended)."""

from datetime import date, time

import pytest
import time_machine
from django.utils.translation import override

from liaison.appointments import services as appointments
from liaison.appointments.models import Appointment, AppointmentStatus
from liaison.core.models import AuditEvent
from liaison.notifications.models import Notification
from liaison.receptions.models import Visit
from tests.receptions.support import signed_in, visit_form

from .support import TODAY, book, monday_rule

pytestmark = pytest.mark.django_db
LIST = "/staff/appointments/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False), override("en"):
        yield


@pytest.fixture
def booking(district, accounts):
    monday_rule(district, accounts)
    return book(district, deputy=district.dep_a)


def action(client, booking, **data):
    return client.post(f"{LIST}{booking.pk}/action/", data)


def test_list_by_role(client, accounts, booking):
    for user, code in [
        (accounts.station_a_staff, 200),
        (accounts.street_a_committee, 200),
        (accounts.administrator, 200),
        (accounts.station_b_staff, 200),
        (accounts.deputy_a, 403),
        (accounts.handler_a, 403),
    ]:
        page = signed_in(client, user).get(LIST)
        assert page.status_code == code, user
        if code == 200:
            shown = [b.pk for b in page.context["page_obj"]]
            assert shown == ([] if user == accounts.station_b_staff else [booking.pk]), user
    client.logout()
    assert client.get(LIST).status_code == 302  # to the login page


def test_out_of_scope_detail_is_404(client, accounts, booking):
    assert (
        signed_in(client, accounts.station_b_staff).get(f"{LIST}{booking.pk}/").status_code == 404
    )
    assert action(client, booking, action="confirm").status_code == 404
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED


def test_filters_search_and_pagination(client, district, accounts, booking):
    n = 0
    for day in (date(2025, 10, 9), date(2025, 10, 13), date(2025, 10, 20)):
        for start in (time(9), time(9, 30), time(10), time(10, 30), time(11)):
            for _ in range(2):
                book(district, phone=f"1390000{n:04d}", day=day, start=start)
                n += 1
    staff = signed_in(client, accounts.station_a_staff)
    page = staff.get(LIST)
    assert page.context["page_obj"].paginator.count == 31
    assert len(page.context["page_obj"]) == 25
    assert len(staff.get(LIST + "?page=2").context["page_obj"]) == 6
    assert [b.pk for b in staff.get(LIST + "?day=2025-09-29").context["page_obj"]] == [booking.pk]
    assert [b.pk for b in staff.get(LIST + f"?q={booking.code}").context["page_obj"]] == [
        booking.pk
    ]
    assert staff.get(LIST + "?q=5678").context["page_obj"].paginator.count == 1
    assert staff.get(LIST + "?status=confirmed").context["page_obj"].paginator.count == 0
    first = staff.get(LIST + "?sort=-date").context["page_obj"][0]
    assert first.date == date(2025, 10, 20)
    assert "13912345678" not in staff.get(LIST).content.decode()  # masked in the list


def test_confirm_then_cancel_with_a_reason(client, accounts, booking):
    staff = signed_in(client, accounts.station_a_staff)
    assert action(staff, booking, action="confirm").status_code == 302
    assert Appointment.objects.get().status == AppointmentStatus.CONFIRMED
    assert "has confirmed" in Notification.objects.order_by("-id").first().body
    assert action(staff, booking, action="confirm").status_code == 409  # already confirmed
    no_reason = action(staff, booking, action="cancel", reason=" ")
    assert no_reason.status_code == 400
    assert Appointment.objects.get().status == AppointmentStatus.CONFIRMED
    asked = action(staff, booking, action="cancel", reason="代表临时出差")
    assert asked.status_code == 200 and "代表临时出差" in asked.content.decode()  # issue 16
    assert Appointment.objects.get().status == AppointmentStatus.CONFIRMED
    confirmed = {"reason": "代表临时出差", "confirmed": "1", "seen_status": "confirmed"}
    assert action(staff, booking, action="cancel", **confirmed).status_code == 302
    booking.refresh_from_db()
    assert booking.status == AppointmentStatus.CANCELLED and booking.cancel_reason == "代表临时出差"
    sms = Notification.objects.order_by("-id").first()
    assert sms.recipient == "13912345678" and "代表临时出差" in sms.body
    verbs = set(AuditEvent.objects.filter(object_id=str(booking.pk)).values_list("verb", flat=True))
    assert {"appointment.booked", "appointment.confirmed", "appointment.cancelled"} <= verbs


def test_move_to_another_slot(client, district, accounts, booking):
    staff = signed_in(client, accounts.street_a_committee)
    page = action(staff, booking, action="move", slot="2025-10-09T10:00")
    assert page.status_code == 302
    booking.refresh_from_db()
    assert booking.date.isoformat() == "2025-10-09" and booking.start_time == time(10)
    assert booking.deputy is None  # nobody on duty there
    assert "is now on" in Notification.objects.order_by("-id").first().body
    bad = action(staff, booking, action="move", slot="2025-09-30T10:00")  # a Tuesday
    assert bad.status_code == 400
    booking.refresh_from_db()
    assert booking.date.isoformat() == "2025-10-09"


def test_move_to_a_full_slot_is_409(client, district, accounts, booking):
    book(district, phone="13900000001", start=time(10))
    book(district, phone="13900000002", start=time(10))
    page = action(
        signed_in(client, accounts.station_a_staff), booking, action="move", slot="2025-09-29T10:00"
    )
    assert page.status_code == 409
    booking.refresh_from_db()
    assert booking.start_time == time(9)


def test_no_show_only_once_the_slot_has_begun(client, accounts, booking):
    staff = signed_in(client, accounts.station_a_staff)
    assert action(staff, booking, action="no_show").status_code == 400
    with time_machine.travel("2025-09-29 09:20 +0800", tick=False):
        assert action(staff, booking, action="no_show").status_code == 302
    assert Appointment.objects.get().status == AppointmentStatus.NO_SHOW
    assert AuditEvent.objects.filter(verb="appointment.no_show").count() == 1


def test_phone_reveal_is_for_station_staff_and_audited(client, accounts, booking):
    committee = signed_in(client, accounts.street_a_committee)
    page = action(committee, booking, action="reveal")
    assert "13912345678" not in page.content.decode()
    assert not AuditEvent.objects.filter(verb="appointment.phone_viewed").exists()
    staff = signed_in(client, accounts.station_a_staff)
    assert "13912345678" not in staff.get(f"{LIST}{booking.pk}/").content.decode()
    page = action(staff, booking, action="reveal")
    assert "13912345678" in page.content.decode()
    assert AuditEvent.objects.get(verb="appointment.phone_viewed").actor == accounts.station_a_staff


def test_register_the_visit_from_the_booking_on_the_day(client, district, accounts, booking):
    staff = signed_in(client, accounts.station_a_staff)
    url = f"/staff/receptions/new/?appointment={booking.pk}"
    with time_machine.travel("2025-09-29 09:10 +0800", tick=False):
        detail = staff.get(f"{LIST}{booking.pk}/")
        assert url.replace("/?", "/?") in detail.content.decode().replace("&amp;", "&")
        form = staff.get(url)
        assert form.status_code == 200
        initial = form.context["form"].initial
        assert initial["visitor_name"] == "陈女士" and initial["visitor_phone"] == "13912345678"
        assert initial["deputies"] == [district.dep_a.pk]
        assert form.context["formset"].forms[0].initial["title"] == "小区停车难"
        data = visit_form(district, received_on="2025-09-29", deputies=[district.dep_a.pk])
        page = staff.post(url, data)
    assert page.status_code == 302
    visit = Visit.objects.get()
    booking.refresh_from_db()
    assert booking.status == AppointmentStatus.ATTENDED and booking.visit == visit
    assert AuditEvent.objects.filter(verb="appointment.attended").count() == 1


def test_committee_prefill_has_no_phone_and_other_station_gets_404(client, accounts, booking):
    page = signed_in(client, accounts.street_a_committee).get(
        f"/staff/receptions/new/?appointment={booking.pk}"
    )
    assert page.context["form"].initial["visitor_phone"] == ""
    other = signed_in(client, accounts.station_b_staff).get(
        f"/staff/receptions/new/?appointment={booking.pk}"
    )
    assert other.status_code == 404


def test_registering_from_a_cancelled_booking_keeps_the_visit(client, district, accounts, booking):
    appointments.cancel_appointment(booking, actor=accounts.station_a_staff, reason="改期")
    staff = signed_in(client, accounts.station_a_staff)
    page = staff.post(
        f"/staff/receptions/new/?appointment={booking.pk}",
        visit_form(district, received_on="2025-09-25"),
    )
    assert page.status_code == 302 and Visit.objects.count() == 1
    booking.refresh_from_db()
    assert booking.status == AppointmentStatus.CANCELLED and booking.visit is None


def test_services_refuse_other_stations(accounts, booking):
    from liaison.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        appointments.confirm_appointment(booking, actor=accounts.station_b_staff)
    with pytest.raises(NotAllowed):
        appointments.cancel_appointment(booking, actor=accounts.deputy_a, reason="x")
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED
