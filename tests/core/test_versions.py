"""Version tokens (core/versions.py): stable until bumped, replaced at once and again when the
transaction commits, never brought back once replaced."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.utils import timezone

from liaison.core import versions


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_a_token_stays_until_bumped():
    first = versions.tokens(["a", "b"])
    assert versions.tokens(["a", "b"]) == first
    assert first[0] != first[1]
    versions.bump(["a"])
    again = versions.tokens(["a", "b"])
    assert again[0] != first[0] and again[1] == first[1]


def test_an_evicted_token_comes_back_new():
    first = versions.tokens(["a"])[0]
    cache.delete("a")
    assert versions.tokens(["a"])[0] != first


def test_what_the_caller_read_is_used_as_is():
    assert versions.tokens(["a"], found={"a": "known"}) == ["known"]
    assert cache.get("a") is None  # nothing asked of the cache


@pytest.mark.django_db(transaction=True)
def test_bumped_again_when_the_transaction_commits():
    with transaction.atomic():
        versions.bump(["a"])
        inside = versions.tokens(["a"])[0]
    assert versions.tokens(["a"])[0] != inside


def test_without_a_shared_cache_a_token_lives_no_longer_than_a_public_page(settings):
    """Another process cannot forget it: it expires, so that a page is never older than that."""
    settings.LIAISON_SHARED_CACHE = False
    settings.LIAISON_PUBLIC_PAGE_CACHE_SECONDS = 60
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        first = versions.tokens(["a"], timeout=3600)[0]
    with time_machine.travel(now + timedelta(seconds=59), tick=False):
        assert versions.tokens(["a"], timeout=3600)[0] == first
    with time_machine.travel(now + timedelta(seconds=61), tick=False):
        assert versions.tokens(["a"], timeout=3600)[0] != first


def _counting():
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    return calls, build


@pytest.mark.django_db(transaction=True)
def test_a_memo_builds_once_until_its_token_changes():
    memo = versions.Memo("memo-version")
    calls, build = _counting()
    assert memo.get("x", build) == memo.get("x", build) == 1
    memo.changed()
    assert memo.get("x", build) == 2
    # Another process's change: the token in the shared cache is gone.
    cache.delete("memo-version")
    assert memo.get("x", build) == 3
    assert len(calls) == 3


@pytest.mark.django_db(transaction=True)
def test_a_memo_keeps_nothing_read_inside_a_transaction():
    memo = versions.Memo("memo-version")
    calls, build = _counting()
    with transaction.atomic():
        memo.get("x", build)
        memo.get("x", build)
    assert len(calls) == 2
    memo.get("x", build)
    memo.get("x", build)
    assert len(calls) == 3


@pytest.mark.django_db(transaction=True)
def test_a_memo_without_a_shared_cache_builds_each_time(settings):
    settings.LIAISON_SHARED_CACHE = False
    memo = versions.Memo("memo-version")
    calls, build = _counting()
    memo.get("x", build)
    memo.get("x", build)
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_a_memo_holds_at_most_its_size():
    memo = versions.Memo("memo-version", size=2)
    calls, build = _counting()
    for name in ("a", "b", "c"):
        memo.get(name, build)
    memo.get("c", build)
    assert len(calls) == 3
    memo.get("a", build)  # the oldest was dropped
    assert len(calls) == 4


@pytest.mark.django_db(transaction=True)
def test_within_a_request_a_memo_sees_its_own_change():
    memo = versions.Memo("memo-version")
    _calls, build = _counting()
    request_started.send(sender=None)
    try:
        assert memo.get("x", build) == memo.get("x", build) == 1
        memo.changed()
        assert memo.get("x", build) == 2
    finally:
        request_finished.send(sender=None)
    # Another process's change shows at the next request.
    cache.delete("memo-version")
    assert memo.get("x", build) == 3
