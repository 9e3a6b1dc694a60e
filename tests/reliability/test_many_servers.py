"""Three `serve` processes on one database are one service: numbers stay gapless,
an Idempotency-Key replays across servers, a share link's allowance and a browser
session hold on every server, each email leaves once, and a server SIGKILLed mid
load loses nothing it acknowledged. (On PostgreSQL, the deployment this is for;
on SQLite, several processes on one host, which holds too.)"""

import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.backends import fresh_db
from tests.live import LiveServer, mint_key
from tests.mail import receiving
from tests.reliability.load import COMPANIES, Load, gapless, invoice
from workflow import SHARE_ACTIONS_BURST


@pytest.fixture(scope="module")
def mail():
    with receiving() as server:
        yield server


@pytest.fixture(scope="module")
def service(tmp_path_factory, mail):
    """(the database, a key, three servers behind no balancer: the tests pick one per request)."""
    db = fresh_db(tmp_path_factory.mktemp("many"))
    key = mint_key(db)
    controller, _ = mail
    args = ("--rate-limit", "0", "--smtp-url", f"smtp://127.0.0.1:{controller.port}")
    servers = [LiveServer(db, extra_args=args) for _ in range(3)]
    try:
        for server in servers:
            server.wait_until_ready()
        yield db, key, servers
    finally:
        for server in servers:
            server.stop()


def _headers(key: str, **extra) -> dict:
    return {"Authorization": f"Bearer {key}", **extra}


def test_numbers_stay_gapless_across_servers(service):
    _, key, servers = service

    def create(n: int) -> httpx.Response:
        server = servers[n % 3]
        return httpx.post(f"{server.base_url}/api/v1/invoices", json=invoice(COMPANIES[n % 4], f"many-{n}"),
                          headers=_headers(key), timeout=60)

    with ThreadPoolExecutor(24) as pool:
        responses = list(pool.map(create, range(90)))
    assert [r.status_code for r in responses] == [201] * 90, {r.text for r in responses if r.status_code != 201}
    numbers = [r.json()["id"] for r in responses]
    assert len(set(numbers)) == 90 and gapless(numbers)


def test_an_idempotent_retry_on_another_server_replays(service):
    _, key, servers = service
    headers = _headers(key, **{"Idempotency-Key": str(uuid.uuid4())})
    body = invoice("Retry Ltd", "once")
    first = httpx.post(f"{servers[0].base_url}/api/v1/invoices", json=body, headers=headers, timeout=30)
    again = httpx.post(f"{servers[1].base_url}/api/v1/invoices", json=body, headers=headers, timeout=30)
    assert first.status_code == again.status_code == 201
    assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
    listed = httpx.get(f"{servers[2].base_url}/api/v1/invoices", params={"limit": 100},
                       headers=_headers(key)).json()["data"]
    assert [i["id"] for i in listed].count(first.json()["id"]) == 1
    assert sum(i["recipient"]["company"] == "Retry Ltd" for i in listed) == 1


def test_twins_racing_on_two_servers_create_one_invoice(service):
    _, key, servers = service
    for round_ in range(10):
        headers = _headers(key, **{"Idempotency-Key": str(uuid.uuid4())})
        body = invoice(f"Twin {round_}", "twin")
        def post(server, body=body, headers=headers):
            return httpx.post(f"{server.base_url}/api/v1/invoices", json=body, headers=headers, timeout=30)

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(post, servers[:2]))
        assert sorted(a.status_code for a in answers) in ([201, 201], [201, 409])
        created = {a.json()["id"] for a in answers if a.status_code == 201}
        assert len(created) == 1, "one invoice, whichever server answered"


def test_a_share_links_burst_is_one_for_all_servers(service):
    _, key, servers = service
    token = httpx.post(f"{servers[0].base_url}/api/v1/invoices", json=invoice("Chatty", "c"),
                       headers=_headers(key)).json()["share_token"]
    answers = [httpx.post(f"{servers[n % 3].base_url}/api/v1/share/{token}/comments", json={"body": f"note {n}"})
               for n in range(SHARE_ACTIONS_BURST + 1)]
    assert [a.status_code for a in answers] == [201] * SHARE_ACTIONS_BURST + [429]


def test_a_browser_session_works_on_every_server(service):
    _, _, servers = service
    with httpx.Client(base_url=servers[0].base_url) as browser:
        csrf = re.search(r'name="csrf" value="([^"]+)"', browser.get("/signup").text).group(1)
        signed_up = browser.post("/signup", data={"csrf": csrf, "email": "roaming@studio.test",
                                                  "password": "correct horse battery staple"})
        assert signed_up.status_code == 303
        cookies = browser.cookies
    for server in servers[1:]:
        page = httpx.get(f"{server.base_url}/dashboard", cookies=cookies)
        assert page.status_code == 200 and "roaming@studio.test" in page.text


def test_each_notification_is_emailed_once(service, mail):
    _, key, servers = service
    _, inbox = mail
    token = httpx.post(f"{servers[0].base_url}/api/v1/invoices", json=invoice("Mailed", "m"),
                       headers=_headers(key)).json()["share_token"]
    before = len(inbox.messages)
    for n in range(6):
        assert httpx.post(f"{servers[n % 3].base_url}/api/v1/share/{token}/comments",
                          json={"body": f"comment {n}"}).status_code == 201
    deadline = time.monotonic() + 30
    while len(inbox.messages) < before + 6 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1)  # a duplicate would arrive now
    assert len(inbox.messages) == before + 6


def test_a_server_killed_mid_load_loses_nothing_it_acknowledged(service):
    db, key, servers = service
    victim = servers[2]
    with Load(victim.base_url, key, threads=6) as load:
        deadline = time.monotonic() + 10
        while len(load.acknowledged) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        victim.kill()
    assert len(load.acknowledged) >= 40
    survivor = servers[0].base_url
    for _, acknowledged in load.acknowledged:
        stored = httpx.get(f"{survivor}/api/v1/invoices/{acknowledged['id']}", headers=_headers(key)).json()
        assert stored["line_items"] == acknowledged["line_items"] and stored["id"] == acknowledged["id"]
    numbers, cursor = [], None
    while True:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = httpx.get(f"{survivor}/api/v1/invoices", params=params, headers=_headers(key)).json()
        numbers += [i["id"] for i in page["data"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert gapless(numbers), "a crash may cut a load short, never leave a hole"
