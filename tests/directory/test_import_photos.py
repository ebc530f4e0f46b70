"""Deputies' photos in a .zip with the roster: checked by content, size-limited, re-encoded."""

import os
from pathlib import Path

from PIL import Image

from liaison.directory.models import Deputy

from .importfiles import DEPUTY_HEADER, image, problems, run, xlsx, zipped

HEADER = [*DEPUTY_HEADER, "照片"]


def roster(*photos):
    rows = [HEADER]
    for i, photo in enumerate(photos, start=1):
        rows.append([f"P-{i}", f"代表{i}", "县(区)", "第十七届", "330106001000", "", "", photo])
    return xlsx(rows)


def test_photos_in_a_zip_are_stored_as_jpeg(district):
    data = zipped(
        {
            "名册/代表名册.xlsx": roster("照片/赵一.png", "钱二.jpg"),
            "名册/照片/赵一.png": image("PNG"),
            "名册/照片/钱二.jpg": image("JPEG"),
        }
    )

    report = run("deputy", data, "deputies.zip", dry_run=False)

    assert report.ok, report.problems
    deputy = Deputy.objects.get(code="P-1")
    assert deputy.photo.name.endswith(".jpg")
    with Image.open(deputy.photo.path) as stored:
        assert stored.format == "JPEG"


def test_reimporting_the_same_photo_changes_nothing(district):
    data = zipped({"roster.xlsx": roster("a.png"), "a.png": image()})
    assert run("deputy", data, "deputies.zip", dry_run=False).created == 1
    first = Deputy.objects.get(code="P-1").photo.name

    again = run("deputy", data, "deputies.zip", dry_run=False)

    assert (again.updated, again.unchanged) == (0, 1)
    assert Deputy.objects.get(code="P-1").photo.name == first


def test_non_image_missing_and_oversized_photos_are_errors(district, settings):
    settings.PHOTO_MAX_BYTES = 20_000
    data = zipped(
        {
            "roster.xlsx": roster("fake.jpg", "missing.jpg", "huge.png", "good.png"),
            "fake.jpg": b"<?php echo 'not a photo'; ?>",
            "huge.png": os.urandom(30_000),
            "good.png": image(),
        }
    )

    report = run("deputy", data, "deputies.zip", dry_run=False)

    assert problems(report) == [(2, "照片"), (3, "照片"), (4, "照片")]
    assert "not an image" in report.problems[0].message
    assert "missing.jpg" in report.problems[1].message
    assert "too large" in report.problems[2].message
    assert not Deputy.objects.filter(code__startswith="P-").exists()
    assert list(Path(settings.MEDIA_ROOT).rglob("*.jpg")) == []  # not even the good photo


def test_a_photo_named_in_a_plain_roster_needs_the_zip(district):
    report = run("deputy", roster("a.png"), "deputies.xlsx")

    assert problems(report) == [(2, "照片")]
    assert ".zip" in report.problems[0].message


def test_unsafe_paths_in_the_zip_are_refused(district):
    data = zipped({"roster.xlsx": roster("a.png"), "../a.png": image()})

    report = run("deputy", data, "deputies.zip", dry_run=False)

    assert problems(report) == [(None, "")]
    assert "unsafe path" in report.problems[0].message


def test_a_zip_that_unpacks_too_large_is_refused(district, settings):
    settings.IMPORT_MAX_BYTES = 50_000
    data = zipped({"roster.xlsx": roster("a.png"), "a.png": b"\0" * 500_000})

    report = run("deputy", data, "deputies.zip")

    assert problems(report) == [(None, "")]
    assert "unpack" in report.problems[0].message


def test_zip_member_names_in_gbk_from_chinese_windows(district):
    # Windows' built-in zip writes GBK names without the UTF-8 flag; zipfile always writes UTF-8,
    # so write an ASCII placeholder of the same length and swap the bytes in.
    gbk_name = "照片/赵一.png".encode("gbk")
    placeholder = b"x" * (len(gbk_name) - 4) + b".png"
    data = zipped({"roster.xlsx": roster("照片/赵一.png"), placeholder.decode(): image()})
    data = data.replace(placeholder, gbk_name)

    report = run("deputy", data, "deputies.zip", dry_run=False)

    assert report.ok, report.problems
    assert Deputy.objects.get(code="P-1").photo
