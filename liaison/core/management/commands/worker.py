"""`liaison worker`: drains the queues the apps register (the notification outbox) and runs the
periodic jobs.

Background work without a broker (docs/design.md, rule 6): the database is the queue. Any number of
workers may run at once; each pass claims its own rows, and each periodic job runs at most once
per interval across all of them. SIGTERM/SIGINT stop it after the notification being sent.
"""

import logging
import signal
import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from liaison.core import jobs

logger = logging.getLogger("liaison.worker")


class Command(BaseCommand):
    help = "Deliver queued notifications and run periodic jobs, until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Do one pass, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="Seconds to wait between passes (default: WORKER_POLL_SECONDS).",
        )
        parser.add_argument(
            "--batch", type=int, default=50, help="Notifications claimed per pass (default: 50)."
        )

    def handle(self, *args, once=False, interval=None, batch=50, **options):
        interval = settings.WORKER_POLL_SECONDS if interval is None else interval
        if interval < 0 or batch < 1:
            raise CommandError("--interval must not be negative and --batch must be positive.")
        jobs.autodiscover()
        try:
            for drain in jobs.drains():
                if drain.prepare is not None:
                    drain.prepare()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error

        stop = threading.Event()
        previous = self._install_signal_handlers(stop)
        logger.info(
            "worker started: draining %s, %s periodic jobs, polling every %ss",
            ", ".join(drain.name for drain in jobs.drains()) or "nothing",
            len(jobs.registered()),
            interval,
        )
        try:
            while not stop.is_set():
                self._one_pass(batch, stop)
                if once:
                    break
                stop.wait(interval)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            _drop_stale_connections()
        logger.info("worker stopped")

    def _one_pass(self, batch, stop: threading.Event) -> None:
        _drop_stale_connections()
        for drain in jobs.drains():
            while not stop.is_set():
                if drain.func(batch, stop.is_set) < batch:
                    break  # drained; a full batch means there may be more right now
        if not stop.is_set():
            jobs.run_due()

    @staticmethod
    def _install_signal_handlers(stop: threading.Event) -> dict:
        if threading.current_thread() is not threading.main_thread():
            return {}  # signals can only be handled in the main thread (e.g. in tests)

        def handle(signum, frame):
            logger.info("worker: %s received, stopping", signal.Signals(signum).name)
            stop.set()

        return {signum: signal.signal(signum, handle) for signum in (signal.SIGTERM, signal.SIGINT)}


def _drop_stale_connections() -> None:
    """A long-running process must drop connections the database has closed meanwhile (and
    honour CONN_MAX_AGE) — but never one a caller's transaction is using, as when a test runs
    the command inside its own transaction."""
    if not connection.in_atomic_block:
        close_old_connections()
