"""Automated accessibility checks (WCAG 2.2 AA) with axe-core on the demo district.

axe-core runs inside Debian's chromium (axe-playwright-python ships axe.min.js, so nothing is
fetched). Every public page is checked on a 390×844 phone in Chinese, in the default display and
with large type + high contrast; the staff pages are checked logged in as the demo accounts. A
violation of impact serious or critical fails the test; the message also lists the moderate and
minor ones. What axe cannot judge (reading order, meaningful text) is still a person's job; see
docs/accessibility.md.

The demo is loaded once for the module (it takes seconds) and served by a module-scoped live
server of the module's own; the module empties the database when it ends, as the transactional
tests do after each test.
"""

import importlib
import io
import json
import os
import time
from types import SimpleNamespace
from unittest import mock

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.test import override_settings
from django.test.utils import setup_databases, teardown_databases
from django.utils import timezone

from liaison.activities.models import Activity, ActivityStatus, SignUp
from liaison.appointments.models import Appointment, AppointmentStatus
from liaison.cases.models import Case
from liaison.directory.models import Deputy, Region, Station
from liaison.suggestions.models import Suggestion

from .conftest import SCREENSHOT_DIR

pytestmark = pytest.mark.e2e

DEMO_DAY = "2026-11-21 10:00 +0800"  # a Saturday in the demo's term year
CHECK_IN_TIME = "2026-11-22 13:30 +0800"  # half an hour before the demo's next activity
PASSWORD = "liaison-demo"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}
# The data migrations' rows, which a flush (ours, or a transactional test's) removes.
SEEDS = [
    "liaison.activities.migrations.0002_seed_kinds",
    "liaison.cases.migrations.0002_seed_referral_channels",
    "liaison.workdays.migrations.0002_seed_from_package",
]


def _reseed():
    from django.apps import apps

    for module in SEEDS:
        importlib.import_module(module).seed(apps, None)


def _test_database():
    """These tests ask for no database fixture (a test's transaction or flush would hide or
    drop the demo), so pytest-django creates the test database only when other tests in the
    run need it. When this module runs alone, it creates one itself (test databases are the
    in-memory SQLite one or named test_…, as Django names them)."""
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            return None
    elif connection.settings_dict["NAME"].startswith("test_"):
        return None
    return setup_databases(verbosity=0, interactive=False, aliases={"default"})


def _drop(own_database):
    # The live server's last request threads may still hold a connection for a moment. (A query
    # made by a test while Playwright runs opens a connection in another asyncio context, which
    # close_all() here does not see: such a test closes its connections itself.)
    for attempt in range(10):
        connections.close_all()
        try:
            return teardown_databases(own_database, verbosity=0)
        except OperationalError:
            if attempt == 9:
                raise
            time.sleep(0.5)


