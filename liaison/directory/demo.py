"""Demo data: a fictional district for `make run`, loaded by `liaison load_demo`.

江滨区 (division code 420190) does not exist: it is a made-up district of Wuhan (湖北省武汉市,
real codes 420000 / 420100), placed in the city's real centre so the map looks plausible. Its
streets, stations and names borrow the kinds of places the source articles describe (a station
in every street and township, rooms in communities, a deputy's home, a building station in an
office tower, an online station). All people, phone numbers and addresses are fictional; the
mobile numbers are 1390000xxxx and the landlines 027-8555xxxx.

Every row is keyed by its code, so loading twice creates nothing new.
"""

import colorsys
import hashlib
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from liaison.core import registry

from . import services
from .models import (
    Category,
    Department,
    DepartmentLevel,
    Deputy,
    DeputyLevel,
    GridCell,
    PositionKind,
    Region,
    RegionLevel,
    Station,
    StationKind,
    StationPosition,
)

# (code, name, level, parent code) — 12-digit 统计用区划代码: 2 province, 2 city, 2 county,
# 3 township (001-099 streets, 100-199 towns), 3 community (001-199 居委会, 200-399 村委会).
REGIONS = [
    ("420000000000", "湖北省", RegionLevel.PROVINCE, None),
    ("420100000000", "武汉市", RegionLevel.CITY, "420000000000"),
    ("420190000000", "江滨区", RegionLevel.COUNTY, "420100000000"),
    ("420190001000", "新元街道", RegionLevel.TOWNSHIP, "420190000000"),
    ("420190001001", "镜湖社区", RegionLevel.COMMUNITY, "420190001000"),
    ("420190001002", "聚贤社区", RegionLevel.COMMUNITY, "420190001000"),
    ("420190002000", "万楼街道", RegionLevel.TOWNSHIP, "420190000000"),
    ("420190002001", "万楼社区", RegionLevel.COMMUNITY, "420190002000"),
    ("420190002002", "良友社区", RegionLevel.COMMUNITY, "420190002000"),
    ("420190100000", "月亮河镇", RegionLevel.TOWNSHIP, "420190000000"),
    ("420190100001", "百车河社区", RegionLevel.COMMUNITY, "420190100000"),
    ("420190100201", "补雨村", RegionLevel.COMMUNITY, "420190100000"),
    ("420190101000", "桃源镇", RegionLevel.TOWNSHIP, "420190000000"),
    ("420190101001", "桃源社区", RegionLevel.COMMUNITY, "420190101000"),
    ("420190101201", "柳湾村", RegionLevel.COMMUNITY, "420190101000"),
]

OFFICE_HOURS = "周一至周五 8:30—12:00，14:30—17:30"

STATION_RULES = """一、进站代表每月至少进站接待选民一次，接待情况当日登记。
二、群众反映的意见建议一律登记编号，做到件件有登记、事事有回音。
三、能当场答复的当场答复；需要交办的，3个工作日内由代表提出处理意见，按分级原则转交承办单位。
四、涉法涉诉、申诉控告检举等事项，依法引导群众通过相应渠道解决，不代替信访和司法工作。
五、办理结果在15个工作日内答复群众，并开展满意度回访。"""

STATION_PROCESS = """1. 登记：群众来站、来电或扫码留言，工作人员登记《接待选民登记表》。
2. 审核：联络站审核分类，属于代表职责范围的受理。
3. 答复：代表在3个工作日内联系群众，能解决的当场解决。
4. 交办：需部门办理的，经街道人大工委交办承办单位。
5. 反馈：承办单位办理后反馈，代表在15个工作日内答复群众。
6. 评价：群众对办理结果进行满意度评价，不满意的重新办理。"""

ONLINE_PROCESS = """1. 留言：扫描代表公示牌二维码或进入网上联络站，选择代表留言。
2. 审核：工作人员1个工作日内审核分类。
3. 答复：代表3个工作日内在线答复，需要交办的转承办单位办理。
4. 查询：凭查询码随时查看办理进度和答复，办结后在线评价。"""

