"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium, never a downloaded one.

Locally a missing browser skips these tests; in CI (LIAISON_REQUIRE_TEST_TOOLS=1) it fails them.
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
            yield chromium
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
