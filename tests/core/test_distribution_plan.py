"""The Citus plan of docs/scaling.md against the schema (tools/distribution_check.py): the page
shows the current findings, and every large table the plan names exists, event tables included."""

import importlib.util
from pathlib import Path

import pytest
from django.apps import apps

from liaison.core import chain

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def check():
    spec = importlib.util.spec_from_file_location(
        "distribution_check", ROOT / "tools/distribution_check.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_large_table_exists(check):
    for label in check.LARGE:
        assert apps.get_model(label)._meta.db_table


def test_every_event_table_is_a_large_table(check):
    """A new timeline (an append-only, hash-chained table) grows with its aggregate: the plan
    must say how it is distributed."""
    labels = {model._meta.label for model in chain.chained_models()}
    assert labels <= set(check.LARGE), labels - set(check.LARGE)


def test_the_scaling_page_shows_the_current_findings(check):
    page = (ROOT / "docs/scaling.md").read_text()
    start = page.index(check.BEGIN) + len(check.BEGIN)
    shown = page[start : page.index(check.END)]
    assert shown == "\n" + check.report(), (
        "docs/scaling.md is out of date: run tools/distribution_check.py --write docs/scaling.md"
    )


def test_the_findings_name_what_lacks_the_root_region(check):
    rows = {row["table"]: row for row in check.rows()}
    assert rows["cases_case"]["region"] == "region_path"
    assert rows["cases_caseevent"]["region"] == ""
    assert "`case_id` → cases_case" in rows["cases_caseevent"]["links"]
    assert "`dedupe_key`" in rows["notifications_notification"]["uniques"]
