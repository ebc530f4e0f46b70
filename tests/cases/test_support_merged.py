"""附议 of merged cases (issue 18): when a case is merged into another, its supporters count
toward the main case — on the public page, in the queue's sort — each phone once, and they are
told of the main case's answer.

Today only a submitted case can be merged, and a submitted case takes no support yet; a merged
case with supporters comes from merging cases already under way ("handle together"), so the
duplicates' support rows are written here as that would leave them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from liaison.api.keys import create_key
from liaison.cases import services
from liaison.cases.models import Case, Support
from liaison.cases.services.support import phone_hash
from liaison.core.privacy import apply_retention
from liaison.notifications.models import Notification

from .test_support import page_url

A, B, C, D = "13800000001", "13800000002", "13800000003", "13800000004"
DUPLICATE_CITIZEN = "13600006666"


@pytest.fixture
def main(flow):
    case = flow.to("in_progress", public_consent=True, title="路灯不亮，晚上看不见")
    services.support_case(case, phone=A)
    services.support_case(case, phone=B)
    return case


def supported_duplicate(flow, *phones, **submit) -> Case:
    duplicate = flow.submit(citizen_phone=DUPLICATE_CITIZEN, **submit)
    for phone in phones:
        Support.objects.create(case=duplicate, phone_hash=phone_hash(duplicate, phone), phone=phone)
    return duplicate


def test_merged_supporters_count_on_the_main_case_each_phone_once(client, flow, accounts, main):
    # B supported both; the main case's own citizen "supported" the duplicate too.
    duplicate = supported_duplicate(flow, B, C, main.citizen_phone)
    services.merge_case(duplicate, main, actor=accounts.station_a_staff)
    main.refresh_from_db()
    assert main.supporters == 3  # A, B, C: B once, the citizen counts in raised_by
    assert main.raised_by == 2
    event = main.events.get(verb="case.merge_received")
    assert event.data["supporters"] == 3
    client.cookies["django_language"] = "en"
    assert "3 citizens support this matter" in client.get(page_url(main)).content.decode()


def test_a_chain_of_merges_counts_every_supporter(flow, accounts, main):
    first = supported_duplicate(flow, C)
    second = supported_duplicate(flow, D, C, citizen_name="王先生")
    services.merge_case(second, first, actor=accounts.station_a_staff)
    services.merge_case(first, main, actor=accounts.station_a_staff)
    main.refresh_from_db()
    assert main.supporters == 4  # A, B, C, D


def test_a_phone_counted_through_a_merged_case_cannot_support_again(flow, accounts, main):
    duplicate = supported_duplicate(flow, C)
    services.merge_case(duplicate, main, actor=accounts.station_a_staff)
    rows = Support.objects.count()
    for phone in (C, DUPLICATE_CITIZEN):
        with pytest.raises(ValidationError) as refused:
            services.support_case(main, phone=phone)
        assert "phone" in refused.value.message_dict
    main.refresh_from_db()
    assert main.supporters == 3 and Support.objects.count() == rows
    services.support_case(main, phone=D)  # a new phone still counts
    main.refresh_from_db()
    assert main.supporters == 4


def test_the_queue_sorts_by_the_merged_count(client, flow, accounts, main):
    other = flow.to("in_progress", public_consent=True, title="另一件事")
    for phone in (C, D, "13800000005"):
        services.support_case(other, phone=phone)
    api = APIClient()
    _key, raw = create_key(name="test", user=accounts.station_a_staff, scopes=["staff"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def order():
        rows = api.get("/api/v1/staff/cases/?ordering=-supporters").json()["results"]
        numbers = [row["tracking_number"] for row in rows]
        return numbers.index(main.tracking_number) < numbers.index(other.tracking_number)

    assert not order()  # 2 against 3
    duplicate = supported_duplicate(flow, "13800000007", "13800000008")
    services.merge_case(duplicate, main, actor=accounts.station_a_staff)
    assert order()  # 4 against 3
    client.force_login(accounts.station_a_staff)
    html = client.get(reverse("staff:case-queue") + "?tab=all&sort=supporters").content.decode()
    assert html.index(main.tracking_number) < html.index(other.tracking_number)


def test_supporters_of_a_merged_case_are_told_of_the_main_answer_once(flow, accounts, main):
    duplicate = supported_duplicate(flow, B, C)
    services.merge_case(duplicate, main, actor=accounts.station_a_staff)
    case = services.report_result(main, actor=accounts.handler_a, text="已更换路灯。")
    services.answer_case(case, actor=accounts.deputy_a, text="路灯已修好。")
    told = Notification.objects.filter(template="case_answered_supported")
    assert sorted(told.values_list("recipient", flat=True)) == [A, B, C]
    # The duplicate's citizen has their own text, not a supporter's.
    assert not told.filter(recipient=DUPLICATE_CITIZEN).exists()
    assert Notification.objects.filter(
        recipient=DUPLICATE_CITIZEN, template="case_answered_merged"
    ).exists()


def test_a_settling_reply_reaches_the_merged_supporters_too(flow, accounts):
    main = flow.to("accepted", public_consent=True)
    services.support_case(main, phone=A)
    duplicate = supported_duplicate(flow, C)
    services.merge_case(duplicate, main, actor=accounts.station_a_staff)
    services.reply_case(main, actor=accounts.deputy_a, text="已协调修好。", settle=True)
    told = Notification.objects.filter(template="case_answered_supported")
    assert sorted(told.values_list("recipient", flat=True)) == [A, C]


def test_retention_keeps_merged_supporters_phones_while_the_main_case_is_open(
    settings, flow, accounts, main
):
    duplicate = supported_duplicate(flow, C)
    services.merge_case(duplicate, main, actor=accounts.station_a_staff)
    Case.objects.filter(pk=duplicate.pk).update(closed_at=timezone.now() - timedelta(days=400))
    settings.LIAISON_RETENTION_DAYS = 365
    apply_retention()
    assert Support.objects.get(case=duplicate).phone == C  # still to be told of the answer
    Case.objects.filter(pk=main.pk).update(
        status="closed", closed_at=timezone.now() - timedelta(days=400)
    )
    apply_retention()
    assert Support.objects.get(case=duplicate).phone == ""
