"""The review screen in the browser (issue 18): the departments that handled similar messages and
the open cases like this one, merged from the list through the confirmation screen; axe on it."""

import pytest

from liaison.cases.workflow import Status

from ..triage.conftest import trained  # noqa: F401 (fixture)
from ..triage.test_screens import ELEVATOR, ELEVATOR_AGAIN
from .test_accessibility import check
from .test_staff_first_week import case_page, flow, person  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e


def test_review_screen_shows_suggestions_and_merges_a_similar_case(
    person,  # noqa: F811
    flow,  # noqa: F811
    accounts,
    district,
    trained,  # noqa: F811
):
    probe = flow.submit(channel="phone", **ELEVATOR)
    twin = flow.submit(channel="phone", **ELEVATOR_AGAIN)
    page = case_page(person(accounts.station_a_staff), probe)
    hints = page.locator("#department-hints")
    assert district.department_county.name in hints.inner_text()
    similar = page.locator("#similar-cases")
    assert twin.tracking_number in similar.inner_text()
    check(page, "staff-case-triage")

    similar.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    # The merge action's own confirmation screen, then the merge.
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    probe.refresh_from_db()
    assert probe.status == Status.MERGED and probe.merged_into_id == twin.pk
