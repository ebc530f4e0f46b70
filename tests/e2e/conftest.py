"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium, never a downloaded one.

Locally a missing browser skips these tests; in CI (LIAISON_REQUIRE_TEST_TOOLS=1) it fails them.

Every browser context the tests open watches for Content-Security-Policy violations (issue 15):
a test fails if any page it visited reported one, so a script, style or handler that the policy
blocks (and that therefore does nothing for real visitors) cannot slip into a template.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("LIAISON_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Runs in every document before the page's own scripts: each violation becomes a console error.
# (Tests wait with wait_for_function("() => …"): a bare expression string is eval'd in the page,
# which the policy blocks.)
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.effectiveDirective + " blocked "
    + (event.blockedURI || "inline") + " in " + event.documentURI
    + " (" + event.sourceFile + ":" + event.lineNumber + ")");
});
"""
# Chromium's own messages for a violation or a header it cannot parse.
CSP_MESSAGES = ("CSP violation", "Content Security Policy", "Permissions-Policy")
# What the contexts of the running test saw; _no_csp_violations checks and clears it.
csp_violations: list[str] = []
_watched_contexts: list = []


def watch_csp(context):
    """Record every CSP violation of `context`'s pages in csp_violations."""
    context.add_init_script(CSP_WATCH)

    def on_console(message):
        if message.type == "error" and any(m in message.text for m in CSP_MESSAGES):
            csp_violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.on("console", on_console)
    _watched_contexts.append(context)
    return context


class WatchedBrowser:
    """The browser, with every context it opens watched (new_context and new_page)."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **kwargs):
        return watch_csp(self._browser.new_context(**kwargs))

    def new_page(self, **kwargs):
        return self.new_context(**kwargs).new_page()

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(autouse=True)
def _no_csp_violations():
    csp_violations.clear()
    yield
    # A round trip to each open page delivers the console events still on their way.
    for context in list(_watched_contexts):
        try:
            for page in context.pages:
                page.evaluate("0")
        except Exception:  # a closed context or browser: nothing more can arrive from it
            _watched_contexts.remove(context)
    found, csp_violations[:] = list(csp_violations), []
    assert found == [], "Content-Security-Policy violations:\n" + "\n".join(found)


# Screenshots land here so that a person can look at them after a run.
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "var" / "e2e"


def _missing(reason: str):
    if os.environ.get("LIAISON_REQUIRE_TEST_TOOLS") == "1":
        pytest.fail(reason + " (LIAISON_REQUIRE_TEST_TOOLS=1: browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """One browser per test module, so the event loop (and the exemption below) ends with it."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        _missing(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    # Playwright's sync API runs an event loop in this thread; Django would then refuse the
    # test's own (synchronous) database calls. Only the browser tests need the exemption.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield WatchedBrowser(chromium)
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def live_site(live_server, transactional_db, settings):
    # The test settings are production ones (secure cookies); the live server speaks plain HTTP.
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_SECURE = False
    return live_server


@pytest.fixture
def phone(browser, live_site):
    """A page the size of a phone (375×667), Chinese, with the location shared."""
    context = browser.new_context(
        viewport={"width": 375, "height": 667},
        locale="zh-CN",
        geolocation={"latitude": 30.0, "longitude": 120.0},
        permissions=["geolocation"],
        base_url=live_site.url,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
