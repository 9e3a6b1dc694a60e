"""Reminders on a schedule and the overdue flag: each step at most once per
invoice, only the latest of several due at once, whatever number of schedulers
race; `overdue` judged by the injected clock."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from starlette.testclient import TestClient

from app.factory import create_app
from app.scheduler import Scheduler
from tests.conftest import PUBLIC_URL, mint
from workflow import Services

TODAY = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)
SCHEDULE = {"before_due_days": [3], "after_due_days": [1, 7, 14]}


@pytest.fixture
def frozen(services):
    services.clock.freeze(TODAY)
    yield services.clock
    services.clock.freeze(None)


def _due(days_from_today: int) -> str:
    return (TODAY + timedelta(days=days_from_today)).date().isoformat()


def _reminders(services) -> list[dict]:
    return [m for m in services.outbox.messages() if m["kind"] == "reminder"]


def _steps(services, number: str) -> dict:
    with services.db.read() as tx:
        rows = tx.all("SELECT step, outcome FROM reminders_sent JOIN invoices ON invoices.id = invoice_id "
                      "WHERE invoices.number = ?", [number])
    return {row["step"]: row["outcome"] for row in rows}


@pytest.fixture
def sent(client, create, frozen):
    """Create and send an invoice due `days` from today; its number."""

    def _sent(days: int, **changes) -> str:
        number = create(due_date=_due(days), **changes)["id"]
        assert client.post(f"/api/v1/invoices/{number}/send").status_code == 200
        return number

    return _sent


def test_only_the_latest_of_several_due_steps_is_sent_and_each_step_once(client, services, sent):
    number = sent(-9)
    scheduler = Scheduler(services.reminders, PUBLIC_URL)
    assert scheduler.run_once() == 0, "reminders are off by default"
    client.patch("/api/v1/account", json={"display_name": "Studio Nord", "reminders": SCHEDULE})
    assert scheduler.run_once() == 1
    assert _steps(services, number) == {"before_3": "skipped", "after_1": "skipped", "after_7": "sent"}
    (reminder,) = _reminders(services)
    assert reminder["to_address"] == "ap@acme.com"
    assert reminder["subject"] == f"Overdue: invoice {number} from Studio Nord was due on {_due(-9)}"
    assert "9 days ago" in reminder["body"] and reminder["attachment"]["version"] >= 2
    assert scheduler.run_once() == 0, "a step goes once"
    services.clock.freeze(TODAY + timedelta(days=5))
    assert scheduler.run_once() == 1
    assert _steps(services, number)["after_14"] == "sent"
    assert scheduler.run_once() == 0 and len(_reminders(services)) == 2


def test_a_step_before_the_due_date(client, services, sent):
    client.patch("/api/v1/account", json={"reminders": SCHEDULE})
    number = sent(2)
    assert Scheduler(services.reminders, PUBLIC_URL).run_once() == 1
    assert _steps(services, number) == {"before_3": "sent"}
    assert "in 2 days" in _reminders(services)[0]["body"]


def test_reminders_go_only_to_unsettled_invoices_the_recipient_has(client, services, sent, create):
    client.patch("/api/v1/account", json={"reminders": SCHEDULE})
    create(due_date=_due(-2))  # a draft
    for action in ("void", "mark-paid"):
        client.post(f"/api/v1/invoices/{sent(-2)}/{action}")
    sent(-2, line_items=[{"description": "Free", "quantity": 1, "unit_price_cents": 0}])
    sent(-2, recipient={"company": "Initech"})  # nobody to write to
    assert Scheduler(services.reminders, PUBLIC_URL).run_once() == 0
    assert _reminders(services) == []


def test_two_schedulers_racing_send_each_step_once(client, services, sent, db_url):
    client.patch("/api/v1/account", json={"reminders": {"after_due_days": [1]}})
    numbers = [sent(-3) for _ in range(6)]
    others = [Services.open(db_url) for _ in range(2)]
    for other in others:
        other.clock.freeze(TODAY)
    schedulers = [Scheduler(other.reminders, PUBLIC_URL) for other in others]
    barrier, queued = threading.Barrier(len(schedulers)), []

    def race(scheduler):
        barrier.wait()
        queued.append(scheduler.run_once())

    threads = [threading.Thread(target=race, args=(scheduler,)) for scheduler in schedulers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for other in others:
        other.close()
    assert sum(queued) == len(numbers)
    reminded = [m["invoice_id"] for m in _reminders(services)]
    assert len(reminded) == len(set(reminded)) == len(numbers), "one reminder per invoice"
    assert all(_steps(services, number) == {"after_1": "sent"} for number in numbers)


def test_the_server_runs_the_scheduler_from_its_lifespan(db_url):
    app = create_app(db_url, PUBLIC_URL, scheduler_interval=0.1)
    services = app.state.services
    services.clock.freeze(TODAY)
    headers = mint(services, "me@example.com")
    with TestClient(app, headers=headers) as http:
        http.patch("/api/v1/account", json={"reminders": {"after_due_days": [1]}})
        invoice = http.post("/api/v1/invoices", json={
            "due_date": _due(-2), "recipient": {"company": "Acme Corp", "email": "ap@acme.com"},
            "line_items": [{"description": "Work", "quantity": 1, "unit_price_cents": 1000}]}).json()
        http.post(f"/api/v1/invoices/{invoice['id']}/send")
        deadline = datetime.now() + timedelta(seconds=10)
        while not _reminders(services):
            assert datetime.now() < deadline, "the scheduler did not run"
            threading.Event().wait(0.05)
    assert not app.state.scheduler._thread, "it stops with the server"
    services.close()


def test_serve_passes_the_interval_to_worker_processes(monkeypatch, db_url):
    from app import factory

    monkeypatch.setenv("JUPITER_DB", db_url)
    monkeypatch.setenv("JUPITER_PUBLIC_URL", PUBLIC_URL)
    monkeypatch.setenv("JUPITER_SCHEDULER_INTERVAL", "7.5")
    app = factory.app_from_environment()
    assert app.state.scheduler.interval == 7.5
    app.state.services.close()


def test_overdue_follows_the_clock_the_status_and_the_total(client, create, services, frozen):
    late, today, later = create(due_date=_due(-1)), create(due_date=_due(0)), create(due_date=_due(5))
    paid = create(due_date=_due(-1))
    client.post(f"/api/v1/invoices/{paid['id']}/mark-paid")
    free = create(due_date=_due(-1), line_items=[{"description": "Free", "quantity": 1, "unit_price_cents": 0}])
    shown = {number: client.get(f"/api/v1/invoices/{number}").json()["overdue"]
             for number in (late["id"], today["id"], later["id"], paid["id"], free["id"])}
    assert shown == {late["id"]: True, today["id"]: False, later["id"]: False, paid["id"]: False, free["id"]: False}
    assert late["overdue"] is True, "on the create response too"
    listed = client.get("/api/v1/invoices", params={"overdue": "true"}).json()["data"]
    assert [invoice["id"] for invoice in listed] == [late["id"]]
    others = client.get("/api/v1/invoices", params={"overdue": "false"}).json()["data"]
    assert {invoice["id"] for invoice in others} == {today["id"], later["id"], paid["id"], free["id"]}
    services.clock.freeze(TODAY + timedelta(days=1))
    assert {i["id"] for i in client.get("/api/v1/invoices?overdue=true").json()["data"]} == {late["id"], today["id"]}


def test_the_due_date_column_follows_every_change(client, create, services, frozen):
    number = create(due_date=_due(3))["id"]
    client.patch(f"/api/v1/invoices/{number}", json={"due_date": _due(-3), "issue_date": _due(-10)})
    assert [i["id"] for i in client.get("/api/v1/invoices?overdue=true").json()["data"]] == [number]
    version = client.get(f"/api/v1/invoices/{number}/versions").json()["data"][0]["version"]
    client.post(f"/api/v1/invoices/{number}/versions/{version}/revert")
    assert client.get("/api/v1/invoices?overdue=true").json()["data"] == []


def test_serve_takes_a_scheduler_interval():
    from app.cli import parser

    assert parser().parse_args(["serve"]).scheduler_interval == 60
    assert parser().parse_args(["serve", "--scheduler-interval", "5"]).scheduler_interval == 5
