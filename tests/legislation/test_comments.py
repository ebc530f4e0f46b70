"""Comments through the services: an online comment counts once its phone is confirmed by the
one code flow; offline opinions are entered by contact-point stations; moderation, merging with
supporters, adoption and telling each contributor; every change audited."""

import pytest
from django.core.exceptions import ValidationError

from liaison.core.errors import NotAllowed, TransitionRefused
from liaison.core.models import AuditEvent
from liaison.legislation import selectors, services
from liaison.legislation.models import Comment, CommentCode, OfflineKind
from liaison.legislation.workflow import CommentStatus
from liaison.notifications.models import Channel, Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def verbs(obj):
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("pk")
        .values_list("verb", flat=True)
    )


def offline(draft, accounts, district, *, people=12, number=2, kind=OfflineKind.HEARING):
    return services.enter_offline_comment(
        draft,
        actor=accounts.station_a_staff,
        article=draft.articles.get(number=number),
        text="座谈会上居民建议增加遛狗时段的规定。",
        offline_kind=kind,
        people=people,
        station=district.station_a,
    )


def test_an_online_comment_counts_only_once_its_phone_is_confirmed(make_draft):
    draft = make_draft()
    comment, code = services.submit_comment(
        draft,
        article=draft.articles.get(number=3),
        text="建议明确登记时限。",
        name="",
        phone="139 1234 5678",
        consent=False,
    )
    assert comment.status == CommentStatus.UNVERIFIED and comment.phone == "13912345678"
    sms = Notification.objects.get(channel=Channel.SMS)
    assert sms.template == "comment_code" and sms.recipient == "13912345678"
    assert CommentCode.objects.filter(comment=comment).count() == 1
    assert selectors.adoption_counts(draft)["comments"] == 0
    with pytest.raises(ValidationError, match="not right"):
        services.verify_comment(comment, "000000" if code != "000000" else "111111")
    comment = services.verify_comment(comment, code)
    assert comment.status == CommentStatus.PENDING and comment.phone_verified_at
    assert selectors.adoption_counts(draft)["comments"] == 1
    assert verbs(comment) == ["comment.submitted"]


