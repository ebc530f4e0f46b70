"""Generated messages for `liaison triage generate` (demos and the triage bench): what citizens
write to each kind of department, recombined at random so that no two messages read the same.

Deliberately not the sentences tests/triage checks: those are hand-written. A department is
matched to a topic list by a word of its name (住建, 交通, 城市管理, …), so the generator works
with any directory, not only the demo one.
"""

import random

# name keyword → [(category code, subjects, problems)]
TOPICS = {
    "住房": [
        (
            "property",
            ["电梯", "小区电梯", "单元楼电梯", "加装电梯"],
            ["经常停运", "困人", "年检过期", "维修拖了很久", "异响严重"],
        ),
        (
            "property",
            ["物业公司", "物业服务", "物业费"],
            ["乱收费", "服务差", "不公示收支", "换届不透明", "不处理报修"],
        ),
        (
            "housing-renovation",
            ["老旧小区改造", "外墙保温", "楼顶防水", "雨污分流工程"],
            ["施工拖延", "质量差", "漏水", "没人验收", "方案未征求意见"],
        ),
        (
            "property",
            ["房屋产权证", "不动产证", "公租房申请"],
            ["迟迟办不下来", "审核太慢", "材料反复要求补"],
        ),
    ],
    "交通运输": [
        (
            "roads",
            ["公交线路", "公交站台", "公交车班次"],
            ["班次太少", "站台破损", "线路被取消", "末班车太早"],
        ),
        (
            "roads",
            ["乡村公路", "道路路面", "桥梁护栏"],
            ["坑洼破损", "塌陷", "护栏缺失", "长期未修"],
        ),
        ("roads", ["出租车", "网约车"], ["拒载", "绕路", "乱收费"]),
    ],
    "城市管理": [
        (
            "market-order",
            ["占道经营", "流动摊贩", "夜市摊点"],
            ["堵塞人行道", "噪音扰民", "油烟污染", "垃圾遍地"],
        ),
        (
            "sanitation",
            ["垃圾清运", "垃圾桶", "公共厕所"],
            ["不及时", "满溢发臭", "损坏无人管", "脏乱差"],
        ),
        ("street-lights", ["路灯", "景观灯"], ["不亮", "忽明忽暗", "白天也亮", "灯杆倾斜"]),
        (
            "other",
            ["违章搭建", "私搭乱建", "楼顶加盖"],
            ["影响采光", "存在安全隐患", "占用公共通道"],
        ),
    ],
    "教育": [
        (
            "education",
            ["幼儿园学位", "入学报名", "小学划片"],
            ["不够", "太难", "不合理", "政策不清楚"],
        ),
        (
            "education",
            ["学校食堂", "课后服务", "校外培训机构"],
            ["收费过高", "卫生差", "违规补课", "拖欠退费"],
        ),
        ("education", ["上学路上", "校门口交通"], ["没有护学岗", "接送拥堵", "缺少斑马线"]),
    ],
    "人力资源": [
        ("employment", ["工资", "农民工工资", "劳务费"], ["被拖欠", "长期不发", "克扣"]),
        (
            "social-insurance",
            ["养老保险", "医保报销", "社保转移"],
            ["办理困难", "待遇偏低", "断缴无法补"],
        ),
        ("employment", ["就业培训", "创业补贴", "失业金"], ["申领不到", "信息不公开", "名额太少"]),
    ],
    "民政": [
        (
            "elderly-care",
            ["社区养老服务站", "老年食堂", "居家养老"],
            ["服务时间太短", "价格偏高", "开了又关", "缺少护理员"],
        ),
        (
            "social-insurance",
            ["低保", "残疾人补贴", "困难救助"],
            ["审批太慢", "被取消", "标准不清楚"],
        ),
        ("other", ["婚姻登记", "殡葬服务", "社会组织"], ["预约难", "收费不透明", "管理混乱"]),
    ],
    "卫生健康": [
        (
            "health",
            ["社区卫生服务中心", "家庭医生", "村卫生室"],
            ["看病难", "缺医少药", "签约不服务", "开门时间短"],
        ),
        ("health", ["疫苗接种", "体检", "慢病用药"], ["预约不上", "排队太久", "药品短缺"]),
    ],
    "市场监督": [
        (
            "market-order",
            ["餐馆", "超市", "菜市场"],
            ["食品过期", "卫生条件差", "缺斤少两", "价格欺诈"],
        ),
        ("market-order", ["预付卡", "健身房", "美容店"], ["跑路", "拒绝退款", "虚假宣传"]),
    ],
    "应急": [
        (
            "safety",
            ["消防通道", "电动车充电", "危化品仓库"],
            ["被堵塞", "飞线充电", "存在隐患", "离居民区太近"],
        ),
        ("safety", ["防汛", "山体滑坡", "积水点"], ["隐患未排查", "没有预警", "抢险不及时"]),
    ],
    "水务": [
        ("water", ["自来水", "供水管道", "水压"], ["发黄浑浊", "爆管", "水压太低", "频繁停水"]),
        ("water", ["下水道", "排水管网", "窨井盖"], ["堵塞", "污水外溢", "井盖缺失", "雨天倒灌"]),
        ("water", ["水费", "水表"], ["计费异常", "抄表不准", "突然很高"]),
    ],
    "燃气": [
        ("gas", ["天然气", "燃气管道", "燃气表"], ["漏气", "开户太慢", "气压不稳", "安检上门收费"]),
        ("gas", ["燃气费", "燃气报装"], ["收费过高", "一直没通气", "收初装费"]),
    ],
    "交通管理": [
        ("parking", ["违停", "乱停车", "占用消防通道停车"], ["没人管", "堵塞路口", "影响出行"]),
        ("roads", ["红绿灯", "信号灯", "斑马线"], ["时间太短", "损坏", "设置不合理", "缺少"]),
        ("roads", ["电动车", "渣土车", "大货车"], ["闯红灯", "超速", "夜间噪音大"]),
    ],
    "城市管理办公室": [
        (
            "sanitation",
            ["背街小巷", "小区周边", "街道绿化带"],
            ["卫生死角", "杂物乱堆", "杂草丛生"],
        ),
        ("parking", ["共享单车", "非机动车"], ["乱停乱放", "堆满人行道"]),
    ],
    "社区建设": [
        ("other", ["社区活动室", "社区服务中心", "居委会"], ["长期锁门", "办事推诿", "活动太少"]),
        ("housing-renovation", ["小区健身器材", "楼道", "小区围墙"], ["损坏", "照明缺失", "破损"]),
    ],
    "农业农村": [
        ("other", ["农田灌溉", "水渠", "机耕路"], ["年久失修", "淤塞", "无法通行"]),
        ("other", ["农业补贴", "土地流转", "宅基地"], ["没有发放", "纠纷", "审批难"]),
    ],
}
GENERIC = [("other", ["办事窗口", "政务服务", "公共设施"], ["效率低", "态度差", "无人维护"])]

