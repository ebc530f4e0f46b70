"""Deputies import: levels, stations by code, contact blocks."""

from liaison.directory.models import Deputy, DeputyLevel

from .importfiles import DEPUTY_HEADER, csv_bytes, problems, run, xlsx


def test_xlsx_creates_deputies_in_their_stations(district):
    a, b = district.station_a.code, district.station_b.code
    header = [*DEPUTY_HEADER, "选区", "联系区块", "职务", "简介"]
    rows = [
        header,
        [
            "D-001",
            "赵一",
            "全国",
            "第十四届",
            "330106001000",
            "13812345678",
            f"{a}、{b}",
            "第一选区",
            "保俶社区\n宝石社区；西溪社区",
            "教师",
            "简介",
        ],
        ["D-002", "钱二", "乡镇", "第十届", "330106002000", "", b, "", "", "", ""],
    ]

    report = run("deputy", xlsx(rows), "deputies.xlsx", dry_run=False)

    assert report.ok, report.problems
    zhao = Deputy.objects.get(code="D-001")
    assert zhao.level == DeputyLevel.NATIONAL
    assert set(zhao.stations.all()) == {district.station_a, district.station_b}
    assert zhao.contact_block_list == ["保俶社区", "宝石社区", "西溪社区"]
    assert (zhao.public_phone, zhao.occupation) == ("13812345678", "教师")
    qian = Deputy.objects.get(code="D-002")
    assert qian.level == DeputyLevel.TOWNSHIP
    assert list(qian.stations.all()) == [district.station_b]


def test_csv_with_english_headers(district):
    rows = [
        ["code", "name", "level", "term", "region_code", "stations"],
        ["D-003", "孙三", "4", "第十七届", "330106000000", district.station_a.code],
    ]

    assert run("deputy", csv_bytes(rows), "deputies.csv", dry_run=False).ok
    assert Deputy.objects.get(code="D-003").region == district.county


def test_unknown_stations_and_bad_phone_are_reported(district):
    rows = [
        DEPUTY_HEADER,
        ["D-004", "李四", "县", "第十七届", "330106001000", "138", "NOPE; ALSO-NOPE"],
        ["D-005", "周五", "县", "", "330106001000", "13812345678", ""],
    ]

    report = run("deputy", xlsx(rows), "deputies.xlsx", dry_run=False)

    assert problems(report) == [(2, "公开电话"), (2, "所在联络站"), (3, "届次")]
    assert "NOPE、ALSO-NOPE" in report.problems[1].message
    assert not Deputy.objects.filter(code__in=["D-004", "D-005"]).exists()
