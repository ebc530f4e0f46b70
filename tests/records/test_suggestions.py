"""Formal suggestions (代表建议) in the performance record: those the deputy led or co-signed,
counted in the year (Beijing time) they were submitted, while submitted or registered; on the
record page, in the figures, the annual report and — registered ones only — the public page."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.records.record import build_record
from liaison.records.three import today
from liaison.suggestions import services

from ..directory.test_signs import Pdf
from ..suggestions.conftest import at_step, draft, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return time_machine.travel(datetime(*args, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def submit(draft, district, people):  # noqa: F811
    """A suggestion of dep_a submitted at a local moment; optionally co-signed by dep_shared,
    registered by the county committee, returned."""

    def make(title, when, *, cosign=False, register=True, returned=False):
        with at(*when):
            s = draft(title=title, cosigners=[district.dep_shared] if cosign else [])
            if cosign:
                services.confirm_signature(s, actor=people.cosigner)
            s = services.submit_suggestion(s, actor=people.deputy_a)
            if returned:
                return services.return_suggestion(s, actor=people.county_committee, reason="补充")
            if register:
                s = services.accept_suggestion(s, actor=people.county_committee)
        return s

    return make


@pytest.fixture
def year_of_suggestions(submit, draft, district, people):  # noqa: F811
    return {
        "march": submit("三月的建议", (2026, 3, 2, 10)),
        "last_minute": submit("年末的建议", (2026, 12, 31, 23, 59), cosign=True, register=False),
        "new_year": submit("新年的建议", (2027, 1, 1, 0, 0)),
        "returned": submit("退回的建议", (2026, 5, 6, 10), returned=True),
        "draft": draft(title="还是草稿的建议"),
        "other": services.submit_suggestion(
            services.draft_suggestion(
                actor=people.deputy_b,
                lead_deputy=district.dep_b,
                title="别人的建议",
                reasons="理由",
                proposals="建议",
                category=district.category,
                session_kind="interim",
                year=2026,
            ),
            actor=people.deputy_b,
        ),
    }


def titles(record):
    return [s.title for s in record.suggestions]


def test_led_and_co_signed_suggestions_count_in_the_year_of_submission(
    district, year_of_suggestions
):
    record = build_record(district.dep_a, 2026)
    assert titles(record) == ["三月的建议", "年末的建议"]
    assert record.figures["suggestions"] == 2
    assert record.figures["suggestions_led"] == 2
    assert record.figures["suggestions_registered"] == 1
    diary = [item for item in record.items if item.kind == "suggestion"]
    assert [item.title for item in diary] == ["三月的建议", "年末的建议"]
    assert str(diary[1].day) == "2026-12-31"

    assert titles(build_record(district.dep_a, 2027)) == ["新年的建议"]

    cosigned = build_record(district.dep_shared, 2026)
    assert titles(cosigned) == ["年末的建议"]
    assert cosigned.figures["suggestions_led"] == 0
    assert not cosigned.suggestions[0].is_lead
    assert titles(build_record(district.dep_b, 2026)) == ["别人的建议"]


def test_the_record_reads_suggestions_in_a_fixed_number_of_queries(district, submit):
    submit("一", (2026, 3, 2, 10))
    with CaptureQueriesContext(connection) as few:
        build_record(district.dep_a, 2026)
    for n in range(4):
        submit(f"再一件{n}", (2026, 4, 1 + n, 10), cosign=n % 2 == 0)
    with CaptureQueriesContext(connection) as many:
        record = build_record(district.dep_a, 2026)
    assert len(record.suggestions) == 5
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_record_page_lists_them_and_links_only_what_the_reader_may_open(
    client, accounts, district, year_of_suggestions
):
    march = year_of_suggestions["march"]
    client.force_login(accounts.deputy_a)
    page = client.get(reverse("records:me"), {"year": 2026})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="suggestions"><dt>' in html
    assert reverse("suggestions:detail", args=[march.pk]) in html
    assert march.number in html and "退回的建议" not in html and "还是草稿的建议" not in html

    # Station B's staff see dep_shared's record, but not dep_a's suggestion he co-signed.
    last = year_of_suggestions["last_minute"]
    client.force_login(accounts.station_b_staff)
    page = client.get(reverse("records:deputy", args=[district.dep_shared.pk]), {"year": 2026})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-suggestion="{last.pk}"' in html and "年末的建议" in html
    assert reverse("suggestions:detail", args=[last.pk]) not in html


def test_the_annual_report_lists_them(client, accounts, district, year_of_suggestions, tmp_path):
    client.force_login(accounts.deputy_a)
    response = client.get(reverse("records:report", args=[district.dep_a.pk]), {"year": 2026})
    text = Pdf(response, tmp_path).text().replace("\n", "")
    march = year_of_suggestions["march"]
    assert march.number in text and "三月的建议" in text and "年末的建议" in text
    assert "退回的建议" not in text and "新年的建议" not in text


def test_the_public_page_shows_registered_ones_only(client, district, at_step, draft, people):  # noqa: F811
    answered = at_step("answered", title="已答复的建议")
    registered = at_step("accepted", title="已立案的建议")
    waiting = at_step("submitted", title="待审查的建议")
    draft(title="草稿中的建议")
    assert answered.submitted_at.astimezone(SHANGHAI).year == today().year
    client.cookies["django_language"] = "en"
    page = client.get(reverse("directory:deputy", args=[district.dep_a.public_code]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="suggestions">2<' in html
    assert "已答复的建议" in html and "已立案的建议" in html
    assert waiting.title not in html and "草稿中的建议" not in html
    assert reverse("suggestions_public:detail", args=[answered.number]) in html
    assert reverse("suggestions_public:detail", args=[registered.number]) not in html
    assert 'id="public-suggestions-link"' in html
    public = client.get(reverse("suggestions_public:detail", args=[answered.number]))
    assert public.status_code == 200


def test_the_footer_links_the_public_suggestions(client, district):
    page = client.get(reverse("directory:deputy", args=[district.dep_a.public_code]))
    assert f'id="footer-suggestions" href="{reverse("suggestions_public:list")}"' in (
        page.content.decode()
    )


def test_led_and_co_signed_ones_are_merged_in_order_and_limited(district, people, submit):  # noqa: F811
    from liaison.records.record import deputy_suggestions

    submit("三月附议", (2026, 3, 2, 10), cosign=True)
    submit("九月附议", (2026, 9, 1, 10), cosign=True)
    with at(2026, 6, 1, 10):
        led = services.draft_suggestion(
            actor=people.cosigner,
            lead_deputy=district.dep_shared,
            title="六月领衔",
            reasons="理由",
            proposals="建议",
            category=district.category,
            session_kind="interim",
            year=2026,
        )
        services.submit_suggestion(led, actor=people.cosigner)
    found = deputy_suggestions(district.dep_shared, 2026)
    assert [(s.title, s.is_lead) for s in found] == [
        ("三月附议", False),
        ("六月领衔", True),
        ("九月附议", False),
    ]
    newest = deputy_suggestions(district.dep_shared, 2026, newest_first=True, limit=2)
    assert [s.title for s in newest] == ["九月附议", "六月领衔"]
