"""Browser tests of the staff items of issue 16 ("the first week in a district"), on a phone,
in Chinese, with the axe check of every page they touch."""

import pytest

from liaison.cases.models import Case, RoutingRule

from ..cases.conftest import Flow
from .test_accessibility import check

pytestmark = pytest.mark.e2e

PASSWORD = "pass-for-tests"  # tests/factories.py
PHONE_CALL = {"channel": "phone"}


@pytest.fixture
def person(browser, live_site):
    """A fresh phone-sized browser (own cookies) per actor, logged in as `user`."""
    contexts = []

    def login(user, **options):
        context = browser.new_context(
            viewport={"width": 375, "height": 667},
            locale="zh-CN",
            base_url=live_site.url,
            **options,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click(".login-form button[type=submit]")
        page.wait_for_url("**/accounts/")
        return page

    yield login
    for context in contexts:
        context.close()


@pytest.fixture
def flow(district, accounts):
    return Flow(district, accounts)


def case_page(page, case: Case, query: str = ""):
    page.goto(f"/staff/cases/{case.tracking_number}/{query}")
    return page


# -- 1. a suggestion is a suggestion -------------------------------------------------------------


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_suggested_department_is_taken_with_one_click_never_preselected(
    person, flow, district, accounts, javascript
):
    d = district
    RoutingRule.objects.create(category=d.category, region=d.street_a, department=d.department_a)
    case = flow.to("to_assign", **PHONE_CALL)
    page = case_page(person(accounts.county_committee, java_script_enabled=javascript), case)
    panel = page.locator("#action-assign")
    panel.locator("summary").click()
    lead = panel.locator("select[name=lead_department]")
    assert lead.input_value() == ""  # nothing chosen for the worker
    if javascript:
        check(page, "staff-assign-suggested")

    # Sending the form without a look assigns nothing and says which field is missing.
    panel.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#action-assign .has-error").count() == 1
    assert Case.objects.get(pk=case.pk).status == "to_assign"

    # One click on the suggestion fills the field; sending it assigns.
    button = page.locator("#use-suggestion")
    # "采用建议：…" once the catalogue has the new text (translations are done centrally).
    assert d.department_a.name in button.inner_text()
    button.click()
    page.wait_for_load_state()
    panel = page.locator("#action-assign")
    assert panel.get_attribute("open") is not None
    assert panel.locator("select[name=lead_department]").input_value() == str(d.department_a.pk)
    panel.locator("button[type=submit]").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.status == "assigned"
    assert case.assignments.get().department == d.department_a


# -- 2. a co-handler that never signed is seen, and holds the lead's report ----------------------


def test_an_unsigned_co_handler_holds_the_report_until_released(person, flow, district, accounts):
    from liaison.accounts.models import Role
    from liaison.cases import services
    from tests.factories import UserFactory

    d = district
    lead = UserFactory(
        username="handler_county", role=Role.DEPARTMENT_HANDLER, department=d.department_county
    )
    case = services.assign_case(
        flow.to("to_assign"),
        actor=accounts.county_committee,
        lead_department=d.department_county,
        co_departments=[d.department_a],
    )
    case = services.sign_assignment(case, actor=lead)

    # The lead's report is refused with a sentence naming the co-handler.
    handler = case_page(person(lead), case)
    assert d.department_a.name in handler.locator("#action-report").text_content()
    handler.locator("#action-report summary").click()
    handler.locator("#action-report textarea").fill("已处理")
    handler.locator("#action-report button[type=submit]").click()
    handler.wait_for_load_state()
    assert d.department_a.name in handler.locator(".error-notice").inner_text()
    assert Case.objects.get(pk=case.pk).status == "in_progress"

    # The committee sees who has not signed, and releases them.
    committee = case_page(person(accounts.county_committee), case)
    assert d.department_a.name in committee.locator("#co-awaited").inner_text()
    assert committee.locator(".assignments .state-pending").count() == 1
    check(committee, "staff-case-co-awaited")
    committee.locator("#action-release_co_handlers summary").click()
    committee.locator("#action-release_co_handlers button[type=submit]").click()
    committee.wait_for_load_state()
    assert committee.locator("#co-awaited").count() == 0
    assert committee.locator(".assignments .state-released").count() == 1

    # Now the lead's report goes through.
    case_page(handler, case)
    handler.locator("#action-report summary").click()
    handler.locator("#action-report textarea").fill("已处理")
    handler.locator("#action-report button[type=submit]").click()
    handler.wait_for_load_state()
    assert Case.objects.get(pk=case.pk).status == "feedback"
