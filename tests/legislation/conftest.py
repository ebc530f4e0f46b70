from datetime import timedelta

import pytest
from django.utils import timezone, translation

from liaison.legislation import services
from liaison.legislation.importing import numeral
from liaison.workdays.deadlines import local_day


def draft_text(articles: int = 20, chapters: int = 2) -> str:
    """A draft of `articles` articles in `chapters` chapters, as pasted from a Word file."""
    lines = ["杭州市西湖区文明养犬条例（草案）", "（征求意见稿）"]
    per = -(-articles // chapters)
    for n in range(1, articles + 1):
        if (n - 1) % per == 0:
            c = (n - 1) // per + 1
            lines.append(f"第{numeral(c)}章　{'总则' if c == 1 else '管理'}")
        lines.append(f"第{numeral(n)}条　第{n}条的内容，养犬人应当遵守本条例。")
    return "\n".join(lines)


@pytest.fixture
def make_draft(district, accounts):
    """A draft of the county with station_a and station_b as contact points, its text
    imported; opened unless told otherwise."""

    def make(*, articles=20, open=True, title="西湖区文明养犬条例（草案）"):
        today = local_day(timezone.now())
        draft = services.save_draft(
            actor=accounts.county_committee,
            title=title,
            explanation="为规范养犬行为，制定本条例。",
            region=district.county,
            issuing_body="西湖区人大常委会",
            opens_on=today - timedelta(days=1),
            closes_on=today + timedelta(days=30),
            stations=[district.station_a, district.station_b],
        )
        services.import_text(
            draft, actor=accounts.county_committee, lines=draft_text(articles).splitlines()
        )
        if open:
            draft = services.open_draft(draft, actor=accounts.county_committee)
        return draft

    return make


@pytest.fixture
def online_comment(make_draft):
    """An online comment on article 1, its phone confirmed."""

    def make(
        draft=None,
        *,
        text="建议明确犬只登记的办理时限。",
        number=1,
        consent=True,
        name="陈阿姨",
        phone="13912345678",
    ):
        draft = draft or make_draft()
        article = draft.articles.get(number=number) if number else None
        comment, code = services.submit_comment(
            draft, article=article, text=text, name=name, phone=phone, consent=consent
        )
        return services.verify_comment(comment, code)

    return make


@pytest.fixture
def english():
    with translation.override("en"):
        yield
