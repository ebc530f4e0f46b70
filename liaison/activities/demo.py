"""Demo activities for `liaison load_demo`: a full term year (calendar 2026) at every demo station.

Every station holds one activity a month, of varied kinds (约您共学, 民情恳谈会, 政策宣讲 …).
Those already past are HELD, with the deputies who attended, minutes, outcomes and citizens who
checked in; those still ahead are announced, some with sign-ups. Most deputies attend at least
one activity each quarter ("三个一": one activity a quarter); two are left with a missing quarter
so that the performance record has someone behind. Some deputies report to their voters
(向选民述职, kind "report-to-voters").

Past activities are written with the ORM: the services refuse to announce or sign up for an
activity in the past, which is exactly what a year of history needs. Upcoming ones go through the
services (save, announce, sign up) like any staff entry.

Two opinions raised at a held activity of the demo station account's station (新元街道, latest
民情恳谈会 before today) are registered as cases (channel "activity") through the service.

A district activity without a station (区级活动) of 江滨区, announced two weeks ahead, lists its
outside guests (联合接待: a department head, the police, a procurator, a lawyer).

Idempotent: an activity is keyed by its station and start time; an existing one is left alone;
an opinion by its citizen's phone. Fictional citizens' phones: 1380014xxxx for sign-ups,
1380016xxxx for the opinions' cases.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import Role, User
from liaison.core import registry
from liaison.directory import demo as directory_demo
from liaison.directory.models import Category, Deputy, Region, Station

from . import services
from .models import Activity, ActivityKind, ActivityOpinion, ActivityStatus, SignUp

YEAR = 2026
PHONE_PREFIX = "1380014"

# station code, day of the month, start hour: spread over the month so a calendar looks lived in.
STATIONS = [
    ("JB-ST-XY", 6, 9),
    ("JB-ST-WL", 9, 14),
    ("JB-ST-YLH", 12, 9),
    ("JB-ST-TY", 14, 14),
    ("JB-RM-JH", 17, 19),
    ("JB-RM-BY", 19, 9),
    ("JB-HM-BCH", 22, 14),
    ("JB-BD-LY", 24, 12),
    ("JB-OL", 27, 20),
]

# kind code, title, agenda, minutes, outcomes
THEMES = [
    (
        "co-learn",
        "约您共学：学习新修订的代表法",
        "一、解读代表法修正要点；二、交流履职体会。",
        "代表逐条学习了代表法修正内容，围绕“闭会期间如何密切联系群众”交流了体会。",
        "形成学习心得4篇，在联络站公示栏展示。",
    ),
    (
        "public-forum",
        "民情恳谈会：老旧小区加装电梯",
        "一、街道介绍加装电梯政策；二、居民代表发言；三、代表回应。",
        "20余名居民反映加装电梯意见分歧、低层住户顾虑补偿等问题，代表逐一回应。",
        "收集意见建议6条，其中2条转交街道城管科办理。",
    ),
    (
        "policy-briefing",
        "政策宣讲：城乡居民医保参保缴费",
        "医保局工作人员讲解2026年度参保缴费政策，现场答疑。",
        "讲解了缴费标准、缴费渠道和门诊慢特病待遇，群众现场提问12个。",
        "现场帮助30余名群众完成线上缴费。",
    ),
    (
        "co-talk",
        "约您共话：停车难怎么解",
        "围绕小区停车难，居民、物业、代表面对面共话。",
        "居民提出错时共享停车、规范占道停车等建议，物业介绍了车位改造计划。",
        "建议开放周边单位停车场错时共享，已形成代表建议草稿。",
    ),
    (
        "joint-review",
        "集中研判：本季度群众意见建议",
        "梳理本季度收集的意见建议，分类研判、确定交办事项。",
        "对本季度收集的意见建议逐件研判，确定重点事项和承办单位。",
        "确定交办事项5件、代表建议1件，建立销号台账。",
    ),
    (
        "skills-training",
        "技能培训：电商直播助农",
        "邀请电商讲师讲授短视频拍摄与直播带货基础。",
        "40余名村民和合作社成员参加，现场实操直播演练。",
        "组建直播助农小组1个，下月开展首场直播。",
    ),
    (
        "inspection",
        "视察调研：农贸市场提质改造",
        "代表实地查看农贸市场改造进度，听取市场监管所汇报。",
        "代表查看了排水、消防和摊位布局，指出排水沟堵塞等问题。",
        "提出整改意见3条，由市场监管所限期整改。",
    ),
    (
        "co-supervise",
        "约您共督：民生实事项目推进",
        "代表和群众代表一起查看年度民生实事项目进展。",
        "查看了社区食堂和口袋公园建设现场，听取施工进度汇报。",
        "督促两个项目按期完工，群众满意度测评92%。",
    ),
    (
        "regular-council",
        "定期议事：物业服务质量提升",
        "业委会、物业、社区和代表共同议事。",
        "围绕保洁、安保和维修响应慢等问题议事，物业作出整改承诺。",
        "形成议事决议3项，一个月后回头看。",
    ),
    (
        "deputy-meeting",
        "代表约见：区住建局负责人",
        "代表约见区住建局负责人，面对面反映老旧小区改造问题。",
        "代表反映了改造后管线杂乱、绿化缺失等问题，住建局负责人现场回应。",
        "住建局承诺30日内制定整改方案并向代表反馈。",
    ),
    (
        "co-evaluate",
        "约您共评：部门办理满意度测评",
        "群众代表对上半年交办事项办理情况进行评议。",
        "对8件交办事项逐件评议，群众代表现场打分。",
        "满意6件、基本满意2件；基本满意的事项继续跟踪。",
    ),
    (
        "co-build",
        "约您共建：垃圾分类示范小区",
        "代表与居民志愿者一起开展垃圾分类宣传和桶边督导。",
        "代表和志愿者在3个投放点开展桶边督导，发放宣传册200份。",
        "小区分类准确率由65%提高到85%。",
    ),
    (
        "co-share",
        "约您共享：社区食堂开业",
        "社区食堂试运营，代表与老人一起品尝并征求意见。",
        "30余名老人参加试吃，对菜品口味和价格提出意见。",
        "食堂调整菜单，增加软食和低盐菜品。",
    ),
]

# Deputies who report to their voters (向选民述职) in 2026: code, month, day.
REPORTS = [
    ("JB-Q01", 3, 28),
    ("JB-P01", 5, 16),
    ("JB-C03", 6, 20),
    ("JB-Q06", 7, 11),
    ("JB-C05", 8, 22),
    ("JB-Q10", 9, 19),
    ("JB-N02", 10, 24),
    ("JB-Q08", 12, 12),  # still ahead: announced
]

# The two deputies the "三个一" view shows behind: the quarter (1–4) they attended nothing.
MISSING_QUARTER = {"JB-Q07": 2, "JB-X12": 3}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"

# Opinions raised at a held activity (→ cases): phone (the key), name, category, title, text.
# Their own phone range: the receptions demo counts its cases by 1380014xxxx.
OPINION_PHONE_PREFIX = "1380016"
OPINION_STATION = "JB-ST-XY"
OPINIONS = [
    (
        f"{OPINION_PHONE_PREFIX}0001",
        "周阿姨",
        "housing-renovation",
        "加装电梯低层住户补偿没有标准",
        "恳谈会上低层住户提出：加装电梯影响采光和通风，补偿标准各小区不一样，希望街道统一指导。",
    ),
    (
        f"{OPINION_PHONE_PREFIX}0002",
        "吴师傅",
        "parking",
        "电梯施工期间车辆没处停",
        "加装电梯施工占用了楼下车位，希望施工期间开放周边单位停车场临时停放。",
    ),
]


def _aware(month: int, day: int, hour: int) -> datetime:
    return timezone.make_aware(datetime(YEAR, month, day, hour, 30 if hour < 12 else 0))


def _quarter(moment: datetime) -> int:
    return (timezone.localtime(moment).month - 1) // 3 + 1


class Loader:
    def __init__(self) -> None:
        self.now = timezone.now()
        self.kinds = {k.code: k for k in ActivityKind.objects.all()}
        self.stations = {
            s.code: s for s in Station.objects.filter(code__in=[c for c, _, _ in STATIONS])
        }
        deputies = {d.code: d for d in Deputy.objects.filter(code__in=PRIMARY)}
        # Invited: every deputy of the station; counted as attending at their first station only
        # (就近进站), so that each deputy's quarter depends on one station's calendar.
        self.invited: dict[str, list[Deputy]] = defaultdict(list)
        self.primary: dict[str, list[Deputy]] = defaultdict(list)
        for code, deputy in sorted(deputies.items()):
            for station in STATIONS_OF[code]:
                self.invited[station].append(deputy)
            self.primary[PRIMARY[code]].append(deputy)
        self.deputies = deputies
        self.actor = User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).first()
        self.existing = set(
            Activity.objects.filter(
                station__in=list(self.stations.values()),
                starts_at__gte=_aware(1, 1, 0),
                starts_at__lt=_aware(12, 31, 23),
            ).values_list("station_id", "starts_at")
        )
        self.citizens = SignUp.objects.filter(phone__startswith=PHONE_PREFIX).count()

    def load(self) -> int:
        if len(self.stations) < len(STATIONS) or self.actor is None:
            return 0  # the directory demo is not loaded: nothing to hang activities on
        plans = []  # (station code, start, theme or None, deputy for a report)
        for number, (code, day, hour) in enumerate(STATIONS):
            for month in range(1, 13):
                theme = THEMES[(month * 5 + number * 7) % len(THEMES)]
                plans.append((code, _aware(month, day, hour), theme, None))
        for deputy_code, month, day in REPORTS:
            plans.append((PRIMARY[deputy_code], _aware(month, day, 15), None, deputy_code))
        created = 0
        held: dict[tuple[str, int], list[Activity]] = defaultdict(list)
        for code, start, theme, reporter in plans:
            station = self.stations[code]
            if (station.pk, start) in self.existing:
                continue
            with transaction.atomic():
                activity = self.create(station, start, theme, reporter)
            created += 1
            if activity.status == ActivityStatus.HELD and reporter is None:
                held[(code, _quarter(start))].append(activity)
        self.attend(held)
        self.opinions()
        return created

    def create(self, station: Station, start: datetime, theme, reporter: str | None) -> Activity:
        if reporter:
            deputy = self.deputies[reporter]
            kind, title = "report-to-voters", f"{deputy.name}代表向选民述职"
            agenda = f"{deputy.name}代表报告一年来的履职情况，选民现场提问、评议。"
            minutes = (
                f"{deputy.name}代表报告了参加人代会、提出建议、联系群众和督办民生实事的情况；"
                "选民代表提问5个，代表逐一作答。"
            )
            outcomes, invited = "现场满意度测评：满意率95%。", [deputy]
        else:
            kind, title, agenda, minutes, outcomes = theme
            invited = self.invited[station.code]
        online = station.code == "JB-OL"
        place = "线上（网上联络站视频会议室）" if online else station.address or station.name
        end = start + timedelta(hours=2)
        if start <= self.now:
            # History: written directly (the services refuse to announce a past activity).
            activity = Activity.objects.create(
                station=station,
                kind=self.kinds[kind],
                title=title,
                description=agenda,
                starts_at=start,
                ends_at=end,
                place=place,
                capacity=None if online else 40,
                status=ActivityStatus.HELD,
                minutes=minutes,
                outcomes=outcomes,
                held_at=end,
            )
            activity.deputies.set(invited)
            if reporter:
                activity.attended_deputies.set(invited)
            self.citizens_at(activity, count=4, checked_in=3)
            return activity
        activity = services.save_activity(
            actor=self.actor,
            station=station,
            kind=self.kinds[kind],
            title=title,
            description=agenda,
            starts_at=start,
            ends_at=end,
            place=place,
            capacity=None if online else 40,
            deputies=invited,
        )
        activity = services.announce_activity(activity, actor=self.actor)
        if start - self.now < timedelta(days=45):  # the next few weeks have sign-ups
            self.citizens_at(activity, count=3)
        return activity

    def citizens_at(self, activity: Activity, *, count: int, checked_in: int = 0) -> None:
        rows = []
        for index in range(count):
            self.citizens += 1
            name = SURNAMES[self.citizens % len(SURNAMES)] + ("阿姨" if index % 2 else "师傅")
            phone = f"{PHONE_PREFIX}{self.citizens:04d}"
            if activity.status == ActivityStatus.ANNOUNCED:
                services.sign_up(activity, name=name, phone=phone)
                continue
            rows.append(
                SignUp(
                    activity=activity,
                    name=name,
                    phone=phone,
                    checked_in_at=activity.starts_at if index < checked_in else None,
                )
            )
        SignUp.objects.bulk_create(rows)

    def attend(self, held: dict[tuple[str, int], list[Activity]]) -> None:
        """Each quarter, a station's deputies share out its held activities: deputy i attends
        activity i mod n, the first deputy attends them all (MISSING_QUARTER excepted)."""
        for (code, quarter), activities in held.items():
            activities.sort(key=lambda a: a.starts_at)
            for index, deputy in enumerate(self.primary[code]):
                if MISSING_QUARTER.get(deputy.code) == quarter:
                    continue
                chosen = activities if index == 0 else [activities[index % len(activities)]]
                for activity in chosen:
                    activity.attended_deputies.add(deputy)
                    if not activity.deputies.filter(pk=deputy.pk).exists():
                        activity.deputies.add(deputy)

    def opinions(self) -> int:
        """The OPINIONS at the station's latest held 民情恳谈会 (any held activity otherwise);
        an opinion whose phone already has a case from an activity is not registered again."""
        done = set(
            ActivityOpinion.objects.filter(
                case__citizen_phone__in=[row[0] for row in OPINIONS]
            ).values_list("case__citizen_phone", flat=True)
        )
        missing = [row for row in OPINIONS if row[0] not in done]
        if not missing:
            return 0
        held = Activity.objects.filter(
            station=self.stations[OPINION_STATION],
            status=ActivityStatus.HELD,
            starts_at__lte=self.now,
        ).order_by("-starts_at")
        activity = held.filter(kind__code="public-forum").first() or held.first()
        if activity is None:
            return 0
        attended = activity.attended_deputies.filter(stations=activity.station)
        deputy = attended.order_by("code").first()
        for phone, name, category, title, description in missing:
            opinion = services.Opinion(
                citizen_name=name,
                citizen_phone=phone,
                category=Category.objects.get(code=category),
                title=title,
                description=description,
                deputy=deputy,
            )
            services.register_opinion(
                activity, actor=self.actor, opinion=opinion, privacy_accepted=True
            )
        return len(missing)


def _deputy_stations() -> dict[str, list[str]]:
    return {row[0]: list(row[-1]) for row in directory_demo.DEPUTIES}


STATIONS_OF = _deputy_stations()
PRIMARY = {code: stations[0] for code, stations in STATIONS_OF.items()}


def load() -> int:
    """Create what is missing; return how many activities were created."""
    return Loader().load()


# 联合接待 at the next announced activity of these stations.
GUESTS = {
    "JB-ST-XY": [
        ("official", "吴建国", "区城市管理执法局", "副局长"),
        ("resident", "陈阿姨", "镜湖社区", "居民代表"),
    ],
    "JB-ST-YLH": [("procurator", "周敏", "江滨区人民检察院公益诉讼检察室", "检察官")],
}


def load_guests() -> int:
    actor = User.objects.filter(username="admin").first()
    count = 0
    for code, guests in GUESTS.items():
        upcoming = (
            Activity.objects.filter(
                station__code=code, status=ActivityStatus.ANNOUNCED, starts_at__gt=timezone.now()
            )
            .order_by("starts_at")
            .first()
        )
        if actor is None or upcoming is None or upcoming.guests.exists():
            continue
        for kind, name, organisation, role in guests:
            services.add_activity_guest(
                upcoming, actor=actor, kind=kind, name=name, organisation=organisation, role=role
            )
            count += 1
    return count


# 年度活动计划: the plan of these stations mirrors the activities of the demo year, plus one line
# that was not held, so that "planned vs held" has something to show.
PLANNED_STATIONS = ["JB-ST-XY", "JB-ST-WL"]
UNHELD = ("policy-briefing", 3, "“三八”妇女维权普法讲座")


def load_plans() -> int:
    actor = User.objects.filter(username="admin").first()
    year = timezone.localdate().year
    count = 0
    for station in Station.objects.filter(code__in=PLANNED_STATIONS):
        if actor is None or station.planned.filter(year=year).exists():
            continue
        activities = Activity.objects.filter(station=station, starts_at__year=year).exclude(
            status=ActivityStatus.CANCELLED
        )
        lines = [(a.kind, timezone.localtime(a.starts_at).month, a.title) for a in activities]
        unheld = ActivityKind.objects.filter(code=UNHELD[0]).first()
        if unheld is not None:
            lines.append((unheld, UNHELD[1], UNHELD[2]))
        for kind, month, title in sorted(lines, key=lambda line: line[1]):
            services.add_planned_activity(
                station=station, year=year, month=month, kind=kind, title=title, actor=actor
            )
            count += 1
    return count


# 区级活动 with 联合接待: the district committee's own activity, without a station, two weeks ahead,
# with the district's deputies and outside guests (public schedule and the region's calendar).
DISTRICT = "420190000000"
DISTRICT_TITLE = "江滨区人大代表与部门负责人面对面（联合接待日）"
DISTRICT_GUESTS = [
    ("official", "孙立新", "区住房和城乡建设局", "局长"),
    ("police", "何伟", "江滨区公安分局", "副局长"),
    ("procurator", "周敏", "江滨区人民检察院公益诉讼检察室", "检察官"),
    ("lawyer", "林晓", "江滨区律师协会", "执业律师"),
]


def load_district_activity() -> int:
    """The district activity and its guests; 0 when it exists or the demo directory is missing."""
    region = Region.objects.filter(code=DISTRICT).first()
    committee = User.objects.filter(username="committee", region=region).first()
    kind = ActivityKind.objects.filter(code="public-forum").first() or ActivityKind.objects.first()
    if region is None or committee is None or kind is None:
        return 0
    if Activity.objects.filter(region=region, title=DISTRICT_TITLE).exists():
        return 0
    day = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)
    starts = day + timedelta(days=14)
    deputies = list(
        Deputy.objects.filter(region__path__startswith=region.path, is_active=True).order_by(
            "code"
        )[:3]
    )
    with transaction.atomic():
        activity = services.save_activity(
            actor=committee,
            station=None,
            region=region,
            kind=kind,
            title=DISTRICT_TITLE,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2, minutes=30),
            place="江滨区人大常委会机关一楼代表接待室",
            description="区人大常委会组织区级代表与职能部门、公安、检察、律师共同接待群众，"
            "现场受理物业管理、老旧小区改造等方面的诉求。",
            capacity=40,
            deputies=deputies,
        )
        activity = services.announce_activity(activity, actor=committee)
        for guest_kind, name, organisation, role in DISTRICT_GUESTS:
            services.add_activity_guest(
                activity,
                actor=committee,
                kind=guest_kind,
                name=name,
                organisation=organisation,
                role=role,
            )
    return 1


@registry.demo.register(order=30)
def load_demo() -> dict[str, int]:
    return {
        "activities": load(),
        "activity_guests": load_guests(),
        "district_activities": load_district_activity(),
        "planned_activities": load_plans(),
    }
