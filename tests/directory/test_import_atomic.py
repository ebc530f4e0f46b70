"""A dry run writes nothing; a real import with any problem writes nothing either."""

import pytest

from liaison.core.models import AuditEvent
from liaison.directory import services
from liaison.directory.models import Department, Deputy, Region, Station
from tests.factories import StationFactory

from .importfiles import DEPUTY_HEADER, REGION_HEADER, STATION_HEADER, image, run, xlsx, zipped

MODELS = [Region, Station, Deputy, Department, Deputy.stations.through, AuditEvent]


def snapshot():
    """Every column of every row: equal snapshots mean nothing was written."""
    return {m.__name__: sorted(map(repr, m.objects.values_list())) for m in MODELS}


def good_and_bad_rosters(district):
    station = district.station_a
    good = [
        STATION_HEADER,
        [station.code, "改了名的站", "联络站", "330106001000", "", "", "", ""],
        ["NEW-1", "新站", "联络站", "330106001000", "", "", "", ""],
    ]
    return good, [*good, ["NEW-2", "坏站", "联络站", "330106001000", "", "", "", "bad-phone"]]


def test_a_dry_run_writes_nothing(district):
    good, _bad = good_and_bad_rosters(district)
    before = snapshot()

    report = run("station", xlsx(good), "stations.xlsx", dry_run=True)

    assert report.ok
    assert (report.created, report.updated) == (1, 1)
    assert snapshot() == before


def test_one_bad_row_leaves_the_database_exactly_as_it_was(district):
    _good, bad = good_and_bad_rosters(district)
    before = snapshot()

    report = run("station", xlsx(bad), "stations.xlsx", dry_run=False)

    assert [p.row for p in report.problems] == [4]
    assert snapshot() == before
    district.station_a.refresh_from_db()
    assert district.station_a.name == "北山街道人大代表联络站"


def test_a_write_failing_midway_rolls_everything_back(district, monkeypatch):
    rows = [
        REGION_HEADER,
        ["330106003000", "新街道", "街道", "330106000000"],
        ["330106003001", "新社区", "社区", "330106003000"],
    ]
    before = snapshot()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    # The audit events are written after the rows: failing there must undo the rows too.
    monkeypatch.setattr(AuditEvent.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        run("region", xlsx(rows), "regions.xlsx", dry_run=False)

    assert snapshot() == before


def test_photos_of_a_failed_import_are_not_left_behind(district, settings, monkeypatch):
    header = [*DEPUTY_HEADER, "照片"]
    rows = [header, ["P-1", "赵一", "县", "第十七届", "330106001000", "", "", "a.png"]]
    data = zipped({"roster.xlsx": xlsx(rows), "a.png": image()})
    monkeypatch.setattr(AuditEvent.objects, "bulk_create", lambda *a, **k: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        run("deputy", data, "deputies.zip", dry_run=False)

    assert not Deputy.objects.filter(code="P-1").exists()
    assert list(settings.MEDIA_ROOT.rglob("*.jpg")) == []


def test_a_row_created_by_someone_else_meanwhile_fails_the_import_cleanly(district, monkeypatch):
    good, _bad = good_and_bad_rosters(district)
    import_entries = services.import_entries

    def someone_else_first(*args, **kwargs):
        # Stands for another admin's row committed after our checks and before our writes.
        StationFactory(code="NEW-1")
        return import_entries(*args, **kwargs)

    monkeypatch.setattr(services, "import_entries", someone_else_first)

    report = run("station", xlsx(good), "stations.xlsx", dry_run=False)

    assert [(p.row, p.column) for p in report.problems] == [(None, "")]
    assert "changed while importing" in report.problems[0].message
    district.station_a.refresh_from_db()
    assert district.station_a.name == "北山街道人大代表联络站"  # our update was rolled back too
