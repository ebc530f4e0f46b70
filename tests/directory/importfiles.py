"""Build roster files for the import tests in memory: .xlsx, .csv, .zip and images."""

import csv
import io
import zipfile

import openpyxl
from django.utils import translation
from PIL import Image

from liaison.directory.importing import import_roster

REGION_HEADER = ["区划代码", "名称", "级别", "上级代码"]
STATION_HEADER = ["站点编号", "名称", "类型", "所属区划代码", "地址", "经度", "纬度", "联系电话"]
DEPUTY_HEADER = ["代表编号", "姓名", "层级", "届次", "所属区划代码", "公开电话", "所在联络站"]
DEPARTMENT_HEADER = ["单位代码", "名称", "所属区划代码", "层级", "联系电话"]


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def image(fmt="PNG", size=(40, 50), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


def run(kind, data, filename, **kwargs):
    """The engine, with messages in English so tests can read them."""
    with translation.override("en"):
        return import_roster(kind, data, filename=filename, **kwargs)


def problems(report):
    """(row, column) of every problem, for compact assertions."""
    return [(p.row, p.column) for p in report.problems]
