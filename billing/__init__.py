"""The pure billing core: money, totals, customer codes, invoice content and
statuses. No I/O and no clock: callers pass `today` in."""
