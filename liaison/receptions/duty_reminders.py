"""Reminders to the deputies on duty (值班提醒): the day before a reception and on its morning.

Run by the worker (liaison/receptions/jobs.py) as often as we like: each message has a dedupe key
naming the duty, its deputy and the kind of reminder, so it is written once whatever the number of
runs or workers. A duty handed over to another deputy (换班) is a new recipient and is reminded
again; a duty whose reception is no longer held (its rule ended or was deactivated) is not.

Deputies are told at the addresses of their account (in the app, by e-mail — see
liaison/cases/reminders.py) and by SMS when the account has a mobile number. Deputies without an
account are not reminded here: the station calls them.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from liaison.accounts.models import Role, User
from liaison.cases.reminders import notify_users
from liaison.core.phones import normalize_phone
from liaison.notifications.models import Channel, Notification
from liaison.notifications.services import enqueue_sms, staff_url
from liaison.workdays.deadlines import Calendar

from .models import Duty, ReceptionRule, is_mobile
from .schedule import occurrences

# The day before, from this hour (Asia/Shanghai): late enough that the roster is settled.
EVE_HOUR = 16
# The day itself, from this hour until the reception starts.
MORNING_HOUR = 7


def send_duty_reminders(now: datetime | None = None) -> int:
    """Remind each deputy on duty tomorrow (from EVE_HOUR) and today (from MORNING_HOUR until the
    reception starts). Returns how many messages were written."""
    local = timezone.localtime(now or timezone.now())
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        if local.hour >= EVE_HOUR:
            sent += _remind(local.date() + timedelta(days=1), "eve", local)
        if local.hour >= MORNING_HOUR:
            sent += _remind(local.date(), "morning", local)
    return sent


def _remind(day: date, kind: str, local: datetime) -> int:
    duties = list(
        Duty.objects.filter(date=day, deputy__is_active=True).select_related("station", "deputy")
    )
    if kind == "morning":
        duties = [d for d in duties if d.start_time > local.time()]
    if not duties:
        return 0
    held = _held(day, {d.station_id for d in duties})
    accounts = {
        u.deputy_id: u
        for u in User.objects.filter(
            role=Role.DEPUTY, is_active=True, deputy_id__in={d.deputy_id for d in duties}
        )
    }
    sent = 0
    for duty in duties:
        occurrence = held.get((duty.station_id, duty.start_time))
        user = accounts.get(duty.deputy_id)
        if occurrence is None or user is None:
            continue
        subject, body = _text(duty, occurrence, kind)
        key = f"duty:{duty.pk}:{duty.deputy_id}:{kind}"
        sent += notify_users([user], key, subject, body)
        phone = normalize_phone(user.phone)
        sms_key = f"{key}:{Channel.SMS}:{phone}"
        if is_mobile(phone) and not Notification.objects.filter(dedupe_key=sms_key).exists():
            when = f"{duty.date.isoformat()} {occurrence.start_time:%H:%M}"
            params = {"station": duty.station.name, "when": when, "url": staff_url()}
            enqueue_sms(phone, "duty_reminder", params, dedupe_key=sms_key)
            sent += 1
    return sent


def _held(day: date, station_ids: set[int]) -> dict:
    """The receptions held on `day` at these stations, by (station, start time)."""
    rules: dict[int, list[ReceptionRule]] = defaultdict(list)
    for rule in ReceptionRule.objects.filter(station_id__in=station_ids, is_active=True):
        rules[rule.station_id].append(rule)
    calendar = Calendar()
    return {
        (station_id, o.start_time): o
        for station_id, station_rules in rules.items()
        for o in occurrences(station_rules, day, day, calendar)
    }


def _text(duty: Duty, occurrence, kind: str) -> tuple[str, str]:
    values = {
        "day": duty.date.isoformat(),
        "start": occurrence.start_time.strftime("%H:%M"),
        "end": occurrence.end_time.strftime("%H:%M"),
        "station": duty.station.name,
        "place": occurrence.place or duty.station.address,
    }
    if kind == "eve":
        subject = gettext("Reception duty tomorrow, %(day)s") % values
        body = gettext(
            "Reminder: you are on duty at the reception of %(station)s tomorrow, %(day)s, "
            "%(start)s–%(end)s (%(place)s). If you cannot come, please tell the station."
        )
    else:
        subject = gettext("Reception duty today at %(start)s") % values
        body = gettext(
            "Reminder: you are on duty at the reception of %(station)s today, %(day)s, "
            "%(start)s–%(end)s (%(place)s)."
        )
    return subject, body % values
