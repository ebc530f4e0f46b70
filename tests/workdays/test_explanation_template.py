"""Every due date can explain itself: the include the case pages reuse."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import strip_tags

from liaison.workdays.deadlines import add_working_days

pytestmark = pytest.mark.django_db


def render(deadline, language):
    with translation.override(language):
        html = render_to_string("workdays/explanation.html", {"deadline": deadline})
    return " ".join(strip_tags(html).split())


def test_in_english():
    page = render(add_working_days(date(2025, 9, 26), 15), "en")

    assert "Counted 15 working days from the day after Sept. 26, 2025 (Friday)" in page
    assert "Due by the end of Oct. 23, 2025 (Thursday)." in page
    assert "Holidays skipped: Oct. 1, 2025 to Oct. 8, 2025: National Day, Mid-Autumn Festival" in (
        page
    )
    assert "4 weekend days skipped" in page
    assert "Sept. 27, 2025 (Saturday), Oct. 12, 2025 (Sunday), Oct. 18, 2025" in page
    assert "Make-up working days counted: Sept. 28, 2025 (Sunday), Oct. 11, 2025 (Saturday)" in page
    assert "Provisional" not in page


def test_in_chinese_holiday_names_are_the_notices_own():
    page = render(add_working_days(date(2025, 9, 26), 15), "zh-hans")

    assert "2025年10月23日" in page and "星期四" in page
    assert "国庆节、中秋节" in page


def test_a_provisional_deadline_says_which_year_is_missing():
    page = render(add_working_days(date(2026, 12, 21), 15), "en")

    assert "Provisional." in page
    assert "No holiday schedule is loaded yet for 2027" in page
