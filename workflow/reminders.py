"""Automatic reminders: each step of an account's schedule, at most once per
invoice, however many servers run the scheduler.

Each batch of candidate invoices is claimed in one unit of work (`skip_locked`:
rows another scheduler holds are left to it), and each step is recorded in
reminders_sent, whose primary key (invoice, step) lets it in only once; the
reminder is queued in the outbox in that same unit of work, so a step is never
recorded without its email, nor emailed twice. An account whose email address is
not verified gets none: its steps wait, unclaimed, until it is."""

from datetime import timedelta

from billing import reminders as schedule
from billing.account_security import is_verified
from billing.delivery import default_addresses
from storage import accounts, customers
from storage import invoices as rows
from storage import reminders as steps
from storage.stamps import stamp
from workflow.clock import Clock
from workflow.invoices import queue_reminder

BATCH = 50


class Reminders:
    def __init__(self, db, clock: Clock):
        self._db = db
        self._clock = clock

    def send_due(self, public_url: str) -> int:
        """Queue every reminder due now; how many were queued."""
        with self._db.read() as tx:
            senders = [account for account in accounts.with_reminders(tx)
                       if schedule.is_on(account["reminders"]) and is_verified(account)]
        return sum(self._for_account(account, public_url) for account in senders)

    def _for_account(self, account: dict, public_url: str) -> int:
        plan, today = account["reminders"], self._clock.now().date()
        # Nothing is due for an invoice whose due date is further off than the earliest step.
        horizon = today + timedelta(days=max(plan["before_due_days"] or [0]))
        final, queued, after = schedule.last_step(plan), 0, 0
        while True:
            with self._db.write() as tx:
                batch = rows.remindable(tx, account["id"], horizon.isoformat(), after, BATCH, final)
                for record in batch:
                    queued += self._remind(tx, account, record, public_url)
            if len(batch) < BATCH:
                return queued
            after = batch[-1]["pk"]

    def _remind(self, tx, account: dict, record: dict, public_url: str) -> int:
        if not schedule.remindable(record):
            return 0
        now = self._clock.now()
        today = now.date()
        step, skipped = schedule.due_steps(account["reminders"], schedule.due_date(record), today,
                                           steps.recorded(tx, record["pk"]))
        for name in skipped:
            steps.claim(tx, record["pk"], name, "skipped", stamp(now))
        if step is None:
            return 0
        to, cc = default_addresses(record["content"]["recipient"], customers.of_invoice(tx, record["customer_pk"]))
        if not to:
            steps.claim(tx, record["pk"], step, "no_address", stamp(now))
            return 0
        if not steps.claim(tx, record["pk"], step, "sent", stamp(now)):
            return 0  # another scheduler got there first
        message_id = queue_reminder(tx, record, to, cc, None, public_url, today, now)
        steps.sent_by(tx, record["pk"], step, message_id)
        return 1