OPENERS = [
    "",
    "",
    "您好，",
    "代表您好，",
    "我是附近居民，",
    "反映一个问题：",
    "我想反映，",
    "麻烦关注一下，",
]
PLACES = [
    "幸福",
    "建设",
    "和平",
    "新华",
    "江滨",
    "月湖",
    "解放",
    "光明",
    "长青",
    "民主",
    "团结",
    "东风",
]
PLACE_KINDS = ["路", "街", "小区", "花园", "新村", "社区", "家园"]
DURATIONS = [
    "",
    "已经一个多月了，",
    "快半年了，",
    "持续好几周，",
    "反复出现，",
    "多次反映未果，",
    "今年以来，",
]
EFFECTS = [
    "",
    "给居民生活带来很大不便。",
    "老人孩子出行很危险。",
    "大家意见很大。",
    "影响周边几百户居民。",
    "打过热线也没解决。",
    "",
]
ASKS = ["", "希望有关部门尽快处理。", "请帮忙督促解决。", "盼早日答复。", "请代表帮忙协调。", ""]


def topics_for(name: str) -> list:
    for keyword in sorted(TOPICS, key=len, reverse=True):
        if keyword in name:
            return TOPICS[keyword]
    # A few shorter keywords of common department names.
    for short, keyword in (("住建", "住房"), ("交通", "交通运输"), ("城管", "城市管理")):
        if short in name:
            return TOPICS[keyword]
    return GENERIC


VAGUE = [
    ("other", "反映{place}的问题", "{place}这边的问题反映过好几次了，一直没有人来管，{ask}"),
    ("other", "{place}居民的诉求", "我们{place}的居民有困难，之前找过社区，没有结果。{ask}"),
    ("other", "咨询一下办事流程", "想问一下这个事情应该找哪个部门，跑了几趟都说不归他们管。"),
]


def vague(rng: random.Random) -> tuple[str, str, str]:
    """A message that names no matter: what no model can route (part of every real history)."""
    category, title, text = rng.choice(VAGUE)
    place = rng.choice(PLACES) + rng.choice(PLACE_KINDS)
    ask = rng.choice(ASKS) or "请帮忙。"
    return category, title.format(place=place), text.format(place=place, ask=ask)


def message(rng: random.Random, topics: list) -> tuple[str, str, str]:
    """(category code, title, description) of one generated message."""
    category, subjects, problems = rng.choice(topics)
    subject, problem = rng.choice(subjects), rng.choice(problems)
    place = rng.choice(PLACES) + rng.choice(PLACE_KINDS)
    if rng.random() < 0.5:
        title = f"{place}{subject}{problem}"
    else:
        title = f"关于{subject}{problem}的问题" if rng.random() < 0.5 else f"{subject}{problem}"
    second_subject, second_problem = rng.choice(subjects), rng.choice(problems)
    extra = f"另外{second_subject}也{second_problem}，" if rng.random() < 0.3 else ""
    description = (
        f"{rng.choice(OPENERS)}{place}{rng.randint(1, 60)}号附近的{subject}{problem}，"
        f"{rng.choice(DURATIONS)}{extra}{rng.choice(EFFECTS)}{rng.choice(ASKS)}"
    )
    return category, title[:120], description
