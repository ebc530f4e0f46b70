"""Demo reception days for `liaison load_demo`: a whole term year of receptions (接待日).

- Reception rules for every demo station, as its notice board says (每周一上午、每月15日 …),
  saved through `services.save_rule`, valid from 1 January of the current year.
- Deputies on duty (值班) at every reception from 1 January until four weeks ahead: each month
  every deputy of a station takes a turn, two deputies a reception, never two places at once.
  梁国庆 (JB-Q05) sits out March, June and September, so the "三个一" view has someone behind.
- Attendance (出勤) of past duties: most came, about one in thirteen did not (a fixed pattern).
- Visitors (接待登记) on past reception days of 新元街道联络站 (1–3 a month) and of 镜湖社区联络室
  (once a month, with 林志强), registered through `services.register_visit` by the accounts of
  liaison/directory/demo.py; their cases are accepted and settled by the deputy's reply, except
  those of the last two weeks, which wait in the review queue.

The services refuse duties in the past (a roster is made before the day) and attendance is
recorded after the day: those historical rows are written with the ORM here, the one place that
does so. Idempotent: a station with rules keeps them; a duty that exists (station, day, time,
deputy) is skipped; a visit is keyed by its visitor's fictional phone number (1380014xxxx).
"""

import zlib
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from liaison.accounts.models import User
from liaison.cases import services as case_services
from liaison.cases.models import Case
from liaison.core import registry
from liaison.directory.models import Category, Deputy, Station
from liaison.workdays.deadlines import Calendar

from . import services
from .models import (
    Duty,
    GuestKind,
    OnHoliday,
    ReceptionGuest,
    ReceptionRule,
    RuleKind,
    Visit,
    today,
)
from .schedule import occurrences, upcoming_receptions

W, M, D = RuleKind.WEEKLY, RuleKind.MONTHLY, RuleKind.CUSTOM
NEXT, SKIP = OnHoliday.NEXT_WORKING_DAY, OnHoliday.SKIP
SECOND_THURSDAY = "second-thursday"  # 每月第二个周四: one custom rule per month

# station: (kind, weekday / day of month, from, until, place, on a holiday)
# fmt: off
RULES = {
    "JB-ST-XY": [(W, 0, "09:00", "11:30", "联络站二楼代表接待室", NEXT),
                 (M, 15, "14:30", "17:00", "联络站二楼代表接待室", NEXT)],
    "JB-ST-WL": [(W, 2, "09:00", "11:30", "万楼社区党群服务中心一楼", NEXT),
                 (M, 5, "14:30", "17:00", "万楼社区党群服务中心一楼", SKIP)],
    "JB-ST-YLH": [(W, 0, "09:00", "17:00", "便民服务中心代表接待窗口", NEXT)],
    "JB-ST-TY": [(W, 1, "09:00", "11:30", "桃源大街23号二楼", NEXT),
                 (M, 20, "14:30", "17:00", "桃源大街23号二楼", NEXT)],
    "JB-RM-JH": [(W, 0, "09:00", "11:30", "党群服务中心101室", NEXT)],
    "JB-RM-BY": [(M, 1, "08:30", "11:00", "村委会一楼", SKIP),
                 (M, 15, "08:30", "11:00", "村委会一楼", NEXT)],
    "JB-HM-BCH": [(W, 0, "09:00", "17:00", "安居巷7号代表之家", NEXT)],
    "JB-BD-LY": [(D, SECOND_THURSDAY, "12:00", "13:30", "良友大厦3楼服务中心", NEXT)],
    "JB-OL": [(W, 0, "09:00", "11:30", "网上联络站（在线接待）", NEXT)],
}

