"""`liaison worker`: periodic jobs run at most once per interval across passes and workers; one
failing job does not stop the rest; SIGTERM stops the loop cleanly."""

import os
import signal
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from liaison.core import jobs
from liaison.core.models import JobRun


@pytest.fixture
def job(request):
    """Register a test job for the duration of one test; yields the list of its runs."""
    runs = []
    interval, func = request.param if hasattr(request, "param") else (timedelta(hours=1), None)

    def tick():
        runs.append(1)
        if func:
            func()
        return "ticked"

    jobs.register("tests.tick", interval=interval)(tick)
    yield runs
    jobs.unregister("tests.tick")


def test_a_job_runs_once_per_interval_even_with_passes_back_to_back(db, job):
    with time_machine.travel("2025-03-03 09:00 +0800", tick=False) as clock:
        call_command("worker", "--once")
        call_command("worker", "--once")
        assert len(job) == 1

        clock.shift(timedelta(minutes=59))
        call_command("worker", "--once")
        assert len(job) == 1

        clock.shift(timedelta(minutes=1))
        call_command("worker", "--once")
        assert len(job) == 2
    run = JobRun.objects.get(name="tests.tick")
    assert run.last_result == "ticked"
    assert run.last_error == ""


def test_only_one_of_two_workers_claims_a_due_job(db, job):
    [tick] = [j for j in jobs.registered() if j.name == "tests.tick"]
    with time_machine.travel("2025-03-03 09:00 +0800", tick=False):
        assert jobs.claim(tick) is True
        assert jobs.claim(tick) is False


def _boom():
    raise RuntimeError("disk full")


@pytest.mark.parametrize("job", [(timedelta(hours=1), _boom)], indirect=True)
def test_a_failing_job_is_recorded_and_the_others_still_run(db, job):
    call_command("worker", "--once")
    assert len(job) == 1
    failed = JobRun.objects.get(name="tests.tick")
    assert failed.last_error == "RuntimeError: disk full"
    assert JobRun.objects.get(name="core.clearsessions").last_finished_at is not None


def test_the_registered_jobs_include_session_and_outbox_cleanup(db):
    call_command("worker", "--once")
    names = set(JobRun.objects.values_list("name", flat=True))
    assert {"core.clearsessions", "notifications.prune_sent"} <= names


def _terminate_self():
    os.kill(os.getpid(), signal.SIGTERM)


@pytest.mark.parametrize("job", [(timedelta(hours=1), _terminate_self)], indirect=True)
def test_sigterm_stops_the_loop_after_the_current_pass(db, job):
    before = signal.getsignal(signal.SIGTERM)
    # Without --once the loop would go on forever; the job's SIGTERM must end it.
    call_command("worker", "--interval", "0.01")
    assert len(job) == 1
    assert signal.getsignal(signal.SIGTERM) is before  # handlers are restored


def test_bad_options_are_refused(db):
    with pytest.raises(CommandError):
        call_command("worker", "--once", "--interval", "-1")
    with pytest.raises(CommandError):
        call_command("worker", "--once", "--batch", "0")
