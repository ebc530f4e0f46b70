"""Demo cases for `liaison load_demo`: about forty messages in every state of the workflow.

Each case is driven to its state through the services (liaison/cases/services/) by the demo
accounts of liaison/directory/demo.py, so its timeline, deadlines and messages are exactly what the
real workflow produces. The matters come from the source articles (停车难, 路灯不亮, 老旧小区改造,
幼儿园入学, 社保, 物业, 燃气, 积水 …).

Who can act decides where the later states live: the demo has one station account (新元街道联络站),
one deputy account (林志强, who sits in that station and in 镜湖社区联络室) and one department
account (区住建局). So messages in the early states are spread over every station, reviewed by the
district committee; the ones that go on to a reply, an assignment and an answer belong to those
two stations and are handled by 区住建局 (other departments appear as co-handlers, or as a lead
that has not signed yet).

Idempotent: each scenario is keyed by its citizen's (fictional) phone number, 1380013xxxx, a range
no other demo data uses; a scenario whose case exists is skipped, and each scenario is one
transaction, so a second run adds nothing and an interrupted run is completed.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import User
from liaison.core import registry
from liaison.directory.models import Category, Department, Deputy, Region, Station
from liaison.workdays.deadlines import Calendar, add_working_days, local_day

from . import selectors, services
from .models import Case, Channel, ReferralChannel, RoutingRule

PHONE_PREFIX = "1380013"

# Steps a scenario walks, in order:
#   accept · info (request more) · supplement · reject:<reason> · refer:<channel> · withdraw ·
#   reply (propose assignment) · settle (reply that settles it) · assign[:<lead>[+<co>…]] ·
#   sign · extend (request and approve an extension) · urge · report · answer · rate:<rating> ·
#   merge:<n> (into scenario n's case) · overdue / due_soon (see _backdate)
XY, JH = "JB-ST-XY", "JB-RM-JH"
ZJ = "JB-D-ZJ"

# n, station, deputy, category, channel, title, description, where, steps
# fmt: off
SCENARIOS = [
    # 待审核 — awaiting review, at stations across the district
    (1, "JB-ST-WL", "JB-Q06", "market-order", "online", "菜贩占道经营，早高峰走不通",
     "万楼路菜市场门口每天早上六点到九点，菜贩把摊位摆到机动车道上，电动车和行人挤在一起，上周有老人被撞倒。",
     "万楼路菜市场北门", []),
    (2, "JB-ST-YLH", "JB-X05", "street-lights", "online", "集镇主街路灯一半不亮",
     "月亮河镇集镇主街从农贸市场到卫生院这一段，十几盏路灯有一半晚上不亮，已经两个多月了。",
     "月亮河镇集镇主街", []),
    (3, "JB-OL", None, "social-insurance", "online", "灵活就业人员社保怎么续缴",
     "我原来在单位上班，今年辞职开网店，想以灵活就业人员身份继续缴纳养老保险，不知道去哪里办、要带什么材料。",
     "", []),
    (4, "JB-ST-TY", "JB-Q13", "gas", "phone", "老小区燃气管道锈蚀",
     "桃源社区3栋楼外墙的燃气立管锈得很厉害，有一段用铁丝绑着，住户都很担心安全。",
     "桃源镇桃源社区3栋", []),
    (5, XY, "JB-Q04", "education", "reception", "幼儿园入学学位紧张",
     "聚贤社区今年新交付两个小区，附近只有一所公办幼儿园，报名的孩子比学位多出一百多个，家长希望增加普惠性学位。",
     "新元街道聚贤社区", ["due_soon"]),
    # 待补充 — waiting for more information (the clock stops)
    (6, "JB-BD-LY", "JB-Q08", "employment", "online", "公司拖欠加班费",
     "我在良友大厦一家公司上班，连续三个月加班没有发加班费。",
     "良友大厦", ["info"]),
    (7, XY, "JB-Q03", "roads", "online", "路面破损，下雨全是坑",
     "滨河路有好几个大坑，下雨后积水看不出来，骑车很危险。",
     "新元街道滨河路", ["info"]),
    # 已受理 — accepted, awaiting the deputy's reply (one overdue, one due soon)
    (8, JH, "JB-Q01", "parking", "online", "小区停车难，车停到消防通道上",
     "镜湖小区只有两百个车位，住户的车有五百多辆，晚上车停满消防通道和绿化带，消防车根本进不来。",
     "镜湖社区镜湖小区", ["accept", "overdue"]),
    (9, XY, "JB-Q01", "parking", "reception", "希望开放周边单位停车场",
     "新元大道两边的机关单位晚上停车场空着，能不能错时向居民开放，缓解停车难。",
     "新元大道", ["accept", "due_soon"]),
    (10, "JB-ST-WL", "JB-C06", "elderly-care", "online", "社区养老助餐点太少",
     "万楼社区老人多，只有一个助餐点，离得远的老人走不过去，希望增设助餐点或者送餐上门。",
     "万楼社区", ["accept"]),
    (11, "JB-ST-TY", "JB-Q14", "water", "letter", "柳湾村自来水水压低",
     "柳湾村第三村民小组地势高，每天早晚用水高峰时自来水基本流不出来，只能半夜接水。",
     "桃源镇柳湾村第三村民小组", ["accept"]),
    # 待交办 — the deputy replied and proposed assignment
    (12, XY, "JB-C03", "roads", "reception", "公交站台没有遮雨棚",
     "新元大道聚贤街公交站没有遮雨棚和座椅，下雨天等车的老人孩子都淋着。",
     "新元大道聚贤街公交站", ["accept", "reply"]),
    (13, JH, "JB-Q01", "property", "online", "物业不作为，电梯经常停运",
     "镜湖小区5栋电梯一个月坏了四次，物业说没有维修资金，住在高层的老人下不了楼。",
     "镜湖社区镜湖小区5栋", ["accept", "reply"]),
    # 已交办 — assigned, awaiting sign-off (due within one working day)
    (14, XY, "JB-Q05", "street-lights", "online", "聚贤街路灯不亮",
     "聚贤街从新元大道到滨河路这一段路灯坏了一个多月，晚上黑漆漆的，下晚自习的学生很不安全。",
     "新元街道聚贤街", ["accept", "reply", "assign:JB-D-CG"]),
    (15, XY, "JB-P01", "housing-renovation", "reception", "老旧小区改造后楼道灯没装",
     "聚贤小区去年改造完，楼道声控灯一直没装回去，晚上上下楼要打手电。",
     "新元街道聚贤小区", ["accept", "reply", "assign"]),
    # 办理中 — in progress at 区住建局 (one with an approved extension, one urged)
    (16, XY, "JB-Q01", "housing-renovation", "reception", "老旧小区改造进度慢，外墙脱落",
     "镜湖小区改造工程开工半年了，外墙保温层一块块往下掉，脚手架一直没拆，居民出行很不方便。",
     "镜湖社区镜湖小区", ["accept", "reply", "assign", "sign", "extend"]),
    (17, JH, "JB-Q01", "water", "online", "雨后小区门口积水严重",
     "每次下大雨，镜湖路小区门口积水没过膝盖，车进不来人出不去，排水管网需要改造。",
     "镜湖路12号小区门口", ["accept", "reply", "assign:JB-D-ZJ+JB-D-SW", "sign", "urge"]),
    (18, XY, "JB-C01", "gas", "online", "燃气表安装在卧室里",
     "聚贤小区部分老房子燃气表装在卧室里，燃气公司说要住建部门牵头改造，希望尽快解决。",
     "新元街道聚贤小区", ["accept", "reply", "assign:JB-D-ZJ+JB-D-RQ", "sign"]),
    # 已反馈 — the department reported; the deputy's answer is due
    (19, XY, "JB-Q03", "housing-renovation", "reception", "屋顶漏水多年无人管",
     "聚贤小区2栋顶楼一下雨就漏水，墙皮发霉，找了几次都说屋面维修不归他们管。",
     "新元街道聚贤小区2栋", ["accept", "reply", "assign", "sign", "report"]),
    (20, JH, "JB-Q01", "property", "online", "小区垃圾分类点设在窗户下",
     "物业把垃圾分类投放点设在3栋一楼住户窗户下面，夏天臭气熏天，希望挪个位置。",
     "镜湖社区镜湖小区3栋", ["accept", "reply", "assign", "sign", "report"]),
    # 已答复 — answered, waiting for the citizen's rating
    (21, XY, "JB-Q05", "parking", "online", "商户占用人行道停车",
     "新元大道沿街商户把车停在人行道上，盲道被占，推婴儿车只能走机动车道。",
     "新元大道沿街商铺", ["accept", "settle"]),
    (22, JH, "JB-Q01", "housing-renovation", "reception", "加装电梯意见不统一",
     "镜湖小区7栋想加装电梯，一楼住户反对，希望社区和住建部门帮忙协调、讲清楚补助政策。",
     "镜湖社区镜湖小区7栋", ["accept", "reply", "assign", "sign", "report", "answer"]),
    # 已办结 — closed with a rating
    (23, XY, "JB-Q01", "parking", "reception", "新建停车场收费太高",
     "新元街道新建的立体停车场每月收费四百元，附近居民觉得太贵，希望出台居民优惠价。",
     "新元街道立体停车场", ["accept", "reply", "assign", "sign", "report", "answer",
                          "rate:satisfied"]),
    (24, XY, "JB-P01", "health", "online", "社区卫生服务站周末不开门",
     "镜湖社区卫生服务站周六周日不开门，上班族看病拿药很不方便。",
     "镜湖社区卫生服务站", ["accept", "settle", "rate:basic"]),
    (25, JH, "JB-Q01", "water", "online", "二次供水水箱清洗不及时",
     "镜湖小区二次供水水箱一年多没清洗了，自来水有时发黄，希望定期清洗并公示检测报告。",
     "镜湖社区镜湖小区", ["accept", "reply", "assign", "sign", "report", "answer",
                        "rate:satisfied"]),
    (26, XY, "JB-Q04", "education", "reception", "幼儿园门口接送秩序乱",
     "聚贤幼儿园门口放学时家长车辆乱停，孩子在车缝里穿行，希望增派交警或设临时停车区。",
     "聚贤幼儿园门口", ["accept", "settle", "rate:satisfied"]),
    # 重办 — the first 不满意 sent it back; now re-handled (in progress, round 2)
    (27, XY, "JB-Q01", "property", "reception", "物业费上涨没有公示",
     "镜湖小区物业今年把物业费从每平方米1.2元涨到1.8元，没有开业主大会也没有公示成本。",
     "镜湖社区镜湖小区", ["accept", "reply", "assign", "sign", "report", "answer",
                        "rate:unsatisfied", "assign", "sign"]),
    # closed after the re-handling, still unsatisfied
    (28, XY, "JB-C03", "housing-renovation", "online", "改造后小区道路又被挖开",
     "聚贤小区路面去年刚改造，今年管网施工又挖开了，回填后坑坑洼洼，希望统筹施工。",
     "新元街道聚贤小区", ["accept", "reply", "assign", "sign", "report", "answer",
                        "rate:unsatisfied", "assign", "sign", "report", "answer",
                        "rate:unsatisfied"]),
    # 已引导 — referred to the proper channel
    (29, "JB-ST-WL", None, "other", "online", "房屋买卖合同纠纷已经起诉",
     "我和开发商的购房合同纠纷已经在法院起诉了，想请代表帮忙催一催法院尽快判决。",
     "", ["refer:litigation"]),
    (30, "JB-ST-YLH", None, "other", "letter", "举报村干部优亲厚友",
     "反映补雨村个别村干部在低保评定中优亲厚友的问题。",
     "月亮河镇补雨村", ["refer:discipline"]),
    (31, XY, "JB-Q05", "safety", "phone", "小区门口有人打架",
     "现在小区门口有人打架，有人受伤了。",
     "新元街道聚贤小区门口", ["refer:emergency"]),
    # 不予受理 — not accepted
    (32, "JB-OL", None, "other", "online", "代办各类证件",
     "专业代办各类证件，价格优惠，联系微信。", "", ["reject:spam"]),
    (33, "JB-ST-TY", "JB-X12", "education", "online", "校车安全",
     "希望关注。", "", ["info", "reject:empty"]),
    # 已合并 — the same matter raised twice: the second follows the first
    (34, XY, "JB-Q05", "street-lights", "phone", "聚贤街晚上太黑",
     "聚贤街路灯不亮好久了，晚上出门要打手电筒。", "新元街道聚贤街", ["merge:14"]),
    (35, "JB-ST-WL", "JB-Q06", "market-order", "reception", "菜市场门口堵得走不动",
     "万楼路菜市场门口早上摆摊的太多了，送孩子上学要绕路。", "万楼路菜市场", ["merge:1"]),
    # 已撤回 — withdrawn by the citizen
    (36, "JB-BD-LY", "JB-C02", "social-insurance", "online", "社保卡补办",
     "社保卡丢了，想问问在哪里补办。", "", ["withdraw"]),
    (37, XY, "JB-Q01", "parking", "online", "共享单车堆满人行道",
     "新元大道地铁口共享单车堆满人行道。", "新元大道地铁站", ["accept", "withdraw"]),
    # more, for fuller queues
    (38, "JB-HM-BCH", "JB-X02", "roads", "reception", "通村公路涵洞堵塞",
     "百车河社区到法那四组的路上，涵洞被泥沙堵了，一下雨路面就淹。",
     "百车河社区法那四组", ["accept"]),
    (39, "JB-RM-BY", "JB-Q11", "water", "reception", "农田灌溉水渠年久失修",
     "补雨村第一村民小组的灌溉水渠多处垮塌，春耕放水放不下来。",
     "月亮河镇补雨村第一村民小组", []),
    (40, XY, "JB-Q01", "gas", "online", "燃气灶具推销上门",
     "有人冒充燃气公司上门推销灶具和报警器，说不换就停气，老人被骗了好几百元。",
     "镜湖社区", ["accept", "reply", "assign:JB-D-ZJ+JB-D-SJ", "sign", "report", "answer"]),
]
# fmt: on

TEXT = {
    "info": "请补充具体的时间、地点和涉及的单位，方便我们核实。",
    "supplement": "已补充：具体位置和时间见上，谢谢。",
    "reply": "您反映的问题已收到，我已到现场看过，情况属实。这件事需要相关部门办理，"
    "我已建议交办，会跟踪到底。",
    "settle": "您好，我已联系相关单位现场协调，问题已经当场解决。如还有问题请随时联系联络站。",
    "result": "经现场核查，已制定整改方案并组织施工，预计两周内完成，完成后组织居民验收。",
    "answer": "您好，承办单位已办理完毕：已按方案整改到位，并建立长效管理机制。"
    "感谢您的监督，请对办理结果进行评价。",
    "withdraw": "问题已经自行解决，撤回留言。",
    "extend": "涉及多个产权单位，需要协调资金和施工队伍。",
    "urge": "请加快办理进度，按期反馈。",
}


def phone(n: int) -> str:
    return f"{PHONE_PREFIX}{n:04d}"


class Loader:
    def __init__(self) -> None:
        users = {u.username: u for u in User.objects.filter(username__in=_USERNAMES)}
        missing = set(_USERNAMES) - set(users)
        if missing:
            raise RuntimeError(f"Demo accounts missing: {', '.join(sorted(missing))}.")
        self.station_staff = users["station"]
        self.street = users["street"]
        self.committee = users["committee"]
        self.deputy = users["deputy"]
        self.department = users["department"]
        self.stations = {s.code: s for s in Station.objects.select_related("region")}
        self.deputies = {d.code: d for d in Deputy.objects.all()}
        self.departments = {d.code: d for d in Department.objects.all()}
        self.categories = {c.code: c for c in Category.objects.all()}
        self.cases: dict[int, Case] = {
            int(c.citizen_phone[-4:]): c
            for c in Case.objects.filter(citizen_phone__startswith=PHONE_PREFIX)
        }

    def load(self) -> int:
        created = 0
        for scenario in SCENARIOS:
            if scenario[0] in self.cases:
                continue
            with transaction.atomic():
                self.cases[scenario[0]] = self.run(*scenario)
            created += 1
        return created

    def reviewer(self, case: Case) -> User:
        if case.station_id == self.station_staff.station_id:
            return self.station_staff
        if case.region_path.startswith(self.street.region.path):
            return self.street
        return self.committee

    def speaker(self, case: Case) -> User:
        """The deputy's own account, or the station's staff entering the reply for them."""
        if case.deputy_id == self.deputy.deputy_id:
            return self.deputy
        return self.station_staff

    def run(self, n, station, deputy, category, channel, title, description, where, steps) -> Case:
        station = self.stations[station]
        actor = None
        if channel != Channel.ONLINE:  # registered by staff: a visit, a call or a letter
            actor = self.station_staff if station.pk == self.station_staff.station_id else None
            actor = actor or self.committee
        case = services.submit_case(
            channel=channel,
            station=station,
            deputy=self.deputies[deputy] if deputy else None,
            category=self.categories[category],
            title=title,
            description=description,
            location_text=where,
            citizen_phone=phone(n),
            citizen_name=["陈女士", "王先生", "李阿姨", "张师傅", "刘女士", ""][n % 6],
            public_consent=n % 3 != 0,
            privacy_accepted=True,
            actor=actor,
            language="zh-hans",
        )
        for step in steps:
            case = self.step(case, step)
        return case

    def step(self, case: Case, step: str) -> Case:
        name, _, argument = step.partition(":")
        if name == "accept":
            deputy = None
            if case.deputy_id is None:
                deputy = self.stations_first_deputy(case)
            return services.accept_case(case, actor=self.reviewer(case), deputy=deputy)
        if name == "info":
            return services.request_info(case, actor=self.reviewer(case), reason=TEXT["info"])
        if name == "supplement":
            return services.supplement_case(case, text=TEXT["supplement"])
        if name == "reject":
            return services.reject_case(case, actor=self.reviewer(case), reason=argument)
        if name == "refer":
            referral = ReferralChannel.objects.get(code=argument)
            return services.refer_case(case, actor=self.reviewer(case), referral_channel=referral)
        if name == "withdraw":
            return services.withdraw_case(case, reason=TEXT["withdraw"])
        if name in ("reply", "settle"):
            return services.reply_case(
                case, actor=self.speaker(case), text=TEXT[name], settle=name == "settle"
            )
        if name == "assign":
            lead, *co = (argument or ZJ).split("+")
            return services.assign_case(
                case,
                actor=self.committee,
                lead_department=self.departments[lead],
                co_departments=[self.departments[code] for code in co],
            )
        if name == "sign":
            return services.sign_assignment(case, actor=self.department)
        if name == "extend":
            services.request_extension(
                case, actor=self.department, days_requested=10, reason=TEXT["extend"]
            )
            assignment = case.assignments.get(department=self.department.department, role="lead")
            return services.decide_extension(
                case, actor=self.committee, assignment=assignment, approve=True
            )
        if name == "urge":
            return services.urge_case(case, actor=self.committee, note=TEXT["urge"])
        if name == "report":
            # The demo has no accounts of the co-handling departments: the committee releases
            # them, as it would a co-handler that never signed (the lead's report waits).
            if selectors.awaited_co_handlers(case):
                case = services.release_co_handlers(case, actor=self.committee)
            return services.report_result(case, actor=self.department, text=TEXT["result"])
        if name == "answer":
            return services.answer_case(case, actor=self.speaker(case), text=TEXT["answer"])
        if name == "rate":
            return services.rate_case(case, rating=argument, comment="")
        if name == "merge":
            return services.merge_case(case, self.cases[int(argument)], actor=self.reviewer(case))
        if name in ("overdue", "due_soon"):
            return _backdate(case, overdue=name == "overdue")
        raise ValueError(f"Unknown demo step {step!r}.")

    def stations_first_deputy(self, case: Case) -> Deputy:
        return case.station.deputies.filter(is_active=True).order_by("code").first()


_USERNAMES = ["station", "street", "committee", "deputy", "department"]


def _backdate(case: Case, *, overdue: bool) -> Case:
    """Make the current step look as if it had started earlier, so that the demo queues show a
    red (overdue) and a yellow (due by the end of the next working day) case.

    The services take the time from the clock, so this is the one place demo data is written
    directly: `created_at` and the deadline fields of the case only (demo realism, never done to
    real data); the events keep their real times, as the append-only timeline must."""
    calendar = Calendar()
    today = local_day(timezone.now())
    if overdue:
        start = today - timedelta(days=20)  # past even the longest holiday break
    else:
        target = add_working_days(today, 1, calendar=calendar).due_date
        start = today
        while add_working_days(start, case.due_days, calendar=calendar).due_date > target:
            start -= timedelta(days=1)
    start_at = timezone.localtime(timezone.now()).replace(
        year=start.year, month=start.month, day=start.day
    )
    deadline = add_working_days(start_at, case.due_days, calendar=calendar)
    Case.objects.filter(pk=case.pk).update(
        created_at=min(start_at, case.created_at),
        due_from=start_at,
        due_at=deadline.due_at,
        due_provisional=deadline.provisional,
    )
    case.refresh_from_db()
    return case


# Routing rules (分办规则) the assignment form suggests from: category, region code (None:
# everywhere), department, role. 新元街道's street lights go to its own 城管办 first.
ROUTING_RULES = [
    ("street-lights", None, "JB-D-CG", "lead"),
    ("street-lights", "420190001000", "JB-D-XYCG", "lead"),
    ("roads", None, "JB-D-JT", "lead"),
    ("parking", None, "JB-D-CG", "lead"),
    ("parking", None, "JB-D-JJ", "co"),
    ("housing-renovation", None, "JB-D-ZJ", "lead"),
    ("property", None, "JB-D-ZJ", "lead"),
    ("water", None, "JB-D-SW", "lead"),
    ("water", None, "JB-D-ZJ", "co"),
    ("gas", None, "JB-D-RQ", "lead"),
    ("gas", None, "JB-D-ZJ", "co"),
    ("education", None, "JB-D-JY", "lead"),
    ("social-insurance", None, "JB-D-RS", "lead"),
    ("employment", None, "JB-D-RS", "lead"),
    ("elderly-care", None, "JB-D-MZ", "lead"),
    ("market-order", None, "JB-D-CG", "lead"),
]


def load_routing_rules() -> None:
    """Idempotent: a rule that exists (same category, region, department, role) is kept."""
    categories = {c.code: c for c in Category.objects.all()}
    departments = {d.code: d for d in Department.objects.all()}
    regions = {r.code: r for r in Region.objects.filter(code__in={r[1] for r in ROUTING_RULES})}
    for category, region, department, role in ROUTING_RULES:
        if category in categories and department in departments:
            RoutingRule.objects.get_or_create(
                category=categories[category],
                region=regions.get(region),
                department=departments[department],
                role=role,
            )


def load() -> int:
    """Create the demo cases that are missing; return how many were created."""
    load_routing_rules()
    return Loader().load()


@registry.demo.register(order=10)
def load_demo() -> dict[str, int]:
    return {"cases": load()}