GAPS = {"JB-Q05": {3, 6, 9}}  # deputy: months without a duty
VISIT_PHONE_PREFIX = "1380014"
VISITORS = ["周阿姨", "吴先生", "郑女士", "孙师傅", "钱大爷", "冯女士", "褚先生", "卫阿姨"]
# category, title, description, proposed handling (拟办意见)
MATTERS = [
    ("parking", "小区夜间停车难",
     "小区车位不足，晚上车辆停满消防通道，希望协调周边单位错时开放停车场。", "转街道协调"),
    ("street-lights", "巷子路灯坏了",
     "巷子里三盏路灯坏了一个多月，老人晚上出门不方便。", "代表直接答复"),
    ("elderly-care", "希望增设老年助餐点",
     "社区老人多，只有一个助餐点，离得远的老人走不过去。", "交民政部门"),
    ("property", "物业维修不及时",
     "楼道窗户玻璃破了报修两周没人来，冬天漏风。", "督促物业整改"),
    ("roads", "人行道地砖松动",
     "滨河路人行道地砖松动，下雨踩上去溅一身水。", "交城管部门"),
    ("water", "雨后小区积水",
     "小区东门每次下大雨都积水，排水管可能堵了。", "交水务部门"),
    ("education", "幼儿园接送拥堵",
     "幼儿园门口早晚接送时段车辆乱停，孩子过马路不安全。", "协调交警"),
    ("sanitation", "垃圾分类点异味大",
     "垃圾分类投放点清运不及时，夏天异味很大。", "交环卫部门"),
]
# fmt: on
SETTLE_REPLY = "感谢您到联络站反映情况。代表已与有关部门沟通，问题已解决，欢迎继续监督。"
KEEP_OPEN = timedelta(days=14)  # visits this recent leave their cases in the review queue
SHANGHAI = ZoneInfo("Asia/Shanghai")


