"""The five kinds of roster and their columns: headers as districts write them (Chinese or
English), the choice labels they use (县(区), 联络站, 全国…), and the lookups that match both."""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy

from ..models import (
    Department,
    DepartmentLevel,
    Deputy,
    DeputyLevel,
    GridCell,
    Region,
    RegionLevel,
    Station,
    StationKind,
)

# Chinese names spreadsheets use in one cell to list several station codes (所在联络站).
LIST_SEPARATORS = re.compile(r"[、;,；，\s]+")


@dataclass(frozen=True)
class Column:
    key: str  # model field, or region_code / parent_code / stations for references
    header: str  # the Chinese header of the template, as districts write it
    aliases: tuple[str, ...] = ()
    required: bool = False
    note: str = ""  # lazily translated hint for the template's notes sheet


@dataclass(frozen=True)
class Kind:
    name: str  # the model name, as in ?kind=deputy
    model: type[models.Model]
    columns: tuple[Column, ...]

    @property
    def label(self) -> str:
        return self.model._meta.verbose_name_plural


# Choice labels as districts write them; the first of each is the canonical one we show.
REGION_LEVEL_LABELS = {
    RegionLevel.PROVINCE: ("省", "省级", "自治区", "直辖市"),
    RegionLevel.CITY: ("市", "市级", "地级市", "地区", "州"),
    RegionLevel.COUNTY: ("县(区)", "县", "区", "县区", "县级", "县级市", "旗"),
    RegionLevel.TOWNSHIP: ("乡镇(街道)", "乡镇", "乡", "镇", "街道", "乡级"),
    RegionLevel.COMMUNITY: ("村(社区)", "村", "社区", "村委会", "居委会"),
}
STATION_KIND_LABELS = {
    StationKind.STATION: ("联络站", "代表联络站", "人大代表联络站"),
    StationKind.ROOM: ("联络室", "代表联络室", "人大代表联络室"),
    StationKind.HOME: ("代表之家", "人大代表之家"),
    StationKind.BUILDING: ("楼宇联络站", "楼宇代表联络站"),
    StationKind.ONLINE: ("网上联络站", "网上代表联络站", "线上联络站"),
}
DEPUTY_LEVEL_LABELS = {
    DeputyLevel.NATIONAL: ("全国", "全国人大", "national"),
    DeputyLevel.PROVINCIAL: ("省", "省级", "省人大", "provincial"),
    DeputyLevel.CITY: ("市", "市级", "市人大"),
    DeputyLevel.COUNTY: ("县(区)", "县", "区", "县区", "县级", "县人大", "区人大"),
    DeputyLevel.TOWNSHIP: ("乡镇", "乡", "镇", "乡镇人大", "township"),
}
DEPARTMENT_LEVEL_LABELS = {
    DepartmentLevel.CITY: ("市", "市级"),
    DepartmentLevel.COUNTY: ("县(区)", "县", "区", "县区", "县级"),
    DepartmentLevel.TOWNSHIP: ("乡镇(街道)", "乡镇", "乡", "镇", "街道"),
    DepartmentLevel.COMMUNITY: ("村(社区)", "村", "社区"),
}
CHOICES = {
    ("region", "level"): REGION_LEVEL_LABELS,
    ("station", "kind"): STATION_KIND_LABELS,
    ("deputy", "level"): DEPUTY_LEVEL_LABELS,
    ("department", "level"): DEPARTMENT_LEVEL_LABELS,
}


def choices_note(labels) -> str:
    return ", ".join(f"{names[0]} ({member.value})" for member, names in labels.items())


_REGION_CODE = Column(
    "region_code",
    "所属区划代码",
    ("region_code", "区划代码", "region"),
    required=True,
    note=gettext_lazy("Division code of a region already in the directory."),
)