def _demo_urls() -> dict[str, str]:
    """The demo objects each page shows, picked by what the demo is sure to hold."""
    station = Station.objects.get(code="JB-ST-XY")  # 新元街道, the demo station account's own
    deputy = Deputy.objects.get(code="JB-Q01")  # 林志强, the demo deputy account
    county = Region.objects.filter(level=3).order_by("code").first()
    upcoming = (
        Activity.objects.filter(status=ActivityStatus.ANNOUNCED, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )
    held = Activity.objects.filter(status=ActivityStatus.HELD, station=station).order_by("-pk")
    case = Case.objects.filter(station=station, status="answered").order_by("pk").first()
    tracked = Case.objects.filter(status="answered").order_by("pk").first()
    booking = Appointment.objects.filter(status=AppointmentStatus.BOOKED).order_by("pk").first()
    public_suggestion = (
        Suggestion.objects.filter(answered_at__isnull=False).order_by("-answered_at").first()
    )
    suggestion = Suggestion.objects.filter(number__isnull=False).order_by("-pk").first()
    return {
        "station_code": station.public_code,
        "deputy_code": deputy.public_code,
        "deputy_pk": deputy.pk,
        "county_code": county.code,
        "upcoming_code": upcoming.public_code,
        "checkin_token": upcoming.checkin_code,
        "held_pk": held.first().pk,
        "case_number": case.tracking_number,
        "tracked_number": tracked.tracking_number,
        "tracked_last4": tracked.citizen_phone[-4:],
        "booking_code": booking.code,
        "booking_last4": booking.phone[-4:],
        "public_suggestion": public_suggestion.number,
        "suggestion_pk": suggestion.pk,
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo district on a live server of the module's own, on the demo's day."""
    from pytest_django.live_server_helper import LiveServer

    media = tmp_path_factory.mktemp("a11y-media")
    overrides = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=media,
        DEMO_MODE=True,
        CSRF_COOKIE_SECURE=False,
        SESSION_COOKIE_SECURE=False,
    )
    # Playwright's event loop may already run in this thread (see conftest.browser).
    unsafe = mock.patch.dict(os.environ, {"DJANGO_ALLOW_ASYNC_UNSAFE": "true"})
    with django_db_blocker.unblock(), overrides, unsafe:
        own_database = _test_database()
        _reseed()
        with time_machine.travel(DEMO_DAY, tick=False):
            call_command("load_demo", stdout=io.StringIO())
            urls = _demo_urls()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            with time_machine.travel(DEMO_DAY, tick=True):
                yield SimpleNamespace(url=server.url, media=media, **urls)
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            ContentType.objects.clear_cache()  # the flush gave them new ids
            _reseed()
            if own_database:
                _drop(own_database)


@pytest.fixture(autouse=True)
def _module_settings(demo, settings):
    # tests/conftest.py gives every test a media folder of its own; the demo's photos are here.
    settings.MEDIA_ROOT = demo.media


def _context(browser, demo, *, display: str = ""):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=demo.url)
    if display:
        context.add_cookies([{"name": "liaison_display", "value": display, "url": demo.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture(scope="module")
def citizen(demo, browser):
    """A citizen's phone; the tracking page and the booking are unlocked once, by form."""
    context, page = _context(browser, demo)
    yield page
    context.close()


@pytest.fixture(scope="module")
def elderly(demo, browser):
    """The same with large type and high contrast on."""
    context, page = _context(browser, demo, display="contrast,large")
    yield page
    context.close()


@pytest.fixture(params=["default", "large-contrast"])
def staff(request, demo, browser):
    """A fresh browser that logs a demo account in; deputies read these pages at any age too."""
    display = "" if request.param == "default" else "contrast,large"
    context, page = _context(browser, demo, display=display)
    page.theme = request.param

    def login(username: str):
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click(".login-form button[type=submit]")
        page.wait_for_url("**/accounts/")
        return page

    yield login
    context.close()


FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
# For the message: what sticks out to the right of the screen when the page scrolls sideways.
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  // Inside a box that scrolls or clips sideways, an element may stick out: the box holds it.
  const clipped = e => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  return [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .filter(e => !clipped(e) || getComputedStyle(e).position === "absolute")
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
              (typeof e.className === "string" && e.className ? "." + e.className : ""));
}"""


def run_axe(page, tags=AXE_TAGS) -> dict:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response


def report(violations: list[dict]) -> str:
    lines = []
    order = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
    for v in sorted(violations, key=lambda v: order.get(v["impact"], 9)):
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def check(page, name: str):
    """Run axe on the page as it is now; fail on serious or critical violations."""
    assert page.evaluate("document.documentElement.lang") == "zh-Hans", name
    violations = run_axe(page)["violations"]
    if os.environ.get("LIAISON_AXE_DUMP"):
        # For an audit by hand: also axe's best practices and what it could not decide.
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        extra = run_axe(page, [*AXE_TAGS, "best-practice"])
        dump = {"violations": extra["violations"], "incomplete": extra["incomplete"]}
        (SCREENSHOT_DIR / f"axe-{name}.json").write_text(json.dumps(dump, indent=1))
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not failing, f"{name} ({page.url}):\n{report(violations)}"
    # WCAG 1.4.10 (reflow): nothing but a table's own scroll box may be wider than the phone.
    assert page.evaluate(FITS), f"{name} is wider than the screen: {page.evaluate(TOO_WIDE)}"


def visit(page, path: str):
    response = page.goto(path)
    assert response.status < 400, f"{path}: {response.status}"
    return page


# -- the public pages ---------------------------------------------------------------------------

PUBLIC = {
    "home": "/",
    "find-deputy": "/deputies/?place=镜湖社区",
    "station": "/s/{station_code}/",
    "deputy": "/d/{deputy_code}/",
    "message-form": "/d/{deputy_code}/message/",
    "tracking-lookup": "/track/",
    "tracking-unlock": "/t/{tracked_number}",
    "activities": "/activities/",
    "activity": "/a/{upcoming_code}/",
    "station-calendar": "/s/{station_code}/calendar/",
    "region-calendar": "/regions/{county_code}/calendar/",
    "programme": "/s/{station_code}/programme/",
    "booking-form": "/s/{station_code}/book/",
    "booking-lookup": "/booking/",
    "suggestions": "/suggestions/",
    "suggestion": "/suggestions/{public_suggestion}/",
    "privacy": "/privacy/",
    "stats": "/stats/",
    "stats-errors": "/stats/?start=2026-05-01&end=2026-04-01",
    "stats-compare": "/stats/?compare=last_year",
    "not-found": "/d/nosuchcode/",
}


@pytest.mark.parametrize("theme", ["default", "large-contrast"])
@pytest.mark.parametrize("name", list(PUBLIC))
def test_public_page(name, theme, demo, citizen, elderly, screenshot):
    page = citizen if theme == "default" else elderly
    path = PUBLIC[name].format(**vars(demo))
    response = page.goto(path)
    assert response.status < 400 or name in {"not-found", "stats-errors"}, path
    screenshot(page, f"a11y-{name}-{theme}")
    check(page, f"{name}-{theme}")


@pytest.mark.parametrize("theme", ["default", "large-contrast"])
def test_tracking_page(theme, demo, citizen, elderly, screenshot):
    """The case as its citizen sees it, unlocked with the phone's last 4 digits."""
    page = citizen if theme == "default" else elderly
    visit(page, f"/t/{demo.tracked_number}")
    if page.locator("#id_last4").count():
        page.fill("#id_last4", demo.tracked_last4)
        page.locator("#id_last4").press("Enter")
        page.wait_for_load_state()
    assert page.locator(".status").count(), page.url
    screenshot(page, f"a11y-tracking-{theme}")
    check(page, f"tracking-{theme}")


@pytest.mark.parametrize("theme", ["default", "large-contrast"])
def test_my_booking_page(theme, demo, citizen, elderly, screenshot):
    """ "My booking", opened with the booking code and the phone's last 4 digits."""
    page = citizen if theme == "default" else elderly
    visit(page, "/booking/")
    page.fill("#id_code", demo.booking_code)
    page.fill("#id_last4", demo.booking_last4)
    page.click("button[type=submit].big")
    page.wait_for_url(f"**/booking/{demo.booking_code}/")
    screenshot(page, f"a11y-my-booking-{theme}")
    check(page, f"my-booking-{theme}")


@pytest.mark.parametrize("theme", ["default", "large-contrast"])
def test_check_in_page(theme, demo, citizen, elderly, screenshot):
    """The page the venue's QR code opens, half an hour before the activity starts."""
    page = citizen if theme == "default" else elderly
    with time_machine.travel(CHECK_IN_TIME, tick=True):
        visit(page, f"/a/{demo.upcoming_code}/check-in/{demo.checkin_token}/")
        assert page.locator("#id_phone").count()
        screenshot(page, f"a11y-check-in-{theme}")
        check(page, f"check-in-{theme}")


@pytest.mark.parametrize("theme", ["default", "large-contrast"])
def test_forms_with_errors(theme, demo, citizen, elderly):
    """Forms sent back with errors: each error is announced and tied to its field."""
    page = citizen if theme == "default" else elderly
    for path in (f"/s/{demo.station_code}/book/", f"/a/{demo.upcoming_code}/"):
        visit(page, path)
        page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
        page.locator("form:has(#id_phone) button[type=submit]").last.click()
        page.wait_for_load_state()
        assert page.locator("[aria-invalid=true]").count(), path
        check(page, f"errors-{path.strip('/').replace('/', '-')}-{theme}")


# -- the staff pages ----------------------------------------------------------------------------

STAFF = {
    "workspace": ("station", "/accounts/"),
    "case-queue": ("station", "/staff/cases/"),
    "case": ("station", "/staff/cases/{case_number}/"),
    "reception-days": ("station", "/staff/receptions/days/"),
    "rules": ("station", "/staff/receptions/days/rules/"),
    "attendance": ("station", "/staff/receptions/days/attendance/"),
    "appointments": ("station", "/staff/appointments/"),
    "activity-record": ("station", "/staff/activities/{held_pk}/record/"),
    "activity-plan": ("station", "/staff/activities/plan/"),
    "records-overview": ("committee", "/staff/records/"),
    "deputy-record": ("committee", "/staff/records/deputies/{deputy_pk}/"),
    "entry-form": ("deputy", "/staff/records/entries/new/"),
    "suggestions-list": ("committee", "/staff/suggestions/"),
    "suggestions-assignments": ("committee", "/staff/suggestions/assignments/"),
    "suggestions-outcomes": ("committee", "/staff/suggestions/outcomes/"),
    "suggestion-staff": ("committee", "/staff/suggestions/{suggestion_pk}/"),
    "stats-dashboard": ("committee", "/staff/stats/"),
    "stats-dashboard-compare": ("committee", "/staff/stats/?compare=previous"),
    "deputy-workspace": ("deputy", "/accounts/"),
    "department-workspace": ("department", "/accounts/"),
}


@pytest.mark.parametrize("name", list(STAFF))
def test_staff_page(name, demo, staff, screenshot):
    username, path = STAFF[name]
    page = visit(staff(username), path.format(**vars(demo)))
    screenshot(page, f"a11y-staff-{name}-{page.theme}")
    check(page, f"staff-{name}-{page.theme}")


# -- keyboard only ------------------------------------------------------------------------------

FOCUS_SHOWN = """() => {
  const style = getComputedStyle(document.activeElement);
  return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
}"""


def tab_through(page, actions: dict, submit: str, *, limit: int = 80) -> list[str]:
    """Press Tab from the top of the page; on each field named in `actions` do what it says
    (a string is typed, " " presses Space); press Enter on the `submit` button. Returns the
    names of the fields reached, in order. Every focused element must show its focus."""
    reached = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.name || document.activeElement.id || ''")
        assert page.evaluate(FOCUS_SHOWN), f"no visible focus on {name!r} ({page.url})"
        if page.evaluate(f"document.activeElement.matches({submit!r})"):
            reached.append("submit")
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return reached
        if name in actions and name not in reached:
            reached.append(name)
            if actions[name] == " ":
                page.keyboard.press("Space")
            else:
                page.keyboard.type(actions[name])
    raise AssertionError(f"the submit button was not reached with Tab; reached {reached}")


def test_keyboard_only_booking(demo, browser):
    """线上预约 with the keyboard alone: choose a time, fill in, accept, send, type the code."""
    context, page = _context(browser, demo)
    visit(page, f"/s/{demo.station_code}/book/")
    actions = {
        "slot": " ",
        "topic": "楼道灯坏了，想当面反映",
        "name": "陈阿姨",
        "phone": "13912340001",
        "privacy_accepted": " ",
    }
    reached = tab_through(page, actions, "button[type=submit].big")
    assert reached == [*actions, "submit"]
    page.wait_for_url("**/book/confirm/")
    code = page.locator(".demo-code .code").inner_text().strip()
    assert tab_through(page, {"code": code}, "button[type=submit].big") == ["code", "submit"]
    page.wait_for_url("**/book/done/")
    booking = Appointment.objects.get(phone="13912340001")
    connections.close_all()  # see _drop: this connection belongs to Playwright's async context
    assert page.locator(".booking-code").inner_text().strip() == booking.code
    context.close()


def test_keyboard_only_activity_sign_up(demo, browser):
    """Signing up for an activity with the keyboard alone: fill in, accept the privacy notice,
    type the SMS code; the robots' trap is never reached."""
    context, page = _context(browser, demo)
    visit(page, f"/a/{demo.upcoming_code}/")
    actions = {
        "name": "王大爷",
        "phone": "13912340002",
        "privacy_accepted": " ",
        "website": "robot",
    }
    reached = tab_through(page, actions, "form:has(#id_phone) button[type=submit]")
    assert reached == ["name", "phone", "privacy_accepted", "submit"]  # not "website"
    page.wait_for_url(f"**/a/{demo.upcoming_code}/confirm/")
    code = page.locator(".demo-code .code").inner_text().strip()
    assert tab_through(page, {"code": code}, "button[type=submit].big") == ["code", "submit"]
    page.wait_for_url(f"**/a/{demo.upcoming_code}/")
    assert page.locator(".messages .message").count() == 1
    signed_up = SignUp.objects.filter(activity__public_code=demo.upcoming_code, phone="13912340002")
    assert signed_up.exists()
    connections.close_all()
    context.close()
