"""Demo budget for `liaison load_demo`: 江滨区's budget of this year, imported through the service
from a generated finance-bureau table (seven lines of five departments, execution to last month),
published and public; the demo deputy asks about a lagging line and the committee replies.
Idempotent: skipped when the region already has a budget for the year."""

import io
from decimal import Decimal

import openpyxl
from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import User
from liaison.core import registry
from liaison.directory.models import Region
from liaison.workdays.deadlines import local_day

from . import services
from .importing import EXECUTION_COLUMNS, LINE_COLUMNS
from .models import Budget

# department, code, function, 年初预算数, 调整预算数, share executed by the year's end pace
LINES = [
    ("区教育局", "2050201", "学前教育", 5200, 5400, Decimal("1.00")),
    ("区教育局", "2050202", "小学教育", 18600, 18600, Decimal("0.95")),
    ("区卫生健康委员会", "2100302", "乡镇卫生院", 3200, 3350, Decimal("1.05")),
    ("区民政局", "2080201", "行政运行", 860, 860, Decimal("1.00")),
    ("区民政局", "2081002", "老年福利", 2400, 2600, Decimal("0.40")),  # lagging: flagged
    ("区住房和城乡建设局", "2120803", "城市建设支出", 12000, 15000, Decimal("0.85")),
    ("区城市管理执法局", "2120501", "城乡社区环境卫生", 4100, 4100, Decimal("1.45")),  # over
]


def _table(months: int, departments) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(LINE_COLUMNS + EXECUTION_COLUMNS)
    for department, code, name, budgeted, adjusted, pace in LINES:
        if department not in departments:
            continue
        if not months:
            sheet.append([department, code, name, budgeted, adjusted])
        for month in range(1, months + 1):
            executed = min(
                Decimal(adjusted) * pace * month / 12, Decimal(adjusted) * Decimal("1.1")
            )
            sheet.append(
                [department, code, name, budgeted, adjusted, month, float(round(executed, 2))]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@registry.demo.register(order=75)
@transaction.atomic
def load() -> dict[str, int]:
    users = {u.username: u for u in User.objects.filter(username__in=["committee", "deputy"])}
    region = Region.objects.filter(code="420190000000").first()
    committee, deputy = users.get("committee"), users.get("deputy")
    today = local_day(timezone.now())
    if committee is None or region is None:
        return {}
    if Budget.objects.filter(region=region, year=today.year).exists():
        return {}
    budget = services.create_budget(
        actor=committee, region=region, year=today.year, title=f"江滨区{today.year}年预算"
    )
    known = services.departments_of(budget)
    if not any(line[0] in known for line in LINES):
        transaction.set_rollback(True)  # no demo departments: no budget either
        return {}
    data = _table(today.month - 1, known)
    counts = services.import_table(budget, actor=committee, data=data)
    services.set_flags(budget, actor=committee, published=True, public=True)
    questions = 0
    if deputy is not None and deputy.deputy_id:
        line = budget.lines.filter(function_code="2081002").first() or budget.lines.first()
        from liaison.core.errors import NotAllowed

        try:
            question = services.ask(
                budget,
                actor=deputy,
                department_id=line.department_id,
                line_id=line.pk,
                kind="question",
                text="老年福利支出执行进度明显滞后，请说明原因和下一步安排。",
            )
        except NotAllowed:
            pass
        else:
            services.reply(
                question,
                actor=committee,
                text="区民政局答复：养老服务补贴按季度集中拨付，第三季度资金将于下月拨付到位。",
            )
            questions = 1
    return {"budgets": 1, "budget lines": counts["lines"], "budget questions": questions}
