"""The table of personal data (liaison/core/privacy.py, docs/privacy.md): every field that looks
personal is declared, the page shows the table in code, `liaison privacy` prints and writes it."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.management import CommandError, call_command
from django.db import models

from liaison.core import privacy
from liaison.core.management.commands.privacy import BEGIN, END

ROOT = Path(__file__).resolve().parents[2]
# A word of a field's name that says it may hold a person's data.
PERSONAL_WORDS = re.compile(
    r"(^|_)(name|phone|mobile|landline|address|email|openid|ip|photo|image|username)(_|$)"
)
# Only fields that hold text, files or addresses: `phone_verified_at` or `email_notices` do not.
HOLDING = (models.CharField, models.TextField, models.FileField, models.GenericIPAddressField)


def looks_personal() -> set[str]:
    found = set()
    for model in apps.get_models():
        if not (model.__module__.startswith("liaison.") or model._meta.app_label == "axes"):
            continue
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            typed = isinstance(field, HOLDING)
            if typed and (
                PERSONAL_WORDS.search(field.name)
                or isinstance(field, (models.ImageField, models.GenericIPAddressField))
            ):
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_field_that_looks_personal_is_declared():
    undeclared = looks_personal() - privacy.declared_fields() - set(privacy.NOT_PERSONAL)
    # Declare it in the app's privacy.py: privacy.declare(…) or privacy.not_personal(…).
    assert undeclared == set()


def test_the_scan_finds_the_citizens_fields():
    """The scan is not vacuous: the fields this table exists for are among what it finds."""
    found = looks_personal()
    for field in (
        "cases.Case.citizen_name",
        "cases.Case.citizen_phone",
        "cases.Case.citizen_landline",
        "cases.Case.citizen_address",
        "cases.CasePhoto.image",
        "receptions.Visit.visitor_phone",
        "appointments.Appointment.name",
        "activities.SignUp.phone",
        "axes.AccessFailureLog.ip_address",
        "axes.AccessLog.ip_address",
    ):
        assert field in found
        assert field in privacy.declared_fields()


def test_a_field_is_either_personal_or_not():
    assert privacy.declared_fields() & set(privacy.NOT_PERSONAL) == set()


def test_every_row_says_what_why_who_and_how_long():
    for row in privacy.TABLE:
        for value in (row.what, row.purpose, row.full, row.kept):
            assert value.strip(), row.label


def test_a_misspelt_field_is_refused():
    from liaison.cases.models import Case

    with pytest.raises(FieldDoesNotExist):
        privacy.declare(Case, ["citizen_nmae"], what="x", purpose="x", full="x", kept="x")


def test_the_page_shows_the_table_in_code():
    page = (ROOT / "docs" / "privacy.md").read_text(encoding="utf-8")
    shown = page.partition(BEGIN)[2].partition(END)[0]
    # Regenerate with: liaison privacy --write docs/privacy.md
    assert shown == "\n" + privacy.table_markdown()


def test_the_command_prints_and_writes_the_table(tmp_path):
    out = StringIO()
    call_command("privacy", stdout=out)
    assert out.getvalue() == privacy.table_markdown()
    assert "`citizen_name`" in out.getvalue() and "`case.phone_viewed`" in out.getvalue()

    page = tmp_path / "privacy.md"
    page.write_text(f"# Head\n{BEGIN}\nold\n{END}\nTail\n", encoding="utf-8")
    call_command("privacy", "--write", str(page), stdout=StringIO())
    assert page.read_text(encoding="utf-8") == (
        f"# Head\n{BEGIN}\n{privacy.table_markdown()}{END}\nTail\n"
    )


def test_writing_into_a_page_without_the_markers_changes_nothing(tmp_path):
    page = tmp_path / "other.md"
    page.write_text("# Not the privacy page\n", encoding="utf-8")
    with pytest.raises(CommandError, match="markers"):
        call_command("privacy", "--write", str(page), stdout=StringIO())
    assert page.read_text(encoding="utf-8") == "# Not the privacy page\n"
    with pytest.raises(CommandError):
        call_command("privacy", "--write", str(tmp_path / "missing.md"), stdout=StringIO())
