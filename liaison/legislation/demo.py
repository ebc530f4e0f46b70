"""Demo consultations for `liaison load_demo`: the district committee of 江滨区 asks for comments
on two drafts, with 新元街道 and 万楼街道 stations as contact points.

- 《江滨区住宅小区物业管理条例（草案）》: open for comment, 24 articles in 4 chapters, online
  comments (some published, one merged into a hearing's), a hearing (座谈会) of 新元街道.
- 《江滨区电动自行车停放充电管理规定（草案）》: closed, adoption recorded — the public page shows
  "征集意见 N 条，采纳 M 条".
- 江滨区2027年度立法项目建议征集: a call for proposals of topics, open, two proposals published.
- 2027年江滨区人民政府工作报告（征求意见稿）: a work report put to pre-review (网上预审) before the
  congress session, open to the deputies and the public, in paragraphs under its headings.

Driven through the services by the demo accounts; idempotent (a draft whose title exists is
skipped); each draft is one transaction.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import User
from liaison.core import registry
from liaison.directory.models import Region, Station
from liaison.workdays.deadlines import local_day

from . import services
from .importing import numeral
from .models import Audience, Draft, DraftKind, ReportType

OPEN_TITLE = "江滨区住宅小区物业管理条例（草案）"
CLOSED_TITLE = "江滨区电动自行车停放充电管理规定（草案）"
CALL_TITLE = "江滨区2027年度立法项目建议征集"
REPORT_TITLE = "2027年江滨区人民政府工作报告（征求意见稿）"
REPORT_TEXT = """一、2026年工作回顾
过去一年，全区地区生产总值增长6.1%，一般公共预算收入增长5.3%，城乡居民收入稳步增长。

完成老旧小区改造42个，新增托育机位600个，新建口袋公园15个。

二、2027年主要任务
（一）着力扩大有效投资
实施重大项目120个，完成投资300亿元，推进江滨新城基础设施建设。

（二）持续办好民生实事
新增公共停车位3000个，改造农贸市场8个，推进加装电梯200台。