@pytest.mark.parametrize(
    ("field", "change", "message"),
    [
        ("phone", "12345", "not a valid mainland mobile"),
        ("text", "  ", "Please write your opinion"),
        ("text", "长" * 5001, "at most 5000 characters"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(make_draft, field, change, message):
    draft = make_draft()
    data = {"article": None, "text": "意见", "name": "", "phone": "13912345678", "consent": True}
    data[field] = change
    with pytest.raises(ValidationError, match=message):
        services.submit_comment(draft, **data)
    assert not Comment.objects.exists() and not Notification.objects.exists()


def test_no_comment_on_a_closed_draft_nor_on_an_article_of_another(make_draft, accounts):
    draft, other = make_draft(), make_draft(title="另一草案")
    data = {"text": "意见", "name": "", "phone": "13912345678", "consent": True}
    with pytest.raises(ValidationError, match="not part of the draft"):
        services.submit_comment(draft, article=other.articles.first(), **data)
    services.close_draft(draft, actor=accounts.county_committee)
    with pytest.raises(ValidationError, match="not open for comment"):
        services.submit_comment(draft, article=None, **data)
    assert not Comment.objects.exists()


def test_offline_opinions_are_entered_by_contact_point_stations(make_draft, accounts, district):
    draft = make_draft()
    comment = offline(draft, accounts, district)
    assert comment.entered_by == accounts.station_a_staff and comment.supporters == 12
    assert verbs(comment) == ["comment.entered"]
    with pytest.raises(ValidationError) as refused:
        services.enter_offline_comment(
            draft,
            actor=accounts.station_a_staff,
            article=None,
            text="意见",
            offline_kind=OfflineKind.VISIT,
            people=0,
            station=district.station_b,
        )
    assert set(refused.value.message_dict) == {"people", "station"}
    # A station that is not a contact point of the draft may not enter anything.
    draft.stations.set([district.station_b])
    with pytest.raises(NotAllowed):
        offline(draft, accounts, district)
    assert Comment.objects.count() == 1


def test_moderation_publish_hide_tag(online_comment, accounts):
    comment = online_comment()
    with pytest.raises(NotAllowed):
        services.publish_comment(comment, actor=accounts.deputy_a)
    comment = services.publish_comment(comment, actor=accounts.station_a_staff)
    assert comment.status == CommentStatus.PUBLISHED
    with pytest.raises(ValidationError, match="say why"):
        services.hide_comment(comment, actor=accounts.station_a_staff, reason=" ")
    comment = services.hide_comment(comment, actor=accounts.station_a_staff, reason="与草案无关")
    assert comment.status == CommentStatus.HIDDEN and comment.hidden_reason == "与草案无关"
    comment = services.tag_comment(
        comment, actor=accounts.station_a_staff, tags=services.split_tags("登记, 时限、登记")
    )
    assert comment.tags == ["登记", "时限"]
    with pytest.raises(ValidationError, match="At most"):
        services.tag_comment(comment, actor=accounts.station_a_staff, tags=["长" * 21])
    assert verbs(comment) == [
        "comment.submitted",
        "comment.published",
        "comment.hidden",
        "comment.tagged",
    ]
    assert selectors.adoption_counts(comment.draft)["comments"] == 0  # hidden: not counted


def test_identical_comments_are_merged_and_their_supporters_counted(
    make_draft, online_comment, accounts, district
):
    draft = make_draft()
    first = online_comment(draft, number=2)
    second = online_comment(draft, number=2, phone="13987654321")
    hearing = offline(draft, accounts, district, people=12, number=2)
    services.merge_comment(second, into=hearing, actor=accounts.station_a_staff)
    main = services.merge_comment(hearing, into=first, actor=accounts.station_a_staff)
    assert main.supporters == 1 + 1 + 12
    # The chain stays flat: the comment merged earlier now points to the main one.
    assert set(first.merged.values_list("pk", flat=True)) == {second.pk, hearing.pk}
    assert selectors.adoption_counts(draft)["comments"] == 3
    with pytest.raises(TransitionRefused):
        services.merge_comment(hearing, into=first, actor=accounts.station_a_staff)
    with pytest.raises(ValidationError, match="same article"):
        services.merge_comment(
            online_comment(draft, number=3), into=first, actor=accounts.station_a_staff
        )
    with pytest.raises(ValidationError, match="into itself"):
        services.merge_comment(first, into=first, actor=accounts.station_a_staff)
    assert "comment.merge_received" in verbs(first)


def test_adoption_is_the_committees_after_the_close_and_contributors_are_told(
    make_draft, online_comment, accounts, district
):
    draft = make_draft()
    citizen = online_comment(draft, number=1)
    follower = online_comment(draft, number=1, phone="13987654321")
    services.merge_comment(follower, into=citizen, actor=accounts.station_a_staff)
    hearing = offline(draft, accounts, district)
    with pytest.raises(TransitionRefused):  # still open
        services.adopt_comment(
            citizen, actor=accounts.county_committee, adoption="adopted", reason=""
        )
    draft = services.close_draft(draft, actor=accounts.county_committee)
    citizen.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.adopt_comment(
            citizen, actor=accounts.station_a_staff, adoption="adopted", reason=""
        )
    with pytest.raises(ValidationError, match="reason"):
        services.adopt_comment(citizen, actor=accounts.county_committee, adoption="not", reason="")
    services.adopt_comment(citizen, actor=accounts.county_committee, adoption="adopted", reason="")
    hearing.refresh_from_db()
    services.adopt_comment(
        hearing, actor=accounts.county_committee, adoption="partly", reason="部分吸收"
    )
    follower.refresh_from_db()
    assert follower.adoption == "adopted"  # shares the outcome of the comment it was merged into
    assert selectors.adoption_counts(draft) == {"comments": 3, "adopted": 3}

    Notification.objects.all().delete()
    assert services.tell_contributors(draft, actor=accounts.county_committee) == 3
    sms = Notification.objects.filter(channel=Channel.SMS, template="comment_outcome")
    assert sorted(sms.values_list("recipient", flat=True)) == ["13912345678", "13987654321"]
    assert all(n.params["outcome"] == "Adopted" for n in sms)  # the language they wrote in
    inbox = Notification.objects.get(channel=Channel.IN_APP)
    assert inbox.recipient == str(accounts.station_a_staff.pk)
    assert "Partly adopted" in inbox.subject or "部分采纳" in inbox.subject
    # Told once: a second call tells nobody again.
    assert services.tell_contributors(draft, actor=accounts.county_committee) == 0
    assert Notification.objects.count() == 3
    assert "draft.contributors_told" in verbs(draft)
