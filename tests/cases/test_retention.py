"""Retention (docs/privacy.md): the worker's `core.retention` job anonymises closed cases, past
visits, bookings and sign-ups, and deletes old login records, once LIAISON_RETENTION_DAYS have
passed — with the citizen's erase function, one audit event of counts per run, the event chains
intact. And the events never held the personal data in the first place."""

from datetime import date, time, timedelta

import pytest
import time_machine
from axes.models import AccessFailureLog
from django.core.management import call_command
from django.utils import timezone

from liaison.activities.models import ActivityKind, SignUp
from liaison.activities.services import save_activity
from liaison.appointments.models import Appointment, AppointmentStatus
from liaison.cases import services
from liaison.cases.models import Case, CaseEvent, CasePhoto, Channel
from liaison.cases.services.erasure import PERSONAL_FIELDS
from liaison.cases.workflow import Status
from liaison.core import jobs
from liaison.core.models import AuditEvent
from liaison.receptions.models import Visit
from liaison.receptions.services import Matter, register_visit

from .photo_support import with_photos

pytestmark = pytest.mark.django_db

NAME, PHONE, LANDLINE = "陈秀兰", "13912345678", "0571-87654321"
ADDRESS = "杭州市西湖区保俶路12号3单元201室"
CLOSED_ON = "2026-01-05 10:00 +0800"
PERIOD = timedelta(days=1095)


def retention() -> str:
    """The job as the worker runs it."""
    job = next(job for job in jobs.registered() if job.name == "core.retention")
    return job.func()


def runs():
    return AuditEvent.objects.filter(verb="privacy.retention_applied").order_by("id")


def closed_case(flow, **fields) -> Case:
    return flow.to(
        Status.CLOSED,
        citizen_name=NAME,
        citizen_landline=LANDLINE,
        citizen_address=ADDRESS,
        photos=with_photos(1),
        **fields,
    )