（三）提升基层治理水平
深化人大代表联络站建设，完善网格化管理，畅通群众诉求表达渠道。
"""
PROPOSALS = [
    "建议制定老旧小区加装电梯管理规定，明确低层住户补偿和维护责任。",
    "建议制定养犬管理条例，解决不拴绳、不清理粪便等问题。",
]

CHAPTERS = {
    1: (
        "总则",
        [
            "为了规范住宅小区物业管理活动，维护业主和物业服务人的合法权益，根据有关法律法规，结合本区实际，制定本条例。",
            "本条例适用于本区行政区域内住宅小区的物业管理及其监督管理活动。",
            "区住房和城乡建设部门负责本区物业管理活动的监督管理工作。",
            "街道办事处、镇人民政府指导、监督辖区内业主大会的成立和业主委员会的选举工作。",
            "鼓励物业服务人采用新技术、新方法，提高物业服务质量。",
        ],
    ),
    2: (
        "业主和业主大会",
        [
            "业主享有按照物业服务合同的约定接受物业服务的权利。",
            "业主大会由物业管理区域内全体业主组成。",
            "业主委员会委员应当由热心公益事业、责任心强的业主担任。",
            "业主委员会应当每年向业主大会报告工作，并公布财务收支情况。",
            "业主大会、业主委员会的决定应当在物业管理区域内显著位置公告。",
            "业主委员会不得擅自决定使用住宅专项维修资金。",
        ],
    ),
    3: (
        "物业服务",
        [
            "物业服务人应当按照物业服务合同的约定提供服务。",
            "物业服务人应当在物业管理区域内显著位置公示服务内容、服务标准和收费项目。",
            "物业服务收费应当遵循合理、公开以及费用与服务水平相适应的原则。",
            "物业服务人调整收费标准的，应当提前三十日公示，并经业主大会同意。",
            "物业服务人应当每半年公布一次公共收益的收支情况。",
            "物业服务人退出物业管理区域的，应当按照规定办理交接。",
            "物业服务人不得采取停止供电、供水等方式催交物业费。",
        ],
    ),
    4: (
        "法律责任和附则",
        [
            "违反本条例规定的，由区住房和城乡建设部门责令限期改正。",
            "物业服务人未按规定公示收费项目的，依法予以处罚。",
            "国家机关工作人员在物业管理工作中滥用职权、玩忽职守的，依法给予处分。",
            "本条例所称物业服务人，包括物业服务企业和其他管理人。",
            "住宅专项维修资金的具体管理办法，由区人民政府另行制定。",
            "本条例自2027年7月1日起施行。",
        ],
    ),
}

ONLINE = [  # article number (None: the whole draft), text, name, consent, publish
    (14, "建议明确调价须经业主大会表决的具体比例，比如双过半。", "陈桂兰", True, True),
    (14, "同意调价要业主大会同意，但三十日太短，建议六十日。", "", True, True),
    (16, "建议物业退出时给业主留出三个月的过渡期。", "刘建", False, True),
    (18, "公共收益应当每季度公布，并且列明广告位和停车费收入。", "", True, True),
    (None, "条例整体很好，希望加入老旧小区无物业时的兜底条款。", "张大爷", True, True),
    (9, "业主委员会委员的任职条件可以再具体一些。", "", True, False),
]


def _text() -> list[str]:
    lines = [OPEN_TITLE, "（征求意见稿）"]
    number = 1
    for chapter, (title, articles) in CHAPTERS.items():
        lines.append(f"第{numeral(chapter)}章　{title}")
        for text in articles:
            lines.append(f"第{numeral(number)}条　{text}")
            number += 1
    return lines


def _accounts():
    users = {u.username: u for u in User.objects.filter(username__in=["committee", "station"])}
    return users.get("committee"), users.get("station")


def _comment(draft, number, text, name, consent, phone):
    article = draft.articles.get(number=number) if number else None
    comment, code = services.submit_comment(
        draft,
        article=article,
        text=text,
        name=name,
        phone=phone,
        consent=consent,
        language="zh-hans",
    )
    return services.verify_comment(comment, code)


@transaction.atomic
def _open_draft(committee, station_user, region, stations, today) -> int:
    draft = services.save_draft(
        actor=committee,
        title=OPEN_TITLE,
        explanation="为解决物业服务收费不透明、公共收益去向不明、业主大会成立难等群众反映集中的问题，"
        "区人大常委会起草了本条例草案，现公开征求意见。欢迎对任一条款或整个草案提出意见。",
        region=region,
        issuing_body="江滨区人大常委会",
        opens_on=today - timedelta(days=10),
        closes_on=today + timedelta(days=20),
        stations=stations,
    )
    services.import_text(draft, actor=committee, lines=_text())
    draft = services.open_draft(draft, actor=committee)
    created = 0
    for index, (number, text, name, consent, publish) in enumerate(ONLINE):
        comment = _comment(draft, number, text, name, consent, f"1390000{index:04d}")
        if publish:
            services.publish_comment(comment, actor=station_user)
        created += 1
    hearing = services.enter_offline_comment(
        draft,
        actor=station_user,
        article=draft.articles.get(number=14),
        text="座谈会上12位居民一致认为，物业费调价必须经业主大会表决同意，并建议公示期延长至六十日。",
        offline_kind="hearing",
        people=12,
        station=stations[0],
    )
    services.publish_comment(hearing, actor=station_user)
    second = draft.comments.filter(article__number=14, name="").first()
    services.merge_comment(second, into=hearing, actor=station_user)
    return created + 1


@transaction.atomic
def _closed_draft(committee, station_user, region, stations, today) -> int:
    draft = services.save_draft(
        actor=committee,
        title=CLOSED_TITLE,
        explanation="为消除电动自行车室内停放充电的火灾隐患，起草本规定。",
        region=region,
        issuing_body="江滨区人大常委会",
        opens_on=today - timedelta(days=40),
        closes_on=today,
        stations=stations,
    )
    services.import_text(
        draft,
        actor=committee,
        lines=[
            "第一条　为了加强电动自行车停放充电管理，预防火灾事故，制定本规定。",
            "第二条　禁止在楼道、疏散通道、安全出口停放电动自行车或者为其充电。",
            "第三条　住宅小区应当设置电动自行车集中停放充电场所。",
            "第四条　集中充电设施的收费标准应当公示。",
        ],
    )
    draft = services.open_draft(draft, actor=committee)
    rows = [
        (2, "建议明确楼道停放的处罚标准，先劝导后处罚。", "adopted", ""),
        (
            3,
            "老旧小区没有空地，建议允许利用闲置自行车棚改造。",
            "partly",
            "已增加利用闲置场地改造的表述，具体由街道统筹。",
        ),
        (4, "充电收费应当由政府定价。", "not", "充电服务属于市场调节价，条例要求公示并接受监督。"),
    ]
    comments = [
        _comment(draft, n, text, "", True, f"1390001{i:04d}")
        for i, (n, text, *_r) in enumerate(rows)
    ]
    for comment in comments:
        services.publish_comment(comment, actor=station_user)
    draft = services.close_draft(draft, actor=committee)
    for comment, (_n, _text, adoption, reason) in zip(comments, rows, strict=True):
        comment.refresh_from_db()
        services.adopt_comment(comment, actor=committee, adoption=adoption, reason=reason)
    services.report_draft(draft, actor=committee)
    services.tell_contributors(draft, actor=committee)
    return len(rows)


@transaction.atomic
def _call(committee, station_user, region, stations, today) -> int:
    call = services.save_draft(
        actor=committee,
        kind=DraftKind.CALL,
        title=CALL_TITLE,
        explanation="区人大常委会正在编制2027年度立法计划，欢迎提出需要制定或修改的地方性法规项目及理由。",
        region=region,
        issuing_body="江滨区人大常委会",
        opens_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=25),
        stations=stations,
    )
    call = services.open_draft(call, actor=committee)
    for index, text in enumerate(PROPOSALS):
        proposal = _comment(call, None, text, "", True, f"1390002{index:04d}")
        services.publish_comment(proposal, actor=station_user)
    return len(PROPOSALS)


@transaction.atomic
def _report(committee, region, stations, today) -> None:
    report = services.save_draft(
        actor=committee,
        kind=DraftKind.REPORT,
        report_type=ReportType.GOVERNMENT,
        session="江滨区第十八届人民代表大会第五次会议",
        audience=Audience.PUBLIC,
        title=REPORT_TITLE,
        explanation="区人民代表大会召开前，政府工作报告征求意见稿在网上征求代表和群众意见。",
        region=region,
        issuing_body="江滨区人大常委会",
        opens_on=today - timedelta(days=2),
        closes_on=today + timedelta(days=12),
        stations=stations,
    )
    services.import_text(report, actor=committee, lines=REPORT_TEXT.splitlines())
    services.open_draft(report, actor=committee)


@registry.demo.register(order=70)
def load() -> dict[str, int]:
    committee, station_user = _accounts()
    region = Region.objects.filter(code="420190000000").first()
    stations = list(Station.objects.filter(code__in=["JB-ST-XY", "JB-ST-WL"]).order_by("code"))
    stations.sort(key=lambda s: s.code != "JB-ST-XY")  # 新元 first: the station account's own
    if committee is None or station_user is None or region is None or len(stations) < 2:
        return {}
    existing = set(Draft.objects.values_list("title", flat=True))
    today = local_day(timezone.now())
    drafts = comments = 0
    if OPEN_TITLE not in existing:
        comments += _open_draft(committee, station_user, region, stations, today)
        drafts += 1
    if CLOSED_TITLE not in existing:
        comments += _closed_draft(committee, station_user, region, stations, today)
        drafts += 1
    if CALL_TITLE not in existing:
        comments += _call(committee, station_user, region, stations, today)
        drafts += 1
    reports = 0
    if REPORT_TITLE not in existing:
        _report(committee, region, stations, today)
        reports += 1
    return {"draft regulations": drafts, "comments on drafts": comments, "work reports": reports}
