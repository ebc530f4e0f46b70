"""`liaison load_holidays YEAR FILE` and `liaison load_holidays --package`."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from liaison.workdays.deadlines import is_working_day
from liaison.workdays.models import CalendarDay, ScheduleYear

from .conftest import NOTICE_2027

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("load_holidays", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_notice_file_is_loaded(tmp_path, recalculated, django_capture_on_commit_callbacks):
    notice = tmp_path / "2027.txt"
    notice.write_text(NOTICE_2027, encoding="utf-8")

    with django_capture_on_commit_callbacks(execute=True):
        out, _err = run("2027", str(notice), "--note", "测试通知第1号")

    assert "Loaded 2027." in out
    assert "春节: 2027-02-05~2027-02-11; 调休上班 2027-01-31, 2027-02-20" in out
    assert ScheduleYear.objects.get(year=2027).source == "notice"
    assert not is_working_day(date(2027, 2, 5))
    assert recalculated == [({2027}, None)]


def test_check_saves_nothing(tmp_path):
    notice = tmp_path / "2027.txt"
    notice.write_text(NOTICE_2027, encoding="utf-8")

    out, _err = run("2027", str(notice), "--check")

    assert "nothing saved" in out
    assert not ScheduleYear.objects.filter(year=2027).exists()


def test_bad_lines_go_to_stderr_and_nothing_is_saved(tmp_path):
    notice = tmp_path / "2027.txt"
    notice.write_text("元旦: 01-01~01-03\n春节 02-05\n", encoding="utf-8")
    err = StringIO()

    with pytest.raises(CommandError, match="Nothing was saved"):
        call_command("load_holidays", "2027", str(notice), stdout=StringIO(), stderr=err)

    assert "line 2:" in err.getvalue()
    assert not CalendarDay.objects.filter(year=2027).exists()


def test_a_missing_file_or_year_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("2027", str(tmp_path / "nope.txt"))
    with pytest.raises(CommandError, match="Give the year"):
        run()


def test_a_loaded_year_needs_replace(tmp_path):
    notice = tmp_path / "2026.txt"
    notice.write_text("国庆节: 10-01~10-07\n", encoding="utf-8")

    with pytest.raises(CommandError, match="--replace"):
        run("2026", str(notice))
    run("2026", str(notice), "--replace")

    assert CalendarDay.objects.filter(year=2026).count() == 7


def test_the_package_years_load_idempotently():
    ScheduleYear.objects.filter(year=2024).delete()
    CalendarDay.objects.filter(year=2024).delete()
    assert is_working_day(date(2024, 10, 1))

    out, _err = run("--package")
    assert "2024" in out
    assert not is_working_day(date(2024, 10, 1))

    out, _err = run("--package")
    assert "Nothing to load" in out
