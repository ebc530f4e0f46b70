"""Demo record entries for `liaison load_demo`: the 2026 diaries of the 新元街道 deputies.

Entries go through the services (liaison/records/services.py): 林志强 (the demo deputy account)
writes his own, the station's staff write the others' and confirm them, one is rejected with a
reason and a few wait for confirmation. Entries dated after today are left for a later run.
Idempotent: an entry of the same deputy, date and title is not added again.
"""

import io
from datetime import date

from django.db import transaction
from PIL import Image, ImageDraw

from liaison.accounts.models import User
from liaison.core import registry
from liaison.directory.models import Deputy

from . import services, three
from .models import RecordEntry

YEAR = 2026

# deputy code, kind, (month, day), title, description, decision (confirm · pending · reject:why)
# fmt: off
ENTRIES = [
    ("JB-Q01", "inspection", (1, 14), "视察镜湖社区老旧小区改造工地",
     "与区住建局一起查看雨污分流和外墙保温施工进度，提出夜间施工扰民问题。", "confirm"),
    ("JB-Q01", "voter_contact", (2, 10), "春节前走访镜湖社区独居老人",
     "走访12户独居老人，了解供暖和就医需求。", "confirm"),
    ("JB-Q01", "survey", (4, 22), "镜湖社区停车难专题调研",
     "统计三个小区夜间停车缺口约260个，形成调研报告。", "confirm"),
    ("JB-Q01", "meeting", (5, 18), "参加区人代会代表小组会议", "审议政府工作报告。", "confirm"),
    ("JB-Q01", "training", (7, 9), "参加新任代表履职培训", "学习代表法和建议办理流程。", "confirm"),
    ("JB-Q01", "voter_contact", (8, 6), "网格内入户听取加装电梯意见", "", "confirm"),
    ("JB-Q01", "inspection", (9, 17), "视察镜湖公园周边交通组织", "", "confirm"),
    ("JB-Q01", "voter_contact", (10, 28), "与楼栋长座谈物业费调整", "",
     "reject:与10月的接待日重复登记，请合并到接待记录。"),
    ("JB-Q01", "report", (11, 12), "在镜湖社区向选民述职",
     "报告一年来履职情况，现场60余名选民参加并进行满意度测评。", "pending"),
    ("JB-Q03", "survey", (3, 11), "滨河路路面破损情况调研", "沿线步行查看并拍照记录。", "confirm"),
    ("JB-Q03", "inspection", (6, 3), "视察滨河路修复工程", "", "confirm"),
    ("JB-Q03", "report", (9, 25), "在聚贤社区向选民述职", "", "confirm"),
    ("JB-Q04", "survey", (2, 26), "聚贤社区学前教育学位调研", "", "confirm"),
    ("JB-Q04", "training", (8, 20), "参加区人大代表培训班", "", "pending"),
    ("JB-C01", "voter_contact", (3, 15), "民法典普法小课堂答疑", "", "confirm"),
    ("JB-C01", "meeting", (10, 16), "参加市人大常委会组织的座谈会", "", "pending"),
    ("JB-P01", "inspection", (5, 7), "视察社区卫生服务中心家庭医生签约", "", "confirm"),
]
# fmt: on
WITH_PHOTO = {"视察镜湖社区老旧小区改造工地", "镜湖社区停车难专题调研", "滨河路路面破损情况调研"}


def _photo(seed: str) -> io.BytesIO:
    """A placeholder 'photo': a coloured card, different for each entry."""
    hue = sum(seed.encode()) % 200
    image = Image.new("RGB", (640, 480), (120 + hue // 4, 150, 200 - hue // 4))
    ImageDraw.Draw(image).rectangle((80, 300, 560, 420), fill=(240, 240, 235))
    out = io.BytesIO()
    image.save(out, format="PNG")
    out.seek(0)
    return out


def load(on: date | None = None) -> int:
    on = on or three.today()
    users = {u.username: u for u in User.objects.filter(username__in=["deputy", "station"])}
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    deputies = {d.code: d for d in Deputy.objects.filter(code__in={e[0] for e in ENTRIES})}
    if len(users) < 2 or admin is None:
        return 0
    deputy_user, station = users["deputy"], users["station"]
    existing = set(
        RecordEntry.objects.filter(deputy__in=deputies.values()).values_list(
            "deputy__code", "date", "title"
        )
    )
    created = 0
    for code, kind, (month, day), title, description, decision in ENTRIES:
        when = date(YEAR, month, day)
        deputy = deputies.get(code)
        if deputy is None or when > on or (code, when, title) in existing:
            continue
        sits_here = deputy.stations.filter(pk=station.station_id).exists()
        author = deputy_user if deputy_user.deputy_id == deputy.pk else station
        reviewer = station if sits_here else admin
        with transaction.atomic():
            entry = services.add_entry(
                actor=author if sits_here else admin,
                deputy=deputy,
                kind=kind,
                date=when,
                title=title,
                description=description,
                photos=[_photo(title)] if title in WITH_PHOTO else [],
            )
            if decision == "confirm":
                services.confirm_entry(entry, actor=reviewer)
            elif decision.startswith("reject:"):
                services.reject_entry(entry, actor=reviewer, reason=decision.partition(":")[2])
        created += 1
    return created


@registry.demo.register(order=60)
def load_demo() -> dict[str, int]:
    return {"record_entries": load()}
