"""Issue 17: a page missing from the cache is built by one process at a time
(core/public_pages.cached). The others are served the page of the minute before where only the
clock moved on, else wait for the new one; a builder that gives up leaves the page to them."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from liaison.core import public_pages


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.LIAISON_PUBLIC_PAGE_CACHE_SECONDS = 60


def _request():
    request = RequestFactory().get("/a/page/")
    request.user = AnonymousUser()
    return request


class Builder:
    """A page build that, when `hold` is set, waits until released: a slow page being built."""

    def __init__(self, text, hold=False, status=200):
        self.text, self.status, self.calls = text, status, 0
        self.started, self.release = threading.Event(), threading.Event()
        if not hold:
            self.release.set()

    def __call__(self, extra):
        self.calls += 1
        self.started.set()
        assert self.release.wait(5)
        return HttpResponse(self.text, status=self.status)


def _in_thread(build, parts, per_minute=False):
    served = {}

    def serve():
        response = public_pages.cached(_request(), build, parts=parts, per_minute=per_minute)
        served["status"], served["text"] = response.status_code, response.content.decode()

    thread = threading.Thread(target=serve)
    thread.start()
    return thread, served


def test_two_visitors_of_a_missing_page_build_it_once():
    first = Builder("the page", hold=True)
    thread, served = _in_thread(first, ("minute 2",))
    assert first.started.wait(5)
    second = Builder("built twice")
    waiter, waited = _in_thread(second, ("minute 2",))
    first.release.set()
    thread.join(5)
    waiter.join(5)
    assert served["text"] == waited["text"] == "the page"
    assert (first.calls, second.calls) == (1, 0)


def test_while_the_new_minute_is_built_the_last_minute_is_served():
    start = timezone.now().replace(second=0, microsecond=0)
    with time_machine.travel(start + timedelta(seconds=5), tick=False):
        public_pages.cached(_request(), Builder("minute 1's page"), parts=("a",), per_minute=True)
    with time_machine.travel(start + timedelta(seconds=65), tick=False):
        builder = Builder("minute 2's page", hold=True)
        thread, served = _in_thread(builder, ("a",), per_minute=True)
        assert builder.started.wait(5)
        meanwhile = public_pages.cached(
            _request(), Builder("built twice"), parts=("a",), per_minute=True
        )
        assert meanwhile.content.decode() == "minute 1's page"
        builder.release.set()
        thread.join(5)
        after = public_pages.cached(
            _request(), Builder("built twice"), parts=("a",), per_minute=True
        )
    assert served["text"] == after.content.decode() == "minute 2's page"


def test_a_page_of_other_parts_is_never_served_for_it():
    """Where the parts changed (a case's token), not only the minute, nothing older is served."""
    start = timezone.now().replace(second=0, microsecond=0)
    with time_machine.travel(start + timedelta(seconds=5), tick=False):
        public_pages.cached(
            _request(), Builder("before the step"), parts=("token a",), per_minute=True
        )
    with time_machine.travel(start + timedelta(seconds=65), tick=False):
        builder = Builder("after the step", hold=True)
        thread, _served = _in_thread(builder, ("token b",), per_minute=True)
        assert builder.started.wait(5)
        waiter, waited = _in_thread(Builder("built twice"), ("token b",), per_minute=True)
        builder.release.set()
        thread.join(5)
        waiter.join(5)
    assert waited["text"] == "after the step"


def test_when_the_builder_gives_up_the_waiting_visitor_builds_it():
    failing = Builder("not found", hold=True, status=404)
    thread, served = _in_thread(failing, ("minute 2",))
    assert failing.started.wait(5)
    second = Builder("the page")
    waiter, waited = _in_thread(second, ("minute 2",))
    failing.release.set()
    thread.join(5)
    waiter.join(5)
    assert served == {"status": 404, "text": "not found"}
    assert waited == {"status": 200, "text": "the page"}
    assert second.calls == 1


def test_a_builder_that_never_finishes_holds_the_others_back_only_so_long(monkeypatch):
    monkeypatch.setattr(public_pages, "WAIT_SECONDS", 0.2)
    stuck = Builder("never", hold=True)
    thread, _served = _in_thread(stuck, ("minute 2",))
    assert stuck.started.wait(5)
    response = public_pages.cached(_request(), Builder("the page"), parts=("minute 2",))
    assert response.content.decode() == "the page"
    stuck.release.set()
    thread.join(5)