# code, name, kind, region code, address, latitude, longitude, opening hours, reception days,
# phone. Coordinates: around Wuhan's Jianghan district.
STATIONS = [
    (
        "JB-ST-XY",
        "新元街道人大代表联络站",
        StationKind.STATION,
        "420190001000",
        "江滨区新元大道88号镜湖社区党群服务中心二楼",
        "30.591200",
        "114.267100",
        OFFICE_HOURS,
        "每周一上午、每月15日",
        "027-85550101",
    ),
    (
        "JB-ST-WL",
        "万楼街道人大代表联络站",
        StationKind.STATION,
        "420190002000",
        "江滨区万楼路16号万楼社区党群服务中心一楼",
        "30.602100",
        "114.255300",
        "24小时自助留言；工作日 8:30—17:30 有人值守",
        "每周三全天、每月5日",
        "027-85550102",
    ),
    (
        "JB-ST-YLH",
        "月亮河镇人大代表联络站",
        StationKind.STATION,
        "420190100000",
        "江滨区月亮河镇政府大院东侧便民服务中心",
        "30.635700",
        "114.229800",
        OFFICE_HOURS,
        "每周一全天、逢集日上午",
        "027-85550103",
    ),
    (
        "JB-ST-TY",
        "桃源镇人大代表联络站",
        StationKind.STATION,
        "420190101000",
        "江滨区桃源镇桃源大街23号",
        "30.618800",
        "114.210200",
        OFFICE_HOURS,
        "每周二上午、每月20日",
        "027-85550104",
    ),
    (
        "JB-RM-JH",
        "镜湖社区人大代表联络室",
        StationKind.ROOM,
        "420190001001",
        "江滨区镜湖路12号镜湖社区党群服务中心101室",
        "30.593800",
        "114.270500",
        "周一至周六 9:00—11:30，15:00—17:00",
        "每周一上午",
        "027-85550111",
    ),
    (
        "JB-RM-BY",
        "补雨村人大代表联络室",
        StationKind.ROOM,
        "420190100201",
        "江滨区月亮河镇补雨村村委会一楼",
        "30.642100",
        "114.221500",
        "农忙时节 8:00—11:00；其余时间工作日全天",
        "每月1日、15日",
        "027-85550112",
    ),
    (
        "JB-HM-BCH",
        "百车河代表之家",
        StationKind.HOME,
        "420190100001",
        "江滨区月亮河镇百车河社区安居巷7号（代表田桂英家中）",
        "30.631000",
        "114.218400",
        "每天 8:00—20:00，敲门即可",
        "每周一为人大代表接待选民工作日",
        "13900000128",
    ),
    (
        "JB-BD-LY",
        "良友大厦楼宇人大代表联络站",
        StationKind.BUILDING,
        "420190002002",
        "江滨区解放大道688号良友大厦3楼服务中心",
        "30.586700",
        "114.279400",
        "工作日 12:00—13:30（午间接待），17:30—19:00",
        "每月第二个周四午间",
        "027-85550121",
    ),
    (
        "JB-OL",
        "江滨区网上人大代表联络站",
        StationKind.ONLINE,
        "420190000000",
        "",
        None,
        None,
        "全天24小时在线留言",
        "每周一在线接待，代表3个工作日内答复",
        "027-85550100",
    ),
]

# Terms of the five congresses (届): all fictional but in step with the 2021–2022 elections.
TERMS = {
    DeputyLevel.NATIONAL: "第十四届",
    DeputyLevel.PROVINCIAL: "第十四届",
    DeputyLevel.CITY: "第十五届",
    DeputyLevel.COUNTY: "第十七届",
    DeputyLevel.TOWNSHIP: "第十八届",
}

N, P, C, Q, X = (
    DeputyLevel.NATIONAL,
    DeputyLevel.PROVINCIAL,
    DeputyLevel.CITY,
    DeputyLevel.COUNTY,
    DeputyLevel.TOWNSHIP,
)

# 站长 and 联络员 of the street and town stations (public phones are the stations' own lines).
POSITIONS = {
    "JB-ST-XY": [
        (PositionKind.HEAD, "王丽华", "027-85550101"),
        (PositionKind.LIAISON_OFFICER, "陈晓", ""),
    ],
    "JB-ST-WL": [
        (PositionKind.HEAD, "李建军", "027-85550102"),
        (PositionKind.LIAISON_OFFICER, "张敏", ""),
    ],
    "JB-ST-YLH": [
        (PositionKind.HEAD, "刘德明", "027-85550103"),
        (PositionKind.LIAISON_OFFICER, "赵芳", ""),
    ],
    "JB-ST-TY": [(PositionKind.HEAD, "孙红", ""), (PositionKind.LIAISON_OFFICER, "黄磊", "")],
}

