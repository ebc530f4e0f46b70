"""立法项目建议征集 — a call for proposals of topics for future regulations runs on the same
engine: no text, the proposals are comments on the whole call, with the same intake (SMS code),
moderation, merging, adoption and feedback."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from liaison.legislation import services
from liaison.legislation.models import Comment, DraftKind
from liaison.legislation.workflow import DraftStatus
from liaison.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(district, accounts):
    today = timezone.localdate()
    made = services.save_draft(
        actor=accounts.county_committee,
        kind=DraftKind.CALL,
        title="2027年度立法项目建议征集",
        explanation="欢迎提出需要制定的地方性法规项目。",
        region=district.county,
        issuing_body="西湖区人大常委会",
        opens_on=today,
        closes_on=today + timedelta(days=30),
        stations=[district.station_a],
    )
    return services.open_draft(made, actor=accounts.county_committee)  # no text needed


def test_a_call_opens_without_text_and_takes_proposals(client, call, accounts):
    assert call.status == DraftStatus.OPEN
    client.cookies["django_language"] = "en"
    page = client.get(reverse("legislation:draft", args=[call.pk])).content.decode()
    assert "Propose a topic for a regulation" in page and 'id="h-text"' not in page
    form = client.get(reverse("legislation:comment", args=[call.pk])).content.decode()
    assert "Your proposal for a regulation" in form
    response = client.post(
        reverse("legislation:comment", args=[call.pk]),
        {"text": "建议制定电梯安全管理条例。", "name": "", "phone": "13912345678", "consent": "on"},
    )
    assert response.status_code == 302
    code = Notification.objects.get(template="comment_code").params["code"]
    assert client.post(reverse("legislation:confirm"), {"code": code}).status_code == 302
    proposal = Comment.objects.get()
    services.publish_comment(proposal, actor=accounts.station_a_staff)
    page = client.get(reverse("legislation:draft", args=[call.pk])).content.decode()
    assert "建议制定电梯安全管理条例。" in page and "Proposals" in page


@translation.override("en")
def test_a_call_has_no_text_and_keeps_its_kind_once_open(call, accounts, district):
    with pytest.raises(ValidationError, match="no text"):
        services.import_text(
            services.save_draft(
                actor=accounts.county_committee,
                kind=DraftKind.CALL,
                title="另一次征集",
                explanation="",
                region=district.county,
                issuing_body="西湖区人大常委会",
                opens_on=call.opens_on,
                closes_on=call.closes_on,
                stations=[],
            ),
            actor=accounts.county_committee,
            lines=["第一条 内容"],
        )
    with pytest.raises(ValidationError, match="cannot change"):
        services.save_draft(
            actor=accounts.county_committee,
            draft=call,
            kind=DraftKind.DRAFT,
            title=call.title,
            explanation="",
            region=district.county,
            issuing_body=call.issuing_body,
            opens_on=call.opens_on,
            closes_on=call.closes_on,
            stations=[],
        )
