"""Demo livelihood projects (docs/projects.md): one at each stage, through the services — an
accepted one with progress photos and ratings, one under way, one open for the deputies' vote
(the demo deputy still has to vote), one just proposed."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from liaison.accounts.models import User
from liaison.core import registry
from liaison.directory.models import Department, Region

from . import services
from .models import Project

# (title, description, department, budget in 10,000 yuan, how far it goes)
PROJECTS = [
    ("镜湖小区加装电梯12部", "为镜湖小区1—12幢多层住宅各加装电梯一部，方便老年居民上下楼。",
     "JB-D-ZJ", "960", "accepted"),
    ("新元街道社区老年食堂3处", "在镜湖、聚贤社区新建老年助餐点三处，提供平价午餐和送餐服务。",
     "JB-D-ZJ", "180", "under_way"),
    ("滨河路（新元大道—聚贤街段）路面修复", "修复破损路面约2.3公里，同步改造人行道和路灯。",
     "JB-D-JT", "640", "voting"),
    ("聚贤社区口袋公园", "利用闲置地块建设口袋公园两处，增设健身器材和休息座椅。",
     "JB-D-CG", "95", "proposed"),
]  # fmt: skip


def _photo(seed: int) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 480), (90 + seed * 40 % 120, 140, 170))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 120, 520, 420), outline=(255, 255, 255), width=8)
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return SimpleUploadedFile(f"demo-{seed}.jpg", out.getvalue(), content_type="image/jpeg")


@registry.demo.register(order=25)
def load() -> dict[str, int]:
    users = {u.username: u for u in User.objects.filter(username__in=["committee", "deputy"])}
    handler = User.objects.filter(username="department").first()
    if len(users) < 2 or handler is None:
        return {"livelihood projects": 0}
    committee, deputy = users["committee"], users["deputy"]
    county = Region.objects.get(code="420190000000")
    year = timezone.localdate().year
    existing = set(Project.objects.filter(year=year).values_list("title", flat=True))
    created = 0
    for number, (title, description, department, budget, stage) in enumerate(PROJECTS):
        if title in existing:
            continue
        project = services.propose_project(
            actor=committee,
            year=year,
            title=title,
            description=description,
            department=Department.objects.get(code=department),
            budget=budget,
            region=county,
        )
        created += 1
        if stage == "proposed":
            continue
        project = services.open_vote(
            project, actor=committee, closes_at=timezone.now() + timedelta(days=14)
        )
        if stage == "voting":
            continue
        services.cast_vote(project, actor=deputy, choice="for")
        project = services.close_vote(project, actor=committee)
        services.claim_project(project, actor=deputy)
        reporter = handler if handler.department_id == project.department_id else committee
        services.report_progress(
            project,
            actor=reporter,
            period=f"{year} Q2",
            text="已完成方案设计和招标，开工建设。",
            photos=[_photo(number)],
        )
        if stage == "under_way":
            continue
        services.report_progress(
            project,
            actor=reporter,
            period=f"{year} Q3",
            text="主体工程完工，进入调试。",
            photos=[_photo(number + 1)],
        )
        project = services.accept_project(
            project, actor=committee, text="全部投入使用，验收合格。", photos=[_photo(number + 2)]
        )
        for phone, score in (("13900001111", 5), ("13900002222", 4)):
            services.rate_project(project, phone=phone, score=score)
    return {"livelihood projects": created}
