"""The records pages offer exactly the years that have data, plus the current year, newest first
(issue 16: the list ran from 2020 to next year, 2027 without data, and missed older years) —
read from the indexes, so the number of queries does not grow with the rows."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from liaison.records.years import years_with_data

from .conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-06-15 10:00 +0800", tick=False):
        yield


def offered(response) -> list[str]:
    field = response.context["form"]["year"]
    return [str(value) for value, _label in field.field.choices]


def test_only_the_current_year_without_data(client, accounts):
    assert years_with_data() == [2026]
    client.force_login(accounts.county_committee)
    page = client.get(reverse("records:overview"))
    assert offered(page) == ["2026"]
    assert '<option value="2027"' not in page.content.decode()


def test_each_kind_of_data_brings_its_year_and_gaps_stay_out(doings, district):
    dep = district.dep_a
    doings.entry(dep, date(2018, 5, 1), status="pending")  # waiting entries are data too
    doings.duty(dep, date(2019, 3, 4))
    doings.duty(dep, date(2020, 3, 2), attended=False)  # a duty nobody came to: nothing done
    doings.visit(dep, date(2021, 4, 1))
    doings.activity(local(2022, 1, 1, 0, 30), attended=[dep])  # just after midnight, local
    doings.activity(local(2023, 3, 1, 9), status="announced")  # never held: no data
    doings.response(dep, local(2024, 12, 31, 23, 30))  # still 2024 in Shanghai (UTC: 15:30)
    assert years_with_data() == [2026, 2024, 2022, 2021, 2019, 2018]


def test_a_year_between_two_of_the_same_source_is_asked_for(doings, district):
    doings.duty(district.dep_a, date(2021, 1, 4))
    doings.duty(district.dep_a, date(2023, 1, 2))
    doings.duty(district.dep_a, date(2025, 1, 6))
    assert years_with_data() == [2026, 2025, 2023, 2021]


def test_the_pages_offer_them_and_refuse_others(client, accounts, doings, district):
    doings.visit(district.dep_a, date(2024, 4, 1))
    client.force_login(accounts.county_committee)
    assert offered(client.get(reverse("records:overview"))) == ["2026", "2024"]
    record = reverse("records:deputy", args=[district.dep_a.pk])
    page = client.get(record, {"year": 2024})
    assert page.status_code == 200 and offered(page) == ["2026", "2024"]
    assert page.context["year"] == 2024
    for year in (2027, 2025, "abc"):
        assert client.get(record, {"year": year}).status_code == 400
        assert client.get(reverse("records:overview"), {"year": year}).status_code == 400
    report = reverse("records:report", args=[district.dep_a.pk])
    assert client.get(report, {"year": 2027}).status_code == 400


def test_queries_do_not_grow_with_the_rows(doings, district, django_assert_max_num_queries):
    doings.visit(district.dep_a, date(2024, 4, 1))
    doings.duty(district.dep_a, date(2025, 1, 6))
    with django_assert_max_num_queries(6) as few:
        years_with_data()
    for day in range(1, 28):
        doings.visit(district.dep_a, date(2024, 5, day))
        doings.duty(district.dep_a, date(2025, 2, day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert years_with_data() == [2026, 2025, 2024]