@registry.demo.register(order=40)
def load() -> dict[str, int]:
    """Create what is missing; return how many rules, duties and visits were created."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["admin", "station", "street", "deputy"])
    }
    if "admin" not in users:
        raise RuntimeError("Demo account missing: admin.")
    stations = {s.code: s for s in Station.objects.filter(code__in=RULES)}
    start = today()
    first, horizon = date(start.year, 1, 1), start + timedelta(days=27)
    created = {"reception_rules": 0, "duties": 0, "visits": 0, "reception_guests": 0}
    for code, rows in RULES.items():
        if code in stations:
            created["reception_rules"] += _rules(
                stations[code], rows, first, horizon, users["admin"]
            )
    calendar = Calendar()
    busy: set[tuple[int, date]] = set()  # (deputy, day): nobody is on duty at two places a day
    for code in RULES:
        if code in stations:
            created["duties"] += _duties(
                stations[code], first, horizon, start, users["admin"], calendar, busy
            )
    created["visits"] = _visits(stations, first, start, users)
    created["reception_guests"] = _guests(stations, start, users["admin"])
    return created


# 联合接待: who comes beside the deputies to the next reception of these stations.
GUESTS = {
    "JB-ST-XY": [
        (GuestKind.OFFICIAL, "赵卫东", "区住房和城乡建设局", "副局长"),
        (GuestKind.LAWYER, "钱晓梅", "江滨区公共法律服务中心", "值班律师"),
    ],
    "JB-ST-WL": [
        (GuestKind.POLICE, "孙国栋", "万楼派出所", "社区民警"),
        (GuestKind.PROCURATOR, "周敏", "江滨区人民检察院公益诉讼检察室", "检察官"),
    ],
}


def _guests(stations, start: date, admin) -> int:
    count = 0
    for code, guests in GUESTS.items():
        station = stations.get(code)
        if station is None or ReceptionGuest.objects.filter(station=station).exists():
            continue
        upcoming = upcoming_receptions(station, start=start + timedelta(days=1))
        if not upcoming:
            continue
        for kind, name, organisation, role in guests:
            services.add_reception_guest(
                station=station,
                date=upcoming[0].date,
                start_time=upcoming[0].start_time,
                actor=admin,
                kind=kind,
                name=name,
                organisation=organisation,
                role=role,
            )
            count += 1
    return count


def _rules(station, rows, first: date, horizon: date, admin) -> int:
    if ReceptionRule.objects.filter(station=station).exists():
        return 0  # an administrator may have changed them: leave them as they are
    count = 0
    for kind, value, begins, ends, place, on_holiday in rows:
        if value == SECOND_THURSDAY:
            days = [_second_thursday(year, month) for year, month in _months(first, horizon)]
        else:
            days = [None]
        for day in days:
            rule = ReceptionRule(
                station=station,
                kind=kind,
                weekday=value if kind == W else None,
                day_of_month=value if kind == M else None,
                date=day,
                start_time=time.fromisoformat(begins),
                end_time=time.fromisoformat(ends),
                place=place,
                valid_from=first,
                on_holiday=on_holiday,
            )
            services.save_rule(rule, actor=admin)
            count += 1
    return count


def _months(first: date, last: date):
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _second_thursday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(3 - day.weekday()) % 7 + 7)


def _absent(station, day: date, deputy) -> bool:
    return zlib.crc32(f"{station.code}{day}{deputy.code}".encode()) % 13 == 0


def _duties(station, first, horizon, start, admin, calendar, busy) -> int:
    deputies = list(Deputy.objects.filter(stations=station, is_active=True).order_by("code"))
    if not deputies:
        return 0
    rules = list(ReceptionRule.objects.filter(station=station, is_active=True))
    by_month = defaultdict(list)
    for occurrence in occurrences(rules, first, horizon, calendar):
        by_month[(occurrence.date.year, occurrence.date.month)].append(occurrence)
    existing = set(
        Duty.objects.filter(station=station, date__gte=first).values_list(
            "date", "start_time", "deputy_id"
        )
    )
    history, count = [], 0
    for (_, month), held in sorted(by_month.items()):
        pool = [d for d in deputies if month not in GAPS.get(d.code, ())] or deputies
        turn = month  # each month starts the rotation one deputy further on
        for occurrence in held:
            chosen = []
            for _ in range(len(pool)):
                deputy = pool[turn % len(pool)]
                turn += 1
                if (deputy.pk, occurrence.date) not in busy:
                    chosen.append(deputy)
                if len(chosen) == min(2, len(pool)):
                    break
            for deputy in chosen:
                busy.add((deputy.pk, occurrence.date))
                if (occurrence.date, occurrence.start_time, deputy.pk) in existing:
                    continue
                count += 1
                if occurrence.date >= start:
                    services.assign_duty(
                        station=station,
                        date=occurrence.date,
                        start_time=occurrence.start_time,
                        deputy=deputy,
                        actor=admin,
                    )
                    continue
                # The past: assign_duty refuses it (a roster is made before the day), so the
                # demo writes the history directly, attendance recorded the evening after.
                history.append(
                    Duty(
                        station=station,
                        date=occurrence.date,
                        start_time=occurrence.start_time,
                        deputy=deputy,
                        assigned_by=admin,
                        attended=not _absent(station, occurrence.date, deputy),
                        attendance_recorded_at=datetime.combine(
                            occurrence.date, time(18), tzinfo=SHANGHAI
                        ),
                    )
                )
    Duty.objects.bulk_create(history)
    return count


def _visits(stations, first: date, start: date, users) -> int:
    """1–3 visitors a month at 新元街道联络站, one a month with 林志强 at 镜湖社区联络室."""
    staff, street, deputy = users.get("station"), users.get("street"), users.get("deputy")
    if not (staff and street and deputy and deputy.deputy_id):
        return 0
    known = set(
        Visit.objects.filter(visitor_phone__startswith=VISIT_PHONE_PREFIX).values_list(
            "visitor_phone", flat=True
        )
    )
    categories = {c.code: c for c in Category.objects.all()}
    plan = []  # (station, day, deputies, registrar, speaker)
    attended = defaultdict(list)
    for duty in (
        Duty.objects.filter(
            station__code__in=["JB-ST-XY", "JB-RM-JH"],
            date__gte=first,
            date__lt=start,
            attended=True,
        )
        .select_related("deputy", "station")
        .order_by("date", "start_time", "deputy__code")
    ):
        attended[(duty.station.code, duty.date.year, duty.date.month)].append(duty)
    for year, month in _months(first, start):
        duties = attended.get(("JB-ST-XY", year, month), [])
        days = sorted({d.date for d in duties})
        for day in days[:: max(1, len(days) // (1 + month % 3))][: 1 + month % 3]:
            receiving = [d.deputy for d in duties if d.date == day]
            plan.append((stations["JB-ST-XY"], day, receiving, staff, staff))
        duties = [
            d
            for d in attended.get(("JB-RM-JH", year, month), [])
            if d.deputy_id == deputy.deputy_id
        ]
        if duties and "JB-RM-JH" in stations:
            plan.append((stations["JB-RM-JH"], duties[0].date, [duties[0].deputy], street, deputy))
    count = 0
    for n, (station, day, receiving, registrar, speaker) in enumerate(plan, start=1):
        phone = f"{VISIT_PHONE_PREFIX}{n:04d}"
        if phone in known:
            continue
        category, title, description, handling = MATTERS[n % len(MATTERS)]
        visit = services.register_visit(
            actor=registrar,
            station=station,
            visitor_name=VISITORS[n % len(VISITORS)],
            visitor_phone=phone,
            matters=[services.Matter(categories[category], title, description, handling)],
            privacy_accepted=True,
            deputies=receiving,
            received_on=day,
            visitor_address=f"{station.region.name}",
        )
        count += 1
        if day >= start - KEEP_OPEN:
            continue
        for matter in visit.matters.select_related("case"):
            case: Case = case_services.accept_case(matter.case, actor=registrar)
            case_services.reply_case(case, actor=speaker, text=SETTLE_REPLY, settle=True)
    return count