KINDS = {
    "region": Kind(
        "region",
        Region,
        (
            Column(
                "code",
                "区划代码",
                ("code", "代码", "区划编码"),
                True,
                gettext_lazy("Statistical division code, digits only (e.g. 330106001000)."),
            ),
            Column("name", "名称", ("name", "区划名称"), True),
            Column("level", "级别", ("level", "层级"), True, choices_note(REGION_LEVEL_LABELS)),
            Column(
                "parent_code",
                "上级代码",
                ("parent_code", "上级区划代码", "parent"),
                note=gettext_lazy("In the directory already or earlier in this file."),
            ),
        ),
    ),
    "station": Kind(
        "station",
        Station,
        (
            Column("code", "站点编号", ("code", "编号", "联络站编号"), True),
            Column("name", "名称", ("name", "站点名称", "联络站名称"), True),
            Column(
                "kind",
                "类型",
                ("kind", "type", "站点类型"),
                True,
                choices_note(STATION_KIND_LABELS),
            ),
            _REGION_CODE,
            Column("address", "地址", ("address",)),
            Column("longitude", "经度", ("longitude", "lng", "lon"), note="-180 … 180"),
            Column("latitude", "纬度", ("latitude", "lat"), note="-90 … 90"),
            Column("opening_hours", "开放时间", ("opening_hours",)),
            Column("reception_days", "接待日", ("reception_days",)),
            Column("phone", "联系电话", ("phone", "电话")),
            Column("rules", "制度", ("rules", "工作制度")),
            Column("process", "工作流程", ("process", "流程")),
        ),
    ),
    "deputy": Kind(
        "deputy",
        Deputy,
        (
            Column("code", "代表编号", ("code", "编号"), True),
            Column("name", "姓名", ("name", "代表姓名"), True),
            Column(
                "level",
                "层级",
                ("level", "级别", "代表层级"),
                True,
                choices_note(DEPUTY_LEVEL_LABELS),
            ),
            Column("term", "届次", ("term",), True),
            _REGION_CODE,
            Column("constituency", "选区", ("constituency",)),
            Column(
                "contact_blocks",
                "联系区块",
                ("contact_blocks", "联系网格"),
                note=gettext_lazy("Several blocks: one per line, or separated by ；"),
            ),
            # Only a column that says "public": a roster's 联系电话 may be a private number.
            Column("public_phone", "公开电话", ("public_phone", "公开联系电话")),
            Column("occupation", "职务", ("occupation", "工作单位及职务")),
            Column("bio", "简介", ("bio", "个人简介")),
            Column(
                "stations",
                "所在联络站",
                ("stations", "station_codes", "联络站编号"),
                note=gettext_lazy("Station codes separated by 、 or ; or ,"),
            ),
            Column(
                "photo",
                "照片",
                ("photo",),
                note=gettext_lazy("File name of the photo in the .zip (or the --photos folder)."),
            ),
        ),
    ),
    "department": Kind(
        "department",
        Department,
        (
            Column("code", "单位代码", ("code", "代码"), True),
            Column("name", "名称", ("name", "单位名称"), True),
            _REGION_CODE,
            Column("level", "层级", ("level", "级别"), True, choices_note(DEPARTMENT_LEVEL_LABELS)),
            Column("phone", "联系电话", ("phone", "电话")),
        ),
    ),
    # 网格导入 — grid cells (docs/grid.md, docs/import.md).
    "gridcell": Kind(
        "gridcell",
        GridCell,
        (
            Column("code", "网格编码", ("code", "网格编号", "编码"), True),
            Column("name", "网格名称", ("name", "名称"), True),
            Column(
                "region_code",
                "区划代码",
                ("region_code", "社区", "区划代码/社区", "所属区划代码", "所属社区"),
                required=True,
                note=gettext_lazy(
                    "Division code of the community (or its name, if no other region has it)."
                ),
            ),
            Column(
                "station_code",
                "所属联络站",
                ("station_code", "station", "联络站编号", "覆盖联络站"),
                note=gettext_lazy(
                    "Code of the station covering the cell. Empty: the station of the cell's "
                    "region or the nearest region above it, if there is exactly one."
                ),
            ),
            Column("boundary", "边界描述", ("boundary", "边界", "四至范围")),
            Column("worker_name", "网格员姓名", ("worker_name", "网格员")),
            Column(
                "worker_phone",
                "网格员电话",
                ("worker_phone", "网格员联系电话"),
                note=gettext_lazy("The grid worker's work phone: it is published."),
            ),
            Column(
                "deputies",
                "联系代表",
                ("deputies", "deputy_codes", "联系代表编号"),
                note=gettext_lazy("Deputy codes separated by 、 or ; or , — the complete list."),
            ),
        ),
    ),
}
# Model fields the reference columns fill; and the columns that are not a model field to set.
REFERENCE_FIELDS = {"region_code": "region", "parent_code": "parent", "station_code": "station"}
NOT_FIELDS = {"code", "parent_code", "stations", "photo", "deputies"}
# Many-to-many columns: the complete list of links, written after the rows.
LINK_FIELDS = {"stations", "deputies"}


def norm(text: str) -> str:
    """Compare headers and labels the way people see them: full-width = half-width, no spaces."""
    text = unicodedata.normalize("NFKC", text).strip().strip("*").lower()
    return re.sub(r"\s+", "", text)


@cache
def choice_lookup(kind: str, key: str) -> dict[str, object]:
    lookup: dict[str, object] = {}
    for member, names in CHOICES[kind, key].items():
        with translation.override("en"):
            english = str(member.label)
        for name in (str(member.value), member.name, english, *names):
            lookup[norm(name)] = member.value
    return lookup


@cache
def header_lookup(kind: str) -> dict[str, Column]:
    return {norm(alias): c for c in KINDS[kind].columns for alias in (c.header, *c.aliases)}
