"""The server's scheduler: a background thread that wakes every `interval`
seconds and queues the reminders that have come due (workflow.reminders), then
kicks the mailer. Started and stopped by the app's lifespan, like the mailer.

Every server may run one: each reminder step is claimed in the database, so it
is sent once whatever number of schedulers wake together."""

import logging
import threading

from workflow.reminders import Reminders

log = logging.getLogger("jupiter.scheduler")

DEFAULT_INTERVAL_SECONDS = 60.0


class Scheduler:
    def __init__(self, reminders: Reminders, public_url: str, mailer=None,
                 interval: float = DEFAULT_INTERVAL_SECONDS):
        self._reminders = reminders
        self._public_url = public_url.rstrip("/")
        self._mailer = mailer
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> int:
        """Queue what is due now; how many reminders were queued."""
        queued = self._reminders.send_due(self._public_url)
        if queued and self._mailer is not None:
            self._mailer.kick()
        return queued

    def start(self) -> None:
        if self._thread is not None or self.interval <= 0:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="jupiter-scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=30)

    def _run(self) -> None:
        # The first round comes one interval after the start, like every other.
        while not self._stop.wait(self.interval):
            try:
                self.run_once()
            except Exception:  # the database may be busy or gone: try again next time, never die silently
                log.exception("the scheduler could not queue reminders")
