"""Browser test of issue 14, section 4 (seed 004): station staff forward a case to the
procuratorate as a clue with the citizen's consent and record its feedback, with axe on every
page touched; the case timeline shows both steps."""

import pytest

from liaison.cases.models import CaseEvent
from liaison.clues.models import ClueTransfer, Outcome
from tests.cases.conftest import Flow

from .test_accessibility import check
from .test_staff_first_week import person  # noqa: F401 (the fixture)

pytestmark = pytest.mark.e2e


def test_staff_forward_a_clue_and_record_the_feedback(person, district, accounts):  # noqa: F811
    case = Flow(district, accounts).submit()
    page = person(accounts.station_a_staff)
    page.goto(f"/staff/cases/{case.tracking_number}/")
    page.click("#forward-clue")
    page.wait_for_url(f"**/staff/clues/new/case/{case.tracking_number}/")
    check(page, "clue-new")
    page.fill("#id_summary", "电竞酒店接纳未成年人，消防通道堵塞。")
    page.select_option("#id_consent_how", "phone")
    # The confirmation is missing: refused, nothing saved.
    page.click("#clue-form button[type=submit]")
    assert not ClueTransfer.objects.exists()
    check(page, "clue-new-errors")
    page.check("#id_confirm")
    page.click("#clue-form button[type=submit]")
    page.wait_for_url("**/staff/clues/*/")
    check(page, "clue-detail")
    page.select_option("#id_outcome", "accepted")
    page.fill("#id_feedback", "已立案调查。")
    page.click("#clue-feedback-form button[type=submit]")
    page.wait_for_selector("#clue-outcome")
    assert ClueTransfer.objects.get().outcome == Outcome.ACCEPTED
    verbs = set(CaseEvent.objects.filter(case=case).values_list("verb", flat=True))
    assert {"case.clue_transferred", "case.clue_feedback"} <= verbs
