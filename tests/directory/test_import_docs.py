"""The examples in docs/import.md import as documented, in the documented order."""

import re
from pathlib import Path

from liaison.directory.models import Department, Deputy, GridCell, Station

from .importfiles import image, run, zipped

DOC = Path(__file__).resolve().parents[2] / "docs" / "import.md"


def test_the_documented_examples_import(district):
    examples = re.findall(r"```csv\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    regions, stations, deputies, departments, cells = (e.encode("utf-8") for e in examples)

    assert run("region", regions, "区划.csv", dry_run=False).ok
    assert run("station", stations, "联络站.csv", dry_run=False).ok
    bundle = zipped({"代表.csv": deputies, "照片/张明华.jpg": image("JPEG")})
    report = run("deputy", bundle, "代表及照片.zip", dry_run=False)
    assert report.ok, report.problems
    assert run("department", departments, "承办单位.csv", dry_run=False).ok
    report = run("gridcell", cells, "网格.csv", dry_run=False)
    assert report.ok, report.problems

    assert Station.objects.get(code="XH-BS-01").region == district.street_a
    assert Deputy.objects.get(code="XH-17-001").stations.count() == 2
    assert Deputy.objects.get(code="XH-17-001").photo
    assert Department.objects.get(code="XH-JT").region == district.county
    assert GridCell.objects.get(code="BC-01").deputies.count() == 2
    assert GridCell.objects.get(code="BS-01").station.code == "XH-BS-01"
