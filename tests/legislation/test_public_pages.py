"""The citizen's pages over HTTP: current consultations, a draft with its articles and the
comments shown under them (never a phone, a name only with consent), the comment form with the
SMS code step, its limits, and the adoption figures of a closed draft."""

import pytest
from django.urls import reverse

from liaison.legislation import services
from liaison.legislation.models import Comment
from liaison.legislation.workflow import CommentStatus
from liaison.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def last_code() -> str:
    return Notification.objects.filter(template="comment_code").latest("pk").params["code"]


FORM = {
    "text": "建议增加遛狗时段的规定。",
    "name": "陈阿姨",
    "phone": "13912345678",
    "consent": "on",
}


def test_the_list_and_the_draft_page_show_the_articles(en, make_draft):
    draft = make_draft(articles=20)
    hidden = make_draft(title="尚在准备的草案", open=False)
    listing = en.get(reverse("legislation:list")).content.decode()
    assert draft.title in listing and hidden.title not in listing
    page = en.get(reverse("legislation:draft", args=[draft.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="panel" id="article-') == 20
    assert reverse("legislation:comment-article", args=[draft.pk, 20]) in html
    assert en.get(reverse("legislation:draft", args=[hidden.pk])).status_code == 404


def test_a_comment_with_its_code_waits_for_moderation_then_shows(en, make_draft, accounts):
    draft = make_draft()
    url = reverse("legislation:comment-article", args=[draft.pk, 3])
    response = en.post(url, FORM)
    assert response.status_code == 302 and response.url == reverse("legislation:confirm")
    wrong = en.post(reverse("legislation:confirm"), {"code": "12345"})
    assert wrong.status_code == 400 and "6 digits" in wrong.content.decode()
    done = en.post(reverse("legislation:confirm"), {"code": last_code()})
    assert done.status_code == 302 and done.url == reverse("legislation:sent")
    assert en.get(done.url).status_code == 200
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING and comment.article.number == 3
    page = en.get(reverse("legislation:draft", args=[draft.pk])).content.decode()
    assert FORM["text"] not in page  # not before moderation
    services.publish_comment(comment, actor=accounts.station_a_staff)
    page = en.get(reverse("legislation:draft", args=[draft.pk])).content.decode()
    assert FORM["text"] in page and "陈阿姨" in page
    assert "13912345678" not in page and "5678" not in page


def test_no_name_without_consent_and_nothing_shown_without_it(
    en, make_draft, online_comment, accounts
):
    draft = make_draft()
    shown = online_comment(draft, text="公开的意见", name="李先生", consent=True)
    anonymous = online_comment(draft, text="匿名的意见", name="", consent=True, phone="13700000001")
    private = online_comment(
        draft, text="不公开的意见", name="王女士", consent=False, phone="13700000002"
    )
    for comment in (shown, anonymous, private):
        services.publish_comment(comment, actor=accounts.station_a_staff)
    page = en.get(reverse("legislation:draft", args=[draft.pk])).content.decode()
    assert "公开的意见" in page and "李先生" in page
    assert "匿名的意见" in page and "A citizen" in page
    assert "不公开的意见" not in page and "王女士" not in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": ""}, "Please write your opinion."),
        ({"phone": "12345"}, "not a valid mainland mobile number"),
        ({"text": "长" * 5001}, "at most 5000 characters"),
    ],
)
def test_bad_input_is_a_400_with_the_reason_and_nothing_stored(en, make_draft, change, message):
    draft = make_draft()
    response = en.post(reverse("legislation:comment", args=[draft.pk]), {**FORM, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Comment.objects.exists() and not Notification.objects.exists()


def test_robots_and_floods_are_refused(en, make_draft, settings):
    draft = make_draft()
    url = reverse("legislation:comment", args=[draft.pk])
    robot = en.post(url, {**FORM, "website": "http://spam"})
    assert robot.status_code == 400 and not Comment.objects.exists()
    settings.LIAISON_RATE_MESSAGES_PER_PHONE = 2
    for _ in range(2):
        assert en.post(url, FORM).status_code == 302
    flood = en.post(url, FORM)
    assert flood.status_code == 429 and "Too many" in flood.content.decode()
    assert Comment.objects.count() == 2


def test_a_closed_draft_takes_no_comment_and_shows_its_adoption_figures(
    en, make_draft, online_comment, accounts
):
    draft = make_draft()
    first = online_comment(draft)
    online_comment(draft, phone="13700000001", number=2)
    draft = services.close_draft(draft, actor=accounts.county_committee)
    first.refresh_from_db()
    services.adopt_comment(first, actor=accounts.county_committee, adoption="adopted", reason="")
    refused = en.post(reverse("legislation:comment", args=[draft.pk]), FORM)
    assert refused.status_code == 409
    page = en.get(reverse("legislation:draft", args=[draft.pk])).content.decode()
    assert "2 opinions received, 1 adopted." in page
    assert "Comment on article" not in page
    past = en.get(reverse("legislation:list")).content.decode()
    assert "2 opinions received, 1 adopted" in past


def test_the_code_page_without_a_comment_waiting_is_a_404(en, db):
    assert en.get(reverse("legislation:confirm")).status_code == 404
    assert en.get(reverse("legislation:sent")).status_code == 404


def test_an_unknown_article_is_a_404(en, make_draft):
    draft = make_draft(articles=3)
    url = reverse("legislation:comment-article", args=[draft.pk, 4])
    assert en.get(url).status_code == 404


def _published(draft, count, *, number=1):
    from liaison.legislation.models import Source

    article = draft.articles.get(number=number) if number else None
    return Comment.objects.bulk_create(
        Comment(
            draft=draft,
            article=article,
            text=f"意见{n}",
            source=Source.ONLINE,
            phone="13912345678",
            consent=True,
            status=CommentStatus.PUBLISHED,
            supporters=n + 1,
        )
        for n in range(count)
    )


def test_the_draft_page_shows_the_top_three_per_article_in_a_fixed_number_of_queries(
    en, make_draft
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    draft = make_draft(articles=20)
    _published(draft, 2, number=1)
    url = reverse("legislation:draft", args=[draft.pk])
    with CaptureQueriesContext(connection) as few:
        en.get(url)
    _published(draft, 40, number=1)
    _published(draft, 5, number=7)
    _published(draft, 15, number=None)
    with CaptureQueriesContext(connection) as many:
        html = en.get(url).content.decode()
    assert len(many) == len(few)
    article = html[html.index('id="article-1"') : html.index('id="article-2"')]
    assert article.count('class="card"') == 3 and "意见39" in article  # most supported first
    assert "All 42 opinions on article 1" in article
    assert reverse("legislation:article-opinions", args=[draft.pk, 1]) in article
    assert "All 15 opinions on the whole draft" in html
    page = en.get(reverse("legislation:article-opinions", args=[draft.pk, 1]))
    assert page.status_code == 200 and page.content.decode().count('class="card"') == 20
    last = en.get(reverse("legislation:article-opinions", args=[draft.pk, 1]), {"page": "3"})
    assert last.content.decode().count('class="card"') == 2
    assert en.get(reverse("legislation:article-opinions", args=[draft.pk, 99])).status_code == 404
    whole = en.get(reverse("legislation:opinions", args=[draft.pk])).content.decode()
    assert whole.count('class="card"') == 15


def test_the_draft_page_counts_each_contact_points_opinions(en, make_draft, accounts, district):
    """Per-station contribution counts (issue 14): the offline opinions each contact point
    entered and the people behind them; a hidden one does not count."""
    draft = make_draft()
    entered = [
        services.enter_offline_comment(
            draft,
            actor=accounts.station_a_staff,
            article=None,
            text=f"座谈会意见{n}",
            offline_kind="hearing",
            people=people,
            station=district.station_a,
        )
        for n, people in enumerate((12, 5, 3))
    ]
    services.hide_comment(entered[2], actor=accounts.station_a_staff, reason="与草案无关")
    html = en.get(reverse("legislation:draft", args=[draft.pk])).content.decode()
    counts = html.split('id="station-counts"')[1].split("</ul>")[0]
    assert f"{district.station_a.name}: 2 opinions (17 people)" in counts
    assert district.station_b.name not in counts
