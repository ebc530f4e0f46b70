"""Browser test of one case through every hand-off, each actor in their own browser: who is told
of each step, on which channel (the hand-off table of docs/notifications.md is the oracle).

Citizen: the deputy's QR page → message → SMS code (demo mode shows it) → case_received. Station
staff accept, the deputy replies and proposes assignment, the committee assigns, the department
signs and reports, the deputy answers, the citizen rates from the link in the SMS. At each step
the next actor logs in, sees the unread badge and the notice in /staff/inbox/, opens it and lands
on the case; and the outbox rows written by the step are exactly the expected ones."""

from urllib.parse import urlsplit

import pytest

from liaison.cases.models import Case
from liaison.notifications.models import Notification

pytestmark = pytest.mark.e2e

PHONE = "13912345678"
PASSWORD = "pass-for-tests"  # tests/factories.py


class Outbox:
    """The notices written since the last look, as (channel, recipient, SMS kind)."""

    def __init__(self):
        self.seen = 0

    def new(self) -> set[tuple[str, str, str]]:
        rows = list(Notification.objects.filter(pk__gt=self.seen).order_by("pk"))
        if rows:
            self.seen = rows[-1].pk
        return {(n.channel, n.recipient, n.template) for n in rows}


def told(*users) -> set[tuple[str, str, str]]:
    """The inbox notice and the e-mail each staff account gets (they all have an address here)."""
    return {("in_app", str(u.pk), "") for u in users} | {("email", u.email, "") for u in users}


def sms(kind: str) -> tuple[str, str, str]:
    return ("sms", PHONE, kind)


@pytest.fixture
def person(browser, live_site):
    """A fresh browser (own cookies) per actor, logged in as `user`."""
    contexts = []

    def login(user):
        context = browser.new_context(
            viewport={"width": 375, "height": 667}, locale="zh-CN", base_url=live_site.url
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


def open_notice(page, case: Case, unread: int = 1) -> None:
    """The badge counts the unread notice; the inbox lists it; opening it leads to the case."""
    assert page.locator("#unread-badge").inner_text().split()[0] == str(unread)
    page.click("#nav-inbox a")
    page.wait_for_url("**/staff/inbox/")
    notice = page.locator("ul.notice-list li.unread").first
    assert case.tracking_number in notice.inner_text()
    notice.locator("button.notice-subject").click()
    page.wait_for_url(f"**/staff/cases/{case.tracking_number}/")
    assert page.locator("#unread-badge").count() == 0  # read now
    assert page.locator(".tracking").inner_text() == case.tracking_number


def act(page, action: str, fill=None) -> None:
    """Open the action's panel on the case page, fill it in, submit it, see the page again."""
    panel = page.locator(f"#action-{action}")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    if fill:
        fill(panel)
    panel.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-notice, .errors").count() == 0, page.content()


def test_every_hand_off_tells_the_next_actor(
    browser, live_site, person, district, accounts, settings
):
    settings.DEMO_MODE = True
    d, a = district, accounts
    for user in (a.station_a_staff, a.station_b_staff, a.deputy_a, a.street_a_committee):
        user.email = f"{user.username}@example.cn"
        user.save(update_fields=["email"])
    a.county_committee.email, a.handler_a.email = "county@example.cn", "handler_a@example.cn"
    a.county_committee.save(update_fields=["email"])
    a.handler_a.save(update_fields=["email"])
    outbox = Outbox()

    # The citizen, on the deputy's QR page: message, then the code the SMS carries.
    citizen = browser.new_context(locale="zh-CN", base_url=live_site.url).new_page()
    citizen.goto(d.dep_a.get_absolute_url())
    citizen.click("a.button.big")
    citizen.select_option("#id_category", str(d.category.pk))
    citizen.fill("#id_title", "路灯不亮")
    citizen.fill("#id_description", "保俶路12号门口的路灯坏了一个月。")
    citizen.fill("#id_citizen_phone", PHONE)
    citizen.check("#id_privacy_accepted")
    citizen.click("button[type=submit].big")
    citizen.wait_for_url("**/message/confirm/")
    assert outbox.new() == {sms("case_code")}  # nothing for staff before the phone is confirmed
    citizen.fill("#id_code", citizen.locator(".demo-code .code").inner_text().strip())
    citizen.click("button[type=submit].big")
    citizen.wait_for_url("**/message/sent/")
    case = Case.objects.get()
    # Submitted: the station's staff (not the other station's, not the deputy yet) and the citizen.
    assert outbox.new() == told(a.station_a_staff) | {sms("case_received")}
    received = Notification.objects.get(template="case_received")
    assert received.params["number"] == case.tracking_number

    # 受理 — station staff accept; the deputy is told.
    staff = person(a.station_a_staff)
    open_notice(staff, case)
    act(staff, "accept")
    assert outbox.new() == told(a.deputy_a)

    # The deputy replies and proposes assignment: the committee above, and the citizen by SMS.
    deputy = person(a.deputy_a)
    open_notice(deputy, case)

    def propose(panel):
        panel.locator("textarea").fill("已收到，建议交街道城管科处理。")
        panel.locator("input[name=settle][value='0']").check()

    act(deputy, "reply", propose)
    assert outbox.new() == told(a.street_a_committee) | {sms("case_replied")}

    # 交办 — the street committee assigns; the lead department's handlers are told.
    committee = person(a.street_a_committee)
    open_notice(committee, case)
    act(
        committee,
        "assign",
        lambda panel: panel.locator("select[name=lead_department]").select_option(
            str(d.department_a.pk)
        ),
    )
    assert outbox.new() == told(a.handler_a)

    # The department signs (in progress: nobody waits on anyone, nobody is told), then reports.
    department = person(a.handler_a)
    open_notice(department, case)
    act(department, "sign")
    assert outbox.new() == set()
    act(department, "report", lambda panel: panel.locator("textarea").fill("已更换路灯。"))
    # 已反馈: the deputy is to answer.
    assert outbox.new() == told(a.deputy_a)

    # 答复 — the deputy answers (a second notice in the same inbox); the citizen gets the link.
    deputy.goto("/accounts/")
    open_notice(deputy, case)
    act(deputy, "answer", lambda panel: panel.locator("textarea").fill("路灯已修好，请查看。"))
    assert outbox.new() == {sms("case_answered")}

    # The citizen rates from the link in that SMS: closed, satisfied, nobody else is told.
    answered = Notification.objects.get(template="case_answered")
    citizen.goto(urlsplit(answered.params["url"]).path)
    assert "路灯已修好，请查看。" in citizen.locator(".answer").inner_text()
    citizen.click("button[name=rating][value=satisfied]")
    citizen.wait_for_load_state()
    case.refresh_from_db()
    assert (case.status, case.rating) == ("closed", "satisfied")
    assert outbox.new() == set()

    # Nobody outside the path heard anything; every staff notice has been read.
    for user in (a.station_b_staff, a.county_committee, a.administrator):
        assert not Notification.objects.filter(recipient__in=[str(user.pk), user.email]).exists()
    assert not Notification.objects.filter(channel="in_app", read_at__isnull=True).exists()
    citizen.context.close()
