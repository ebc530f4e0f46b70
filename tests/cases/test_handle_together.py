"""合并办理 (issue 18): a hot topic handled together — the lead case assigned to one department,
every other open case of the topic following it as in a merge, each citizen told; cases already
finished, outside the actor's scope or changed meanwhile are skipped and named (or counted);
a bad department or lead changes nothing."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liaison.cases import services
from liaison.cases.models import Assignment, Case, CaseEvent
from liaison.cases.workflow import Status
from liaison.notifications.models import Notification
from liaison.triage.models import Hotspot

from .conftest import Flow

pytestmark = pytest.mark.django_db

LIFT = {"title": "电梯停运", "description": "单元楼的电梯停运快两周了，物业说在等配件。"}


@pytest.fixture
def topic(district, accounts):
    flow = Flow(district, accounts)
    lead = flow.to(Status.TO_ASSIGN, channel="phone", citizen_phone="13900000001", **LIFT)
    here = flow.submit(channel="phone", citizen_phone="13900000002", **LIFT)
    there = flow.submit(
        channel="phone",
        citizen_phone="13900000003",
        station=district.station_b,
        deputy=district.dep_b,
        **LIFT,
    )
    merged = flow.to(Status.MERGED, channel="phone", citizen_phone="13900000004", **LIFT)
    rejected = flow.to(Status.REJECTED, channel="phone", citizen_phone="13900000005", **LIFT)
    cases = [lead, here, there, merged, rejected]
    hotspot = Hotspot.objects.create(
        level=Hotspot.Level.COUNTY,
        region_path=district.county.path,
        label="电梯、停运",
        size=5,
        size_week_ago=1,
        growth=4,
        station_count=2,
        members=[c.pk for c in cases],
        computed_at=timezone.now(),
    )
    return hotspot, lead, here, there, merged, rejected


def seen(*cases):
    return [f"{c.pk}:{c.status}" for c in cases]


def post(client, user, hotspot, **data):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client.post(f"/staff/hotspots/{hotspot.pk}/", data)


def test_the_lead_is_assigned_the_others_follow_and_every_citizen_is_told(
    client, topic, accounts, district
):
    hotspot, lead, here, there, merged, rejected = topic
    response = post(
        client,
        accounts.county_committee,
        hotspot,
        lead=lead.tracking_number,
        department=district.department_county.code,
        seen=seen(lead, here, there, merged, rejected),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "2 cases now follow" in text and district.department_county.name in text
    lead.refresh_from_db()
    assert lead.status == Status.ASSIGNED
    assert Assignment.objects.get(case=lead, role="lead").department == district.department_county
    for case in (here, there):
        case.refresh_from_db()
        assert case.status == Status.MERGED and case.merged_into_id == lead.pk
        assert CaseEvent.objects.filter(case=case, verb="case.merged").exists()
        assert Notification.objects.filter(
            recipient=case.citizen_phone, template="case_merged"
        ).exists()
    # Finished ones are named with the reason, and left alone.
    assert f"{merged.tracking_number}</a>: already merged into" in text
    assert f"{rejected.tracking_number}</a>: already finished" in text
    assert Case.objects.get(pk=rejected.pk).status == Status.REJECTED
    together = CaseEvent.objects.get(case=lead, verb="case.handled_together")
    assert sorted(together.data["merged"]) == sorted([here.tracking_number, there.tracking_number])
    assert lead.raised_by == 3


def test_cases_outside_the_actors_scope_are_counted_not_named_and_left_alone(
    client, topic, accounts, district
):
    hotspot, lead, here, there, merged, rejected = topic
    response = post(
        client,
        accounts.street_a_committee,
        hotspot,
        lead=lead.tracking_number,
        department=district.department_a.code,
        seen=seen(lead, here, merged, rejected),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "1 case of this topic is outside your scope" in text
    assert there.tracking_number not in text
    assert Case.objects.get(pk=there.pk).status == Status.SUBMITTED
    assert Case.objects.get(pk=here.pk).status == Status.MERGED


def test_a_case_changed_since_the_page_was_shown_is_reported_not_merged(
    client, topic, accounts, district
):
    hotspot, lead, here, there, _merged, _rejected = topic
    shown = seen(lead, here, there)
    services.accept_case(here, actor=accounts.station_a_staff)  # meanwhile, at the station
    response = post(
        client,
        accounts.county_committee,
        hotspot,
        lead=lead.tracking_number,
        department=district.department_county.code,
        seen=shown,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'class="concurrent"' in text and here.tracking_number in text
    assert Case.objects.get(pk=here.pk).status == Status.ACCEPTED
    assert Case.objects.get(pk=there.pk).status == Status.MERGED


@pytest.mark.parametrize(
    "department, message",
    [
        ("nonexistent", "Choose an active department."),
        ("department_b", "does not cover the case's area"),
    ],
)
def test_a_bad_department_is_refused_and_nothing_changes(
    client, topic, accounts, district, unchanged, department, message
):
    hotspot, lead, here, *_rest = topic
    code = getattr(district, department).code if hasattr(district, department) else department
    with unchanged(here):
        response = post(
            client,
            accounts.county_committee,
            hotspot,
            lead=lead.tracking_number,
            department=code,
            seen=seen(lead, here),
        )
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert Case.objects.get(pk=lead.pk).status == Status.TO_ASSIGN


def test_a_lead_that_cannot_be_assigned_yet_refuses_it_all(
    client, topic, accounts, district, unchanged
):
    hotspot, _lead, here, there, *_rest = topic
    with unchanged(there):
        response = post(
            client,
            accounts.county_committee,
            hotspot,
            lead=here.tracking_number,  # still awaiting review: not offered, posted anyway
            department=district.department_county.code,
            seen=seen(here, there),
        )
    assert response.status_code == 409
    assert Case.objects.get(pk=here.pk).status == Status.SUBMITTED


def test_a_lead_from_outside_the_topic_or_the_scope_is_refused(
    client, topic, accounts, district, unchanged
):
    hotspot, _lead, _here, _there, *_rest = topic
    stranger = Flow(district, accounts).to(Status.TO_ASSIGN, channel="phone", **LIFT)
    with unchanged(stranger), pytest.raises(ValidationError):
        services.handle_together(
            hotspot,
            lead=stranger,
            department=district.department_county,
            actor=accounts.county_committee,
        )
    with unchanged():
        response = post(
            client,
            accounts.county_committee,
            hotspot,
            lead=stranger.tracking_number,
            department=district.department_county.code,
        )
    assert response.status_code == 400
    assert "Choose the lead case among this hot topic's cases." in html.unescape(
        response.content.decode()
    )
    # A station may not handle topics at all.
    client.force_login(accounts.station_a_staff)
    assert client.post(f"/staff/hotspots/{hotspot.pk}/", {}).status_code == 403


def test_messages_reviewed_already_follow_too(client, topic, accounts, district):
    """A duplicate accepted at its station, or waiting for assignment, follows the lead as well:
    no department has it yet (workflow: accepted / to_assign → merged)."""
    hotspot, lead, here, there, *_rest = topic
    services.accept_case(here, actor=accounts.station_a_staff)
    flow = Flow(district, accounts)
    waiting = flow.to(Status.TO_ASSIGN, channel="phone", citizen_phone="13900000006", **LIFT)
    hotspot.members = [*hotspot.members, waiting.pk]
    hotspot.save(update_fields=["members"])
    here.refresh_from_db()
    response = post(
        client,
        accounts.county_committee,
        hotspot,
        lead=lead.tracking_number,
        department=district.department_county.code,
        seen=seen(lead, here, there, waiting),
    )
    assert response.status_code == 200
    for case in (here, there, waiting):
        case.refresh_from_db()
        assert case.status == Status.MERGED and case.merged_into_id == lead.pk
        assert case.due_at is None
    told = Notification.objects.filter(template="case_merged").values_list("recipient", flat=True)
    assert {"13900000002", "13900000006"} <= set(told)
