"""Hot topics in the browser (issue 18): a county committee worker finds a growing topic on the
statistics dashboard, opens its cases, picks the lead case and the department and handles the
topic together; every citizen whose message followed gets the merge's SMS (the outbox)."""

import pytest

from liaison.cases.models import Case
from liaison.cases.workflow import Status
from liaison.notifications.models import Notification
from liaison.triage import hotspots

from ..cases.conftest import Flow
from ..triage.test_hotspots import LIFT
from .test_accessibility import check
from .test_staff_first_week import person  # noqa: F401 (fixture)

pytestmark = pytest.mark.e2e


def test_a_committee_worker_handles_a_hot_topic_together_and_every_citizen_is_told(
    person,  # noqa: F811
    accounts,
    district,
):
    flow = Flow(district, accounts)
    lead = flow.to(
        Status.TO_ASSIGN,
        channel="phone",
        title="电梯停运",
        description=LIFT[0],
        citizen_phone="13700000000",
    )
    followers = []
    for i, text in enumerate(LIFT[1:], start=1):
        at_b = i % 2 == 0
        followers.append(
            flow.submit(
                channel="phone",
                title=text[:8],
                description=text,
                citizen_phone=f"1370000000{i}",
                station=district.station_b if at_b else district.station_a,
                deputy=district.dep_b if at_b else district.dep_a,
            )
        )
    hotspots.compute()

    page = person(accounts.county_committee)
    page.goto("/staff/stats/")
    topic = page.locator("#hotspot-list a").first
    assert "电梯、停运" in topic.inner_text()
    topic.click()
    page.wait_for_load_state()
    listed = page.locator("#hotspot-cases").inner_text()
    assert all(c.tracking_number in listed for c in [lead, *followers])
    check(page, "staff-hotspot")

    page.select_option("#id_lead", lead.tracking_number)
    page.select_option("#id_department", district.department_county.code)
    page.fill("#id_to_citizen", "同一问题已合并办理，由区住建局统一答复。")
    page.locator("#handle-together button[type=submit]").click()
    page.wait_for_load_state()
    outcome = page.locator("#together-outcome").inner_text()
    assert all(c.tracking_number in outcome for c in followers)
    check(page, "staff-hotspot-handled")

    lead.refresh_from_db()
    assert lead.status == Status.ASSIGNED
    for case in followers:
        case.refresh_from_db()
        assert case.status == Status.MERGED and case.merged_into_id == lead.pk
        told = Notification.objects.filter(recipient=case.citizen_phone, template="case_merged")
        assert told.count() == 1
    assert Case.objects.get(pk=lead.pk).raised_by == len(followers) + 1