# The region of the congress that elects each level (选举单位): national deputies are elected by
# the province's congress, provincial ones by the city's, city ones by the district's; county and
# township deputies by a constituency, whose region is the row's own region.
ELECTED_BY = {N: "420000000000", P: "420100000000", C: "420190000000"}

# code, name, level, region code, constituency, contact blocks, occupation, bio, station codes
# fmt: off
DEPUTIES = [
    # 全国人大代表
    ("JB-N01", "陈志远", N, "420190002000", "湖北省代表团", ["良友大厦商务楼宇区块"],
     "武汉某智能制造企业总工程师", "长期从事工业互联网研发，关注制造业转型和青年人才就业。",
     ["JB-BD-LY", "JB-OL"]),
    ("JB-N02", "刘静怡", N, "420190100000", "湖北省代表团", ["月亮河镇补雨村", "百车河社区"],
     "月亮河镇补雨村党支部书记", "带领村民发展布依服饰加工和乡村旅游，关注乡村振兴与农村养老。",
     ["JB-ST-YLH", "JB-OL"]),
    # 省人大代表
    ("JB-P01", "黄文斌", P, "420190001000", "武汉市代表团", ["新元街道镜湖社区"],
     "区人民医院心内科主任医师", "关注基层医疗和家庭医生签约服务，每年组织义诊进社区。",
     ["JB-ST-XY"]),
    ("JB-P02", "吴秀兰", P, "420190002000", "武汉市代表团", ["万楼街道万楼社区"],
     "万楼小学校长", "从教三十年，关注学前教育学位供给和校园周边交通安全。",
     ["JB-ST-WL", "JB-OL"]),
    ("JB-P03", "徐海涛", P, "420190101000", "武汉市代表团", ["桃源镇柳湾村"],
     "桃源镇蔬菜专业合作社理事长", "关注农产品流通和农村道路建设，推动合作社带动农户增收。",
     ["JB-ST-TY"]),
    # 市人大代表
    ("JB-C01", "孙立新", C, "420190001000", "江滨区代表团", ["新元街道聚贤社区"],
     "律师事务所主任", "在联络站开设“民法典普法小课堂”，为群众提供法律咨询。",
     ["JB-ST-XY", "JB-RM-JH"]),
    ("JB-C02", "马晓燕", C, "420190002000", "江滨区代表团", ["良友大厦商务楼宇区块"],
     "物流企业人力资源总监", "关注新就业形态劳动者权益保障和社会保险参保。",
     ["JB-BD-LY"]),
    ("JB-C03", "朱建平", C, "420190001000", "江滨区代表团",
     ["新元街道镜湖社区", "新元街道聚贤社区"],
     "公交集团驾驶员", "驾驶公交车二十年，关注公交线路优化和道路安全。", ["JB-ST-XY"]),
    ("JB-C04", "胡春梅", C, "420190100000", "江滨区代表团", ["月亮河镇百车河社区"],
     "镇卫生院护士长", "关注农村留守老人健康管理和医养结合。", ["JB-ST-YLH", "JB-HM-BCH"]),
    ("JB-C05", "郭振华", C, "420190101000", "江滨区代表团", ["桃源镇桃源社区"],
     "民营企业董事长", "关注营商环境和中小企业融资，带头吸纳本地劳动力就业。", ["JB-ST-TY"]),
    ("JB-C06", "何玉珍", C, "420190002000", "江滨区代表团", ["万楼街道万楼社区"],
     "社区养老服务中心负责人", "关注居家养老服务和老年助餐点建设。", ["JB-ST-WL"]),
    # 区人大代表
    ("JB-Q01", "林志强", Q, "420190001001", "第1选区（新元街道镜湖社区）",
     ["镜湖社区第1网格", "镜湖社区第2网格"], "镜湖社区党委书记",
     "推动小区增设停车位、开放周边停车场，缓解停车难。", ["JB-ST-XY", "JB-RM-JH"]),
    ("JB-Q02", "高丽娟", Q, "420190001001", "第1选区（新元街道镜湖社区）", ["镜湖社区第3网格"],
     "物业服务企业项目经理", "关注物业服务质量和老旧小区改造后的长效管理。", ["JB-RM-JH"]),
    ("JB-Q03", "罗德明", Q, "420190001002", "第2选区（新元街道聚贤社区）",
     ["聚贤社区第1网格", "聚贤社区第2网格"], "退休工程师",
     "提出滨河路（新元大道—聚贤街段）路面修复建议并跟踪落实。", ["JB-ST-XY"]),
    ("JB-Q04", "郑秀芳", Q, "420190001002", "第2选区（新元街道聚贤社区）", ["聚贤社区第3网格"],
     "幼儿园园长", "关注普惠性幼儿园建设和托育服务。", ["JB-ST-XY"]),
    ("JB-Q05", "梁国庆", Q, "420190001000", "第3选区（新元街道）", ["新元大道沿线商户区块"],
     "个体工商户", "经营超市十余年，关注沿街商户经营秩序和消费者权益。", ["JB-ST-XY"]),
    ("JB-Q06", "谢婷婷", Q, "420190002001", "第4选区（万楼街道万楼社区）",
     ["万楼街道第53号区块", "万楼街道第54号区块"], "社区网格员",
     "通过“码上找代表”在线收集居民意见，关注菜贩占道经营和环境卫生。", ["JB-ST-WL", "JB-OL"]),
    ("JB-Q07", "宋文军", Q, "420190002001", "第4选区（万楼街道万楼社区）", ["万楼社区第2网格"],
     "供电所所长", "关注老旧小区电力增容和电动车集中充电设施建设。", ["JB-ST-WL"]),
    ("JB-Q08", "唐淑华", Q, "420190002002", "第5选区（万楼街道良友社区）", ["良友大厦商务楼宇区块"],
     "会计师事务所合伙人", "在楼宇联络站为白领和小微企业提供财税政策解读。", ["JB-BD-LY"]),
    ("JB-Q09", "许建华", Q, "420190002002", "第5选区（万楼街道良友社区）",
     ["良友社区第1网格", "良友社区第2网格"], "退役军人", "关注退役军人服务和社区治安。",
     ["JB-BD-LY", "JB-ST-WL"]),
    ("JB-Q10", "韩雪梅", Q, "420190100001", "第6选区（月亮河镇百车河社区）",
     ["百车河社区第1网格"], "小学教师", "关注农村学生上下学交通安全和课后服务。",
     ["JB-HM-BCH", "JB-ST-YLH"]),
    ("JB-Q11", "冯志刚", Q, "420190100201", "第7选区（月亮河镇补雨村）", ["补雨村第一村民小组"],
     "种植大户", "关注农田水利和通村公路涵洞疏通。", ["JB-RM-BY"]),
    ("JB-Q12", "邓晓琳", Q, "420190100000", "第8选区（月亮河镇）", ["月亮河镇集镇区块"],
     "镇农业服务中心农技员", "常年下田指导种植，关注农业社会化服务。", ["JB-ST-YLH"]),
    ("JB-Q13", "曹永红", Q, "420190101001", "第9选区（桃源镇桃源社区）", ["桃源社区第1网格"],
     "燃气公司安检员", "关注居民用气安全和燃气管道老化改造。", ["JB-ST-TY"]),
    ("JB-Q14", "彭建新", Q, "420190101201", "第10选区（桃源镇柳湾村）",
     ["柳湾村第二村民小组", "柳湾村第三村民小组"], "柳湾村村委会主任",
     "推动安全饮水工程入户，关注农村供水。", ["JB-ST-TY"]),
    ("JB-Q15", "曾凡荣", Q, "420190000000", "第11选区（区直机关）", ["江滨区机关片区"],
     "区融媒体中心记者", "关注政务公开和群众诉求的及时回应。", ["JB-OL"]),
    # 乡镇人大代表 (towns only: streets have no people's congress of their own)
    ("JB-X01", "肖德胜", X, "420190100201", "月亮河镇第1选区（补雨村）", ["补雨村第二村民小组"],
     "村医", "守护村民健康，关注慢性病管理和村卫生室建设。", ["JB-RM-BY"]),
    ("JB-X02", "田桂英", X, "420190100001", "月亮河镇第2选区（百车河社区）", ["百车河社区安居巷"],
     "布依服饰加工坊负责人", "在自家设立代表之家，帮助村民通过网店销售布依服饰。",
     ["JB-HM-BCH"]),
    ("JB-X03", "董家旺", X, "420190100001", "月亮河镇第2选区（百车河社区）",
     ["百车河社区第2网格", "法那四组"], "社区居委会委员",
     "在“人大代表接待选民工作日”轮值接待，跟踪山水漫路问题整改。", ["JB-HM-BCH", "JB-ST-YLH"]),
    ("JB-X04", "袁春花", X, "420190100201", "月亮河镇第3选区（补雨村）", ["补雨村第三村民小组"],
     "养殖户", "关注畜禽养殖污染治理和人居环境整治。", ["JB-RM-BY"]),
    ("JB-X05", "潘明亮", X, "420190100000", "月亮河镇第4选区（集镇）", ["月亮河镇集镇区块"],
     "农机维修店店主", "关注集镇路灯照明和农贸市场秩序。", ["JB-ST-YLH"]),
    ("JB-X06", "于秀琴", X, "420190100000", "月亮河镇第4选区（集镇）", ["月亮河镇敬老院片区"],
     "镇敬老院院长", "关注特困老人供养和农村互助养老。", ["JB-ST-YLH"]),
    ("JB-X07", "蒋大勇", X, "420190100201", "月亮河镇第5选区（补雨村）", ["补雨村第四村民小组"],
     "返乡创业青年", "开办农产品电商，带动村民就业。", ["JB-RM-BY", "JB-ST-YLH"]),
    ("JB-X08", "蔡金凤", X, "420190100001", "月亮河镇第6选区（百车河社区）", ["百车河社区第3网格"],
     "社区幼儿园教师", "关注农村学前教育和留守儿童关爱。", ["JB-HM-BCH"]),
    ("JB-X09", "余长江", X, "420190101201", "桃源镇第1选区（柳湾村）", ["柳湾村第一村民小组"],
     "水产养殖户", "关注河道保洁和农田灌溉用水。", ["JB-ST-TY"]),
    ("JB-X10", "杜红梅", X, "420190101001", "桃源镇第2选区（桃源社区）", ["桃源社区第2网格"],
     "社区卫生服务站医生", "关注家庭医生签约和城乡居民医保。", ["JB-ST-TY"]),
    ("JB-X11", "叶永福", X, "420190101001", "桃源镇第2选区（桃源社区）",
     ["桃源社区第3网格", "桃源大街商户区块"], "餐馆经营者", "关注食品安全和街面环境卫生。",
     ["JB-ST-TY"]),
    ("JB-X12", "程小兰", X, "420190101000", "桃源镇第3选区（集镇）", ["桃源镇集镇区块"],
     "镇中心学校教师", "关注校车安全和学生营养餐。", ["JB-ST-TY"]),
    ("JB-X13", "魏德华", X, "420190101201", "桃源镇第4选区（柳湾村）", ["柳湾村第四村民小组"],
     "村民小组长", "关注农村危房改造和灾后重建。", ["JB-ST-TY"]),
    ("JB-X14", "吕春生", X, "420190101000", "桃源镇第5选区（工业园）", ["桃源工业园区块"],
     "工业园企业车间主任", "关注园区职工技能培训和劳动安全。", ["JB-ST-TY"]),
]
# fmt: on

