"""Demo clue transfer (线索移送, seed 004) for `liaison load_demo`: the demo station forwards the
case "燃气表安装在卧室里" (a gas-safety matter of public interest) to the district procuratorate's
public-interest office, with the citizen's consent asked by phone, and the procuratorate's
feedback (立案) is recorded — both steps on the case's timeline.

Idempotent: nothing is added when the case already has a clue; nothing without the demo cases.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import User
from liaison.cases import demo as cases_demo
from liaison.cases.models import Case
from liaison.core import registry

from . import services
from .models import ClueTransfer

CASE = 18  # cases/demo.py SCENARIOS: 燃气表安装在卧室里, at 新元街道联络站
ORGANISATION = "江滨区人民检察院第八检察部（公益诉讼）"


@registry.demo.register(order=15)
@transaction.atomic
def load() -> dict[str, int]:
    case = Case.objects.filter(citizen_phone=cases_demo.phone(CASE)).first()
    staff = User.objects.filter(username="station").first()
    if case is None or staff is None or ClueTransfer.objects.filter(case=case).exists():
        return {}
    clue = services.transfer_clue(
        actor=staff,
        case=case,
        organisation=ORGANISATION,
        summary="聚贤小区部分老房子燃气表安装在卧室内，存在燃气泄漏、中毒和爆炸隐患，"
        "涉及多户居民的公共安全，住建、燃气部门尚未整改到位，建议检察机关开展公益诉讼监督。",
        consent_how="phone",
        consent_at=timezone.now() - timedelta(days=3),
        consent_note="联络员王芳电话征得反映人同意，同意移送并可提供联系方式。",
        share_contact=True,
        publish=True,
    )
    services.record_clue_feedback(
        clue,
        actor=staff,
        outcome="accepted",
        feedback="已立案办理，向区住建局、燃气公司制发诉前检察建议，督促两个月内完成整改。",
    )
    return {"clue transfers": 1}
