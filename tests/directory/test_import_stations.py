"""Stations import: Chinese kinds, region by code, coordinates and phones checked per cell."""

from decimal import Decimal

from liaison.directory.models import Station, StationKind

from .importfiles import STATION_HEADER, csv_bytes, problems, run, xlsx

GOOD = [
    "ZJ-XH-003",
    "新街道联络站",
    "联络站",
    "330106001000",
    "新路1号",
    "120.13",
    "30.27",
    "0571-87000000",
]


def test_xlsx_creates_stations(district):
    home = ["ZJ-XH-004", "张家代表之家", "代表之家", "330106001001", "", "", "", "13812345678"]

    report = run("station", xlsx([STATION_HEADER, GOOD, home]), "stations.xlsx", dry_run=False)

    assert report.ok, report.problems
    station = Station.objects.get(code="ZJ-XH-003")
    assert station.kind == StationKind.STATION
    assert station.region == district.street_a
    assert (station.longitude, station.latitude) == (Decimal("120.13"), Decimal("30.27"))
    assert Station.objects.get(code="ZJ-XH-004").kind == StationKind.HOME
    assert Station.objects.get(code="ZJ-XH-004").latitude is None


def test_csv_with_all_columns(district):
    header = [*STATION_HEADER, "开放时间", "接待日", "制度", "工作流程"]
    row = [*GOOD, "9:00-17:00", "每周一", "接待制度", "登记—交办—反馈"]

    report = run("station", csv_bytes([header, row]), "stations.csv", dry_run=False)

    assert report.ok, report.problems
    station = Station.objects.get(code="ZJ-XH-003")
    assert (station.reception_days, station.process) == ("每周一", "登记—交办—反馈")


def test_unknown_region_is_reported_at_its_row_and_column(district):
    row = ["ZJ-XH-005", *GOOD[1:3], "110000000000", *GOOD[4:]]

    report = run("station", xlsx([STATION_HEADER, GOOD, row]), "stations.xlsx", dry_run=False)

    assert problems(report) == [(3, "所属区划代码")]
    assert "110000000000" in report.problems[0].message
    assert not Station.objects.filter(code="ZJ-XH-003").exists()


def test_bad_phone_is_reported(district):
    row = [*GOOD[:7], "1234"]

    report = run("station", xlsx([STATION_HEADER, row]), "stations.xlsx")

    assert problems(report) == [(2, "联系电话")]
    assert "not a valid phone number" in report.problems[0].message


def test_bad_coordinates_are_reported(district):
    rows = [
        STATION_HEADER,
        ["A1", "甲站", "联络站", "330106001000", "", "190", "30", ""],  # longitude out of range
        ["A2", "乙站", "联络站", "330106001000", "", "120", "north", ""],  # not a number
        ["A3", "丙站", "联络站", "330106001000", "", "120", "", ""],  # latitude missing
        ["A4", "丁站", "联络站", "330106001000", "", "30.27", "120.13", ""],  # swapped
    ]

    report = run("station", xlsx(rows), "stations.xlsx", dry_run=False)

    assert problems(report) == [(2, "经度"), (3, "纬度"), (4, "纬度"), (5, "纬度")]
    assert Station.objects.filter(code__startswith="A").count() == 0


def test_unknown_kind_lists_the_accepted_ones(district):
    row = [GOOD[0], GOOD[1], "服务站", *GOOD[3:]]

    with_problem = run("station", xlsx([STATION_HEADER, row]), "stations.xlsx")

    assert problems(with_problem) == [(2, "类型")]
    assert "网上联络站 (online)" in with_problem.problems[0].message