# code, name, region code, level, phone — 承办单位
DEPARTMENTS = [
    ("JB-D-ZJ", "区住房和城乡建设局", "420190000000", DepartmentLevel.COUNTY, "027-85551001"),
    ("JB-D-JT", "区交通运输局", "420190000000", DepartmentLevel.COUNTY, "027-85551002"),
    ("JB-D-CG", "区城市管理执法局", "420190000000", DepartmentLevel.COUNTY, "027-85551003"),
    ("JB-D-JY", "区教育局", "420190000000", DepartmentLevel.COUNTY, "027-85551004"),
    ("JB-D-RS", "区人力资源和社会保障局", "420190000000", DepartmentLevel.COUNTY, "027-85551005"),
    ("JB-D-MZ", "区民政局", "420190000000", DepartmentLevel.COUNTY, "027-85551006"),
    ("JB-D-WJ", "区卫生健康委员会", "420190000000", DepartmentLevel.COUNTY, "027-85551007"),
    ("JB-D-SJ", "区市场监督管理局", "420190000000", DepartmentLevel.COUNTY, "027-85551008"),
    ("JB-D-YJ", "区应急管理局", "420190000000", DepartmentLevel.COUNTY, "027-85551009"),
    ("JB-D-SW", "江滨区水务集团有限公司", "420190000000", DepartmentLevel.COUNTY, "027-85551010"),
    ("JB-D-RQ", "江滨燃气有限公司", "420190000000", DepartmentLevel.COUNTY, "027-85551011"),
    ("JB-D-JJ", "市公安局交通管理局江滨大队", "420100000000", DepartmentLevel.CITY, "027-85551012"),
    (
        "JB-D-XYCG",
        "新元街道城市管理办公室",
        "420190001000",
        DepartmentLevel.TOWNSHIP,
        "027-85551021",
    ),
    (
        "JB-D-WLSQ",
        "万楼街道社区建设办公室",
        "420190002000",
        DepartmentLevel.TOWNSHIP,
        "027-85551022",
    ),
    (
        "JB-D-YLHNY",
        "月亮河镇农业农村服务中心",
        "420190100000",
        DepartmentLevel.TOWNSHIP,
        "027-85551023",
    ),
]

