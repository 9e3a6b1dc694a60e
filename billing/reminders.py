"""When an invoice is overdue, and which reminder step is due for it: pure
functions of the invoice, the account's schedule and today's date.

A step is "before_N" (N days before the due date) or "after_N" (N days after
it). A step is due once its day has come; a before-step only while the due date
is still ahead. Each step is sent at most once per invoice, and when several are
due at once only the latest is sent: the earlier ones are recorded as skipped."""

from datetime import date, timedelta

from billing import status

# Whom reminders go to: invoices the recipient has, that are not settled.
REMINDABLE = frozenset({status.SENT, status.VIEWED, status.CHANGES_REQUESTED, status.APPROVED})
SETTLED = frozenset({status.PAID, status.VOID})


def still_due(invoice: dict) -> bool:
    """Whether something is left to pay on an invoice (a storage record)."""
    return invoice["status"] not in SETTLED and invoice["total_cents"] > 0


def due_date(invoice: dict) -> date:
    return date.fromisoformat(invoice["content"]["due_date"])


def overdue(invoice: dict, today: date) -> bool:
    """Its due date is past and something is still due."""
    return due_date(invoice) < today and still_due(invoice)


def remindable(invoice: dict) -> bool:
    return invoice["status"] in REMINDABLE and still_due(invoice)


def steps(schedule: dict, due: date) -> list[tuple[date, str]]:
    """Every step of the schedule as (its day, its name), in time order."""
    days = [(due - timedelta(days=n), f"before_{n}") for n in schedule.get("before_due_days") or []]
    days += [(due + timedelta(days=n), f"after_{n}") for n in schedule.get("after_due_days") or []]
    return sorted(days)


def due_steps(schedule: dict, due: date, today: date, recorded: set[str]) -> tuple[str | None, list[str]]:
    """(the step to send now or None, the steps to record as skipped)."""
    came = [(day, name) for day, name in steps(schedule, due)
            if day <= today and not (name.startswith("before_") and today >= due)]
    waiting = [name for _, name in came if name not in recorded]
    moot = [name for _, name in steps(schedule, due)
            if name.startswith("before_") and today >= due and name not in recorded]
    if not waiting:
        return None, moot
    latest = waiting[-1]
    last_recorded = max((day for day, name in came if name in recorded), default=None)
    latest_day = next(day for day, name in came if name == latest)
    if last_recorded is not None and last_recorded >= latest_day:
        return None, waiting + moot  # a later step went already: these come too late
    return latest, waiting[:-1] + moot


def last_step(schedule: dict) -> str | None:
    """The final step of a schedule: once it is recorded, nothing more can come."""
    if schedule.get("after_due_days"):
        return f"after_{max(schedule['after_due_days'])}"
    if schedule.get("before_due_days"):
        return f"before_{min(schedule['before_due_days'])}"
    return None


def is_on(schedule: dict) -> bool:
    return bool(schedule.get("before_due_days") or schedule.get("after_due_days"))
