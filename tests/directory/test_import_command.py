"""`liaison import_directory <kind> <file> [--dry-run] [--photos DIR]`."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from liaison.directory.models import Deputy, Region

from .importfiles import DEPUTY_HEADER, REGION_HEADER, csv_bytes, image, xlsx, zipped

ROWS = [REGION_HEADER, ["330106003000", "新街道", "街道", "330106000000"]]


def call(*args):
    with translation.override("en"):
        call_command("import_directory", *map(str, args))


def test_imports_a_roster(district, tmp_path, capsys):
    path = tmp_path / "regions.csv"
    path.write_bytes(csv_bytes(ROWS, "gbk"))

    call("region", path)

    assert Region.objects.get(code="330106003000").parent == district.county
    assert "1 created" in capsys.readouterr().out


def test_dry_run_writes_nothing(district, tmp_path, capsys):
    path = tmp_path / "regions.xlsx"
    path.write_bytes(xlsx(ROWS))

    call("region", path, "--dry-run")

    assert not Region.objects.filter(code="330106003000").exists()
    assert "would create 1" in capsys.readouterr().out


def test_problems_go_to_stderr_and_the_command_fails(district, tmp_path, capsys):
    path = tmp_path / "regions.xlsx"
    path.write_bytes(xlsx([*ROWS, ["330106004000", "坏街道", "街道", "123"]]))

    with pytest.raises(CommandError, match="1 problem: nothing was imported"):
        call("region", path)

    assert "row 3, 上级代码: Unknown parent region code “123”" in capsys.readouterr().err
    assert not Region.objects.filter(code="330106003000").exists()


def test_photos_from_a_folder(district, tmp_path):
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "赵一.png").write_bytes(image())
    (tmp_path / "secret.png").write_bytes(image())
    path = tmp_path / "deputies.xlsx"
    header = [*DEPUTY_HEADER, "照片"]
    path.write_bytes(
        xlsx([header, ["P-1", "赵一", "县", "第十七届", "330106001000", "", "", "赵一.png"]])
    )

    call("deputy", path, "--photos", tmp_path / "photos")

    assert Deputy.objects.get(code="P-1").photo.name.endswith(".jpg")

    # A name that climbs out of the folder is simply not found there.
    path.write_bytes(
        xlsx([header, ["P-2", "钱二", "县", "第十七届", "330106001000", "", "", "../secret.png"]])
    )
    with pytest.raises(CommandError):
        call("deputy", path, "--photos", tmp_path / "photos")
    assert not Deputy.objects.filter(code="P-2").exists()


def test_photos_from_a_zip(district, tmp_path):
    rows = [
        [*DEPUTY_HEADER, "照片"],
        ["P-1", "赵一", "县", "第十七届", "330106001000", "", "", "a.png"],
    ]
    path = tmp_path / "deputies.zip"
    path.write_bytes(zipped({"roster.xlsx": xlsx(rows), "a.png": image()}))

    call("deputy", path)

    assert Deputy.objects.get(code="P-1").photo


def test_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call("region", tmp_path / "nope.xlsx")
