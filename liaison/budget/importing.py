"""Reading a finance bureau's table (.xlsx) of budget lines, with the monthly execution if given.

The first sheet, first row the headers (docs/budget.md):
部门 | 功能分类编码 | 功能分类名称 | 年初预算数 | 调整预算数 [| 经济分类编码 | 经济分类名称]
[| 月份 | 累计执行数]
One row a line (a department's amount under a function and, if given, an economic
classification); a line may repeat with other months (月份 + 累计执行数) for its execution.
`read(data, departments)` checks everything and raises `ImportProblems` with one message per
problem naming the row and column ("第 3 行 “年初预算数” 不是数字") — the service stores all or
nothing.
"""

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
LINE_COLUMNS = ["部门", "功能分类编码", "功能分类名称", "年初预算数", "调整预算数"]
ECONOMIC_COLUMNS = ["经济分类编码", "经济分类名称"]
EXECUTION_COLUMNS = ["月份", "累计执行数"]
MAX_AMOUNT = Decimal("999999999999.99")


class ImportProblems(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ParsedLine:
    row: int
    department: object
    code: str
    name: str
    budgeted: Decimal
    adjusted: Decimal
    executions: dict[int, Decimal] = field(default_factory=dict)
    economic_code: str = ""
    economic_name: str = ""


def is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def _rows(data: bytes) -> list[tuple]:
    import openpyxl

    if len(data) > MAX_BYTES:
        raise ImportProblems([_("The file is larger than 5 MB.")])
    if not is_xlsx(data):
        raise ImportProblems([_("The file is not an .xlsx workbook, whatever its name says.")])
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            rows = []
            for row in workbook.worksheets[0].iter_rows(values_only=True):
                rows.append(row)
                if len(rows) > MAX_ROWS + 1:
                    raise ImportProblems(
                        [_("The table has more than %(max)d rows.") % {"max": MAX_ROWS}]
                    )
            return rows
        finally:
            workbook.close()
    except ImportProblems:
        raise
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise ImportProblems([_("The .xlsx workbook is damaged and cannot be read.")]) from None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _amount(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        amount = Decimal(_text(value).replace(",", ""))
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        return None
    return amount.quantize(Decimal("0.01"))


def read(data: bytes, departments: dict[str, object]) -> list[ParsedLine]:
    """`departments`: name → Department of the budget's region (the only names accepted)."""
    rows = _rows(data)
    if not rows:
        raise ImportProblems([_("The workbook's first sheet is empty.")])
    headers = [_text(h) for h in rows[0]]
    missing = [c for c in LINE_COLUMNS if c not in headers]
    if missing:
        raise ImportProblems(
            [
                _("Column “%(column)s” is missing from the first row.") % {"column": c}
                for c in missing
            ]
        )
    # Optional pairs: both columns or neither.
    optional = {}
    for pair in (ECONOMIC_COLUMNS, EXECUTION_COLUMNS):
        optional[pair[0]] = any(c in headers for c in pair)
        absent = [c for c in pair if c not in headers]
        if optional[pair[0]] and absent:
            raise ImportProblems(
                [
                    _("Column “%(column)s” is missing from the first row.") % {"column": c}
                    for c in absent
                ]
            )
    has_economic, has_execution = optional["经济分类编码"], optional["月份"]
    wanted = LINE_COLUMNS + ECONOMIC_COLUMNS * has_economic + EXECUTION_COLUMNS * has_execution
    at = {name: headers.index(name) for name in wanted}
    problems: list[str] = []
    lines: dict[tuple, ParsedLine] = {}

    def wrong(row: int, column: str, message: str) -> None:
        problems.append(
            _("Row %(row)d, “%(column)s”: %(message)s")
            % {"row": row, "column": column, "message": message}
        )

    for number, raw in enumerate(rows[1:], start=2):
        cells = {name: raw[i] if i < len(raw) else None for name, i in at.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        department_name = _text(cells["部门"])
        department = departments.get(department_name)
        if not department_name:
            wrong(number, "部门", _("is empty."))
        elif department is None:
            wrong(
                number,
                "部门",
                _("“%(name)s” is not a department of the budget's region.")
                % {"name": department_name},
            )
        code, name = _text(cells["功能分类编码"]), _text(cells["功能分类名称"])
        if not code.isdigit() or len(code) > 16:
            wrong(number, "功能分类编码", _("is not a classification code (digits)."))
        if not name or len(name) > 100:
            wrong(number, "功能分类名称", _("is empty or longer than 100 characters."))
        economic_code = economic_name = ""
        if has_economic:
            economic_code = _text(cells["经济分类编码"])
            economic_name = _text(cells["经济分类名称"])
            # A line without an economic classification is allowed: both cells empty.
            if economic_code or economic_name:
                if not economic_code.isdigit() or len(economic_code) > 16:
                    wrong(number, "经济分类编码", _("is not a classification code (digits)."))
                if not economic_name or len(economic_name) > 100:
                    wrong(number, "经济分类名称", _("is empty or longer than 100 characters."))
        amounts = {}
        for column in ("年初预算数", "调整预算数"):
            amounts[column] = _amount(cells[column])
            if amounts[column] is None:
                wrong(number, column, _("is not a number (10k yuan, not negative)."))
        month = executed = None
        if has_execution and (_text(cells["月份"]) or _text(cells["累计执行数"])):
            month_text = _text(cells["月份"]).removesuffix("月")
            month = int(month_text) if month_text.isdigit() else None
            if month is None or not 1 <= month <= 12:
                wrong(number, "月份", _("is not a month (1 to 12)."))
                month = None
            executed = _amount(cells["累计执行数"])
            if executed is None:
                wrong(number, "累计执行数", _("is not a number (10k yuan, not negative)."))
        if department is None or None in amounts.values() or not code.isdigit():
            continue
        key = (department.pk, code, economic_code)
        shown = f"{code} {economic_code}".strip()  # the line as the messages name it
        line = lines.get(key)
        if line is None:
            line = lines[key] = ParsedLine(
                number,
                department,
                code,
                name,
                amounts["年初预算数"],
                amounts["调整预算数"],
                economic_code=economic_code,
                economic_name=economic_name,
            )
        elif month is None or (line.budgeted, line.adjusted, line.name, line.economic_name) != (
            amounts["年初预算数"],
            amounts["调整预算数"],
            name,
            economic_name,
        ):
            problems.append(
                _("Row %(row)d: the line %(department)s / %(code)s is already on row %(first)d.")
                % {"row": number, "department": department_name, "code": shown, "first": line.row}
            )
            continue
        if month is not None and executed is not None:
            if month in line.executions:
                problems.append(
                    _("Row %(row)d: month %(month)d of %(department)s / %(code)s comes twice.")
                    % {"row": number, "month": month, "department": department_name, "code": shown}
                )
            line.executions[month] = executed
    if not lines and not problems:
        problems.append(_("The table has no budget line."))
    if problems:
        raise ImportProblems(problems)
    return list(lines.values())


def template() -> bytes:
    """The blank template with the headers and one example row (docs/budget.md)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "预算"
    sheet.append(LINE_COLUMNS + ECONOMIC_COLUMNS + EXECUTION_COLUMNS)
    sheet.append(["区教育局", "2050101", "学前教育", 1200, 1250, "30101", "基本工资", 3, 310.5])
    for column in "ABCDEFGHI":
        sheet.column_dimensions[column].width = 16
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
