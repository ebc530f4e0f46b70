"""Files that are not rosters get one clear message, whatever their name says."""

import pytest
from django.utils import translation

from liaison.directory.importing import ImportFileError, check_upload

from .importfiles import REGION_HEADER, csv_bytes, image, problems, run, xlsx, zipped


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (image(), "roster.xlsx", "not an .xlsx workbook"),
        (image(), "roster.csv", "not readable text"),
        (zipped({"a.txt": b"hello"}), "roster.xlsx", "not an .xlsx workbook"),
        (xlsx([REGION_HEADER]), "roster.csv", "not a .csv"),
        (xlsx([REGION_HEADER]), "roster.zip", "not a .zip"),
        (b"%PDF-1.4 ...", "roster.pdf", ".xlsx, .csv or .zip"),
        (b"\xd0\xcf\x11\xe0 old excel", "roster.xls", "save the file as .xlsx"),
        (b"", "roster.csv", "empty"),
    ],
)
def test_not_a_roster(db, data, filename, words):
    report = run("region", data, filename, dry_run=False)

    assert problems(report) == [(None, "")]
    assert words in report.problems[0].message


def test_a_damaged_workbook(db):
    fake = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"garbage"})

    report = run("region", fake, "roster.xlsx")

    assert problems(report) == [(None, "")]
    assert "damaged" in report.problems[0].message


def test_a_zip_needs_exactly_one_roster(db):
    data = zipped({"a.csv": csv_bytes([REGION_HEADER]), "b.xlsx": xlsx([REGION_HEADER])})

    report = run("region", data, "bundle.zip")

    assert "exactly one" in report.problems[0].message


@translation.override("en")
def test_the_size_limit(db, settings):
    settings.IMPORT_MAX_BYTES = 100

    with pytest.raises(ImportFileError, match="too large"):
        check_upload(csv_bytes([REGION_HEADER] * 20), "regions.csv")