def test_a_closed_case_is_anonymised_once_the_period_is_over(
    flow, django_capture_on_commit_callbacks
):
    with time_machine.travel(CLOSED_ON, tick=False):
        case = closed_case(flow)
    photo = case.photos.get()
    storage, file_name = photo.image.storage, photo.image.name
    assert storage.exists(file_name)

    with time_machine.travel(case.closed_at + PERIOD - timedelta(minutes=1), tick=False):
        assert "0 cases" in retention()
    case.refresh_from_db()
    assert case.citizen_phone == PHONE and case.photos.exists()

    with (
        time_machine.travel(case.closed_at + PERIOD + timedelta(minutes=1)),
        # The files go once the transaction commits (a rollback keeps them).
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert "1 cases" in retention()
    case.refresh_from_db()
    assert (case.citizen_name, case.citizen_phone, case.citizen_landline, case.citizen_address) == (
        "",
        "",
        "",
        "",
    )
    assert not CasePhoto.objects.filter(case=case).exists()
    assert not storage.exists(file_name)
    # The matter stays: the title, the answer, the timeline.
    assert case.title == "路灯不亮" and case.status == Status.CLOSED

    erased = CaseEvent.objects.get(case=case, verb="case.personal_data_erased")
    assert erased.is_public is False and erased.actor is None
    assert erased.actor_label == "保存期限"  # written in the site language
    assert erased.data == {
        "fields": [*PERSONAL_FIELDS, "photos"],
        "via": "retention",
    }
    last = runs().last()
    assert last.data["cases"] == 1 and last.data["days"] == 1095
    for private in (NAME, PHONE, LANDLINE, ADDRESS):
        assert private not in str(last.data)
    # Nothing rewritten: every chain still verifies.
    call_command("audit", "verify", "--all")

    # Idempotent: the next day finds nothing more and changes nothing.
    events = CaseEvent.objects.count()
    with time_machine.travel(case.closed_at + PERIOD + timedelta(days=1)):
        assert "0 cases" in retention()
    assert CaseEvent.objects.count() == events and runs().last().data["cases"] == 0


def test_open_cases_and_those_merged_into_open_ones_wait(flow, accounts):
    with time_machine.travel(CLOSED_ON, tick=False):
        open_case = flow.to(Status.IN_PROGRESS, citizen_name=NAME)
        main = flow.to(Status.ACCEPTED)
        merged = services.merge_case(flow.submit(), main, actor=accounts.station_a_staff)
    assert merged.status == Status.MERGED
    with time_machine.travel(timezone.now() + PERIOD + timedelta(days=30)):
        retention()
    for case in (open_case, merged):
        case.refresh_from_db()
        assert case.citizen_phone == PHONE
    assert runs().last().data["cases"] == 0


def test_a_period_of_zero_keeps_everything(flow, settings):
    settings.LIAISON_RETENTION_DAYS = 0
    with time_machine.travel(CLOSED_ON, tick=False):
        case = closed_case(flow)
    with time_machine.travel(case.closed_at + timedelta(days=5000)):
        assert retention() == "retention off (LIAISON_RETENTION_DAYS=0)"
    case.refresh_from_db()
    assert case.citizen_name == NAME and case.photos.exists()
    assert not runs().exists()


def test_the_period_is_the_administrators(flow, settings):
    settings.LIAISON_RETENTION_DAYS = 30
    with time_machine.travel(CLOSED_ON, tick=False):
        case = closed_case(flow)
    with time_machine.travel(case.closed_at + timedelta(days=31)):
        retention()
    case.refresh_from_db()
    assert case.citizen_name == "" and runs().last().data["days"] == 30


def _booking(district, day: date, status: str, code: str) -> Appointment:
    return Appointment.objects.create(
        station=district.station_a,
        date=day,
        start_time=time(9),
        end_time=time(9, 30),
        reception_start=time(9),
        topic="小区停车难",
        name=NAME,
        phone=PHONE,
        code=code,
        status=status,
    )


def _activity(district, accounts, starts):
    kind, _ = ActivityKind.objects.get_or_create(
        code="public-forum", defaults={"name": "民情恳谈会", "name_en": "Public opinion forum"}
    )
    return save_activity(
        actor=accounts.station_a_staff,
        station=district.station_a,
        kind=kind,
        title="民情恳谈会",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="联络站二楼会议室",
        capacity=None,
        deputies=[district.dep_a],
    )


def test_visits_bookings_sign_ups_and_login_records(district, accounts):
    now = timezone.now()
    old_day = (now - PERIOD - timedelta(days=2)).date()
    recent_day = (now - timedelta(days=2)).date()
    old_visit = Visit.objects.create(
        station=district.station_a,
        received_on=old_day,
        visitor_name=NAME,
        visitor_phone=PHONE,
        visitor_address=ADDRESS,
    )
    recent_visit = Visit.objects.create(
        station=district.station_a, received_on=recent_day, visitor_name=NAME, visitor_phone=PHONE
    )
    old_booking = _booking(district, old_day, AppointmentStatus.ATTENDED, "A0000001")
    recent_booking = _booking(district, recent_day, AppointmentStatus.NO_SHOW, "A0000002")
    old_activity = _activity(district, accounts, now - PERIOD - timedelta(days=3))
    recent_activity = _activity(district, accounts, now - timedelta(days=3))
    # Two anonymised sign-ups of one activity: the phone is unique only when there is one.
    old_signups = [
        SignUp.objects.create(activity=old_activity, name=NAME, phone=phone)
        for phone in (PHONE, "13800001111")
    ]
    recent_signup = SignUp.objects.create(activity=recent_activity, name=NAME, phone=PHONE)
    failure = AccessFailureLog.objects.create(
        username="station_a", ip_address="203.0.113.7", user_agent="x", path_info="/login/"
    )
    AccessFailureLog.objects.filter(pk=failure.pk).update(
        attempt_time=now - PERIOD - timedelta(days=1)
    )
    recent_failure = AccessFailureLog.objects.create(
        username="station_a", ip_address="203.0.113.8", user_agent="x", path_info="/login/"
    )

    summary = retention()
    assert "1 visits" in summary and "1 bookings" in summary and "2 sign-ups" in summary

    old_visit.refresh_from_db()
    assert (old_visit.visitor_name, old_visit.visitor_phone, old_visit.visitor_address) == (
        "",
        "",
        "",
    )
    recent_visit.refresh_from_db()
    assert recent_visit.visitor_name == NAME and recent_visit.visitor_phone == PHONE
    old_booking.refresh_from_db()
    assert (old_booking.name, old_booking.phone) == ("", "")
    recent_booking.refresh_from_db()
    assert (recent_booking.name, recent_booking.phone) == (NAME, PHONE)
    for signup in old_signups:
        signup.refresh_from_db()
        assert (signup.name, signup.phone) == ("", "")
    assert SignUp.objects.filter(activity=old_activity).count() == 2  # attendance kept
    recent_signup.refresh_from_db()
    assert recent_signup.phone == PHONE
    assert not AccessFailureLog.objects.filter(pk=failure.pk).exists()
    assert AccessFailureLog.objects.filter(pk=recent_failure.pk).exists()
    counts = runs().last().data
    assert counts["visits"] == 1 and counts["bookings"] == 1 and counts["sign-ups"] == 2
    assert counts["login records"] == 1
    assert "203.0.113.7" not in str(counts) and NAME not in str(counts)


def test_no_event_carries_the_citizens_personal_data(flow, accounts, district, client):
    """What retention cannot change (the hash-chained events) never held it: a visit, a case
    taken to the end with consent, a full contact view and the retention run itself."""
    visit = register_visit(
        actor=accounts.station_a_staff,
        station=district.station_a,
        visitor_name=NAME,
        visitor_phone=PHONE,
        visitor_address=ADDRESS,
        matters=[Matter(category=district.category, title="路灯不亮", description="门口路灯坏了")],
        privacy_accepted=True,
        deputies=[district.dep_a],
    )
    case = visit.matters.get().case
    case = services.accept_case(case, actor=accounts.station_a_staff)
    case = services.reply_case(case, actor=accounts.deputy_a, text="已收到。", settle=False)
    services.assign_case(
        case,
        actor=accounts.street_a_committee,
        lead_department=district.department_a,
        share_contact=True,
        consent={"how": "电话中同意"},
    )
    client.force_login(accounts.handler_a)
    assert client.post(f"/staff/cases/{case.tracking_number}/phone/").status_code == 200
    client.force_login(accounts.station_a_staff)
    assert client.get(f"/staff/receptions/{visit.pk}/print/").status_code == 200
    closed_case(flow, channel=Channel.PHONE, actor=accounts.station_a_staff)
    retention()

    assert AuditEvent.objects.filter(verb__endswith="phone_viewed").exists()
    rows = [(e.note, e.actor_label, e.data) for e in CaseEvent.objects.all()] + [
        (e.object_repr, e.data) for e in AuditEvent.objects.all()
    ]
    assert len(rows) > 10
    for row in rows:
        for private in (NAME, PHONE, LANDLINE, ADDRESS, "5678"):
            assert private not in str(row), row
