"""The demo shows the site's own error pages (issue 16): `make run` starts the server with the
environment its Makefile gives it, and an unknown page or a crash is a plain page in Chinese with a
way home, never Django's English debug page; static files are served. And the pages themselves, on
a phone, pass the axe checks."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .test_accessibility import check

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
REAL_BIN = Path(sys.executable).parent
# What the test runner's own environment sets; the Makefile must decide these for the demo.
DECIDED_BY_MAKE = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "LIAISON_DEMO",
    "SITE_URL",
    "DATABASE_URL",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "MAKEFLAGS",
    "MFLAGS",
)
# Stands in for bin/liaison under `make run`: writes down each command and its environment.
RECORDER = """#!{python}
import json, os, sys
with open({log!r}, "a") as log:
    log.write(json.dumps({{"args": sys.argv[1:], "env": dict(os.environ)}}) + "\\n")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _make_run_commands(tmp_path, port) -> list[dict]:
    """The liaison commands `make run` runs, with their environment, without running them."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    log = tmp_path / "commands.jsonl"
    script = fake_bin / "liaison"
    script.write_text(RECORDER.format(python=sys.executable, log=str(log)))
    script.chmod(0o755)
    installed = fake_bin / ".installed"
    installed.touch()
    later = time.time() + 3600  # newer than pyproject.toml: no install step
    os.utime(installed, (later, later))
    env = {k: v for k, v in os.environ.items() if k not in DECIDED_BY_MAKE}
    subprocess.run(
        ["make", "--no-print-directory", "-s", "run", f"BIN={fake_bin}", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        timeout=60,
        capture_output=True,
        # The recipe's trap ends its whole process group (make too) on exit: not this test's.
        start_new_session=True,
    )
    return [json.loads(line) for line in log.read_text().splitlines()]


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def demo_server(tmp_path):
    """The web server as `make run` starts it (migrated and with collected static files; the
    demo data are not needed to show an error)."""
    port = _free_port()
    commands = _make_run_commands(tmp_path, port)
    by_name = {c["args"][0]: c for c in commands}
    # The worker starts in the background beside the server; the recipe's trap may end it before
    # the stand-in writes it down, so only the commands run in turn are required here.
    assert {"migrate", "collectstatic", "load_demo", "runserver"} <= set(by_name)
    env = by_name["runserver"]["env"] | {
        "LIAISON_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": str(ROOT),
    }
    (tmp_path / "var").mkdir()
    liaison = str(REAL_BIN / "liaison")
    for name in ("migrate", "collectstatic"):
        subprocess.run([liaison, *by_name[name]["args"]], env=env, check=True, timeout=300)
    server = subprocess.Popen(
        [liaison, *by_name["runserver"]["args"]],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield base, tmp_path / "var"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_demo_shows_the_site_404_and_500_in_chinese_and_serves_static_files(demo_server):
    base, var = demo_server
    status, html = _get(base + "/no/such/page/")
    assert status == 404
    assert "抱歉，没有找到这个页面" in html
    assert "Page not found at" not in html and "Using the URLconf" not in html
    assert 'href="/"' in html

    css = next(line for line in html.splitlines() if "site." in line and ".css" in line)
    css_url = css.split('href="', 1)[1].split('"', 1)[0]
    status, _ = _get(base + css_url)
    assert status == 200, css_url

    # A crash: the database is gone under the running server.
    (var / "liaison.sqlite3").rename(var / "moved.sqlite3")
    status, html = _get(base + "/")
    assert status == 500
    assert "页面出错了" in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert 'href="/"' in html


@pytest.mark.urls("tests.core.error_urls")
def test_error_pages_on_a_phone_pass_the_axe_checks(phone, district, screenshot):
    response = phone.goto("/no/such/page/")
    assert response.status == 404
    check(phone, "error-404")
    phone.get_by_role("link", name="返回首页").first.click()
    phone.wait_for_url("**/")
    assert phone.locator("h1").count() == 1

    response = phone.goto("/test-crash/")
    assert response.status == 500
    assert phone.locator("h1").inner_text() == "页面出错了"
    screenshot(phone, "error-500")
    check(phone, "error-500")

    response = phone.goto("/test-forbidden/")
    assert response.status == 403
    check(phone, "error-403")