# code, Chinese name, English name — 问题分类, from what the articles' citizens raised.
CATEGORIES = [
    ("roads", "道路交通", "Roads and traffic"),
    ("parking", "停车管理", "Parking"),
    ("street-lights", "路灯照明", "Street lights"),
    ("property", "物业管理", "Property management"),
    ("housing-renovation", "老旧小区改造", "Renovation of old residential areas"),
    ("education", "幼儿园与教育", "Kindergartens and schools"),
    ("social-insurance", "社会保障", "Social insurance"),
    ("employment", "就业创业", "Employment"),
    ("water", "供水排水", "Water supply and drainage"),
    ("gas", "燃气供应", "Gas supply"),
    ("safety", "公共安全", "Public safety"),
    ("elderly-care", "养老服务", "Elderly care"),
    ("health", "医疗卫生", "Health care"),
    ("sanitation", "环境卫生", "Environment and sanitation"),
    ("market-order", "市场秩序", "Markets and street vending"),
    ("other", "其他", "Other"),
]

# username, role, full name, scope (region / station / department / deputy code)


def portrait_png(seed: str) -> bytes:
    """A plain placeholder portrait: a soft coloured background and a head-and-shoulders
    silhouette, its colours derived from `seed` so that every deputy looks a little different."""
    digest = hashlib.sha256(seed.encode()).digest()
    # Light, ID-photo-like backgrounds (blues and greys, a few warmer ones) and a dark jacket.
    background = _rgb(0.55 + (digest[0] - 128) / 900, 0.87, 0.18 + digest[1] / 1200)
    jacket = _rgb(0.6 + digest[2] / 2550, 0.24 + digest[3] / 2550, 0.25)
    hair = _rgb(0.07, 0.10 + digest[4] / 2550, 0.15)
    skin = (226, 200, 174)
    image = Image.new("RGB", (240, 320), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((28, 222, 212, 420), fill=jacket)  # shoulders
    draw.polygon([(102, 226), (138, 226), (120, 268)], fill=(246, 246, 246))  # shirt collar
    draw.rectangle((106, 176, 134, 230), fill=skin)  # neck
    draw.ellipse((70, 70, 170, 178), fill=hair)  # hair, seen around the top of the face
    draw.ellipse((78, 92, 162, 202), fill=skin)  # face
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _rgb(hue: float, lightness: float, saturation: float) -> tuple[int, int, int]:
    red, green, blue = colorsys.hls_to_rgb(hue % 1, lightness, saturation)
    return round(red * 255), round(green * 255), round(blue * 255)


# 网格 (code, name, community, boundary, grid worker, work phone, covering station, deputies)
GRID_CELLS = [
    ("JB-G-JH1", "镜湖社区第1网格", "420190001001", "镜湖路以东、湖滨街以北，镜湖小区1—12幢",
     "陈晓燕", "027-86660101", "JB-ST-XY", ["JB-Q01"]),
    ("JB-G-JH3", "镜湖社区第3网格", "420190001001", "镜湖路以西，滨河花园全部楼栋",
     "刘建军", "027-86660103", "JB-ST-XY", ["JB-Q02"]),
    ("JB-G-JX1", "聚贤社区第1网格", "420190001002", "聚贤街以南，聚贤里1—8幢及沿街商铺",
     "赵红梅", "027-86660201", "JB-ST-XY", ["JB-C01"]),
]  # fmt: skip


def _grid_cells(regions, stations, deputies) -> int:
    created = 0
    existing = set(GridCell.objects.values_list("code", flat=True))
    for code, name, region, boundary, worker, phone, station, deputy_codes in GRID_CELLS:
        if code in existing:
            continue
        cell = GridCell(
            code=code,
            name=name,
            region=regions[region],
            boundary=boundary,
            worker_name=worker,
            worker_phone=phone,
            station=stations[station],
        )
        services.save_entry(cell, actor=None)
        services.set_grid_cell_deputies(cell, [deputies[c] for c in deputy_codes], actor=None)
        created += 1
    return created


@registry.demo.register(order=0)
def load() -> dict[str, int]:
    """Regions, stations, deputies (with placeholder portraits), departments and categories,
    through the directory services, so each is in the audit trail."""
    created = dict.fromkeys(
        [
            "regions",
            "stations",
            "positions",
            "deputies",
            "constituencies",
            "photos",
            "departments",
            "categories",
        ],
        0,
    )

    regions = {r.code: r for r in Region.objects.filter(code__in=[r[0] for r in REGIONS])}
    for code, name, level, parent_code in REGIONS:
        if code not in regions:
            region = Region(code=code, name=name, level=level, parent=regions.get(parent_code))
            regions[code] = services.save_entry(region, actor=None)
            created["regions"] += 1

    stations = {s.code: s for s in Station.objects.filter(code__in=[s[0] for s in STATIONS])}
    for code, name, kind, region, address, lat, lng, hours, days, phone in STATIONS:
        if code in stations:
            continue
        station = Station(
            code=code,
            name=name,
            kind=kind,
            region=regions[region],
            address=address,
            latitude=Decimal(lat) if lat else None,
            longitude=Decimal(lng) if lng else None,
            opening_hours=hours,
            reception_days=days,
            phone=phone,
            rules=STATION_RULES,
            process=ONLINE_PROCESS if kind == "online" else STATION_PROCESS,
        )
        stations[code] = services.save_entry(station, actor=None)
        created["stations"] += 1

    staffed = set(
        StationPosition.objects.filter(station__code__in=POSITIONS).values_list(
            "station__code", flat=True
        )
    )
    for code, positions in POSITIONS.items():
        if code in stations and code not in staffed:
            for kind, name, phone in positions:
                position = StationPosition(
                    station=stations[code], kind=kind, name=name, public_phone=phone
                )
                services.save_entry(position, actor=None)
                created["positions"] += 1

    deputies = {d.code: d for d in Deputy.objects.filter(code__in=[d[0] for d in DEPUTIES])}
    for number, row in enumerate(DEPUTIES, start=1):
        code, name, level, region, constituency, blocks, occupation, bio, station_codes = row
        deputy = deputies.get(code)
        if deputy is None:
            deputy = Deputy(
                code=code,
                name=name,
                level=level,
                term=TERMS[level],
                region=regions[region],
                constituency=constituency,
                contact_blocks="\n".join(blocks),
                public_phone=f"1390000{number:04d}",
                occupation=occupation,
                bio=bio,
            )
            deputies[code] = services.save_entry(deputy, actor=None)
            services.set_deputy_stations(deputy, [stations[c] for c in station_codes], actor=None)
            created["deputies"] += 1
        if not deputy.constituency_regions.exists():
            constituency = regions[ELECTED_BY.get(level, region)]
            services.set_deputy_constituency(deputy, [constituency], actor=None)
            created["constituencies"] += 1
        if not deputy.photo:
            upload = ContentFile(portrait_png(code), name=f"{code}.png")
            services.set_deputy_photo(deputy, upload, actor=None)
            created["photos"] += 1

    departments = set(
        Department.objects.filter(code__in=[d[0] for d in DEPARTMENTS]).values_list(
            "code", flat=True
        )
    )
    for code, name, region, level, phone in DEPARTMENTS:
        if code not in departments:
            department = Department(
                code=code, name=name, region=regions[region], level=level, phone=phone
            )
            services.save_entry(department, actor=None)
            created["departments"] += 1

    categories = set(Category.objects.values_list("code", flat=True))
    for sort_order, (code, name, name_en) in enumerate(CATEGORIES, start=1):
        if code not in categories:
            category = Category(code=code, name=name, name_en=name_en, sort_order=sort_order)
            services.save_entry(category, actor=None)
            created["categories"] += 1
    created["grid cells"] = _grid_cells(regions, stations, deputies)
    return created
