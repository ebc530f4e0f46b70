"""Demo online appointments (线上预约) for `liaison load_demo`, after the reception days of
liaison/receptions/demo.py.

- Every reception day of 新元街道联络站, 镜湖社区联络室, 代表之家, 补雨村联络室 and
  良友大厦楼宇联络站 is opened for booking, whatever its kind (weekly, monthly such as the
  15th, a single date): 30-minute slots, 3 places each (saved through
  `receptions.services.save_rule`).
- A few bookings in the coming weeks, made through the booking services as a citizen would (the
  SMS code is used straight away): some booked, some confirmed by the station account, one
  cancelled by the citizen, one cancelled by the station with a reason.

Idempotent: a rule that already takes bookings is left alone; the bookings are keyed by their
fictional phone numbers (1380015xxxx) and skipped when any of them exists.
"""

from django.core.exceptions import ValidationError

from liaison.accounts.models import User
from liaison.core import registry
from liaison.directory.models import Station
from liaison.receptions import services as receptions
from liaison.receptions.models import ReceptionRule

from . import services
from .models import Appointment
from .slots import station_slots

OPEN_FOR_BOOKING = ["JB-ST-XY", "JB-RM-JH", "JB-HM-BCH", "JB-RM-BY", "JB-BD-LY"]
PHONE_PREFIX = "1380015"
# station, name, topic, what happens next
BOOKINGS = [
    ("JB-ST-XY", "何女士", "小区电梯加装进度，想当面了解", "confirm"),
    ("JB-ST-XY", "吕先生", "老旧小区改造中雨污分流的施工时间", ""),
    ("JB-ST-XY", "施阿姨", "社区食堂能否延长晚餐供应时间", "confirm"),
    ("JB-ST-XY", "张师傅", "菜市场周边早高峰占道经营", "cancel"),
    ("JB-ST-XY", "孔女士", "幼儿园普惠学位不足", "station_cancel"),
    ("JB-RM-JH", "曹先生", "镜湖公园夜间照明不足", ""),
    ("JB-HM-BCH", "严大爷", "安居巷路面破损，老人出行不便", ""),
]


def load() -> int:
    """Open the rules for booking; create the demo bookings. Returns how many bookings."""
    admin = User.objects.get(username="admin")
    staff = User.objects.filter(username="station").first() or admin
    stations = {s.code: s for s in Station.objects.filter(code__in=OPEN_FOR_BOOKING)}
    for station in stations.values():
        # Every kind of day: a station's monthly or single-date receptions are booked like its
        # weekly ones (issue 16: the 15th of the month offered no slots).
        rules = ReceptionRule.objects.filter(station=station, is_active=True, slot_capacity=0)
        for rule in rules:
            rule.slot_minutes, rule.slot_capacity = 30, 3
            receptions.save_rule(rule, actor=admin)
    if Appointment.objects.filter(phone__startswith=PHONE_PREFIX).exists():
        return 0
    created = 0
    for number, (code, name, topic, then) in enumerate(BOOKINGS, start=1):
        station = stations.get(code)
        # Spread over the slots: the n-th booking takes a slot a little further on.
        slots = station_slots(station) if station else []
        if not slots:
            continue
        slot = slots[min(number * 3, len(slots) - 1)]
        try:
            booking, sms_code = services.request_appointment(
                station=station,
                day=slot.date,
                start_time=slot.start_time,
                deputy=slot.deputies[0] if slot.deputies and number % 2 else None,
                topic=topic,
                name=name,
                phone=f"{PHONE_PREFIX}{number:04d}",
                language="zh-hans",
            )
            booking = services.verify_appointment(booking, sms_code)
        except ValidationError:
            continue  # a full slot or a rate limit: the demo does without this one
        if then == "confirm":
            services.confirm_appointment(booking, actor=staff)
        elif then == "cancel":
            services.cancel_by_citizen(booking)
        elif then == "station_cancel":
            services.cancel_appointment(
                booking, actor=staff, reason="当天接待室另有安排，请改约下周"
            )
        created += 1
    return created


@registry.demo.register(order=50)
def load_demo() -> dict[str, int]:
    return {"appointments": load()}  # 线上预约
