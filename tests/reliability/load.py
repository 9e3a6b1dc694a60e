"""Bounded create loads against a live server, shared by the reliability tests
and `make soak`."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

COMPANIES = ("Acme Corp", "Globex", "Initech", "Umbrella", "Hooli")


def invoice(company: str, tag: str) -> dict:
    return {
        "due_date": "2026-06-01",
        "recipient": {"company": company, "email": f"ap@{company.split()[0].lower()}.com"},
        "line_items": [{"description": f"Work {tag}", "quantity": 1.5, "unit_price_cents": 10001}],
    }


def burst(base_url: str, key: str, count: int, *, threads: int = 50) -> list[httpx.Response]:
    """`count` creates spread over the companies, as many at once as `threads` allows."""
    headers = {"Authorization": f"Bearer {key}"}

    def create(n: int) -> httpx.Response:
        return httpx.post(f"{base_url}/api/v1/invoices", json=invoice(COMPANIES[n % len(COMPANIES)], str(n)),
                          headers=headers, timeout=60)

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(create, range(count)))


class Load:
    """Creates invoices from several threads until stopped; keeps every acknowledged one."""

    def __init__(self, base_url: str, key: str, *, threads: int = 8):
        self.base_url, self.key = base_url, key
        self.acknowledged: list[tuple[dict, dict]] = []  # (what was sent, the 201 body)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)]

    def _run(self, worker: int) -> None:
        with httpx.Client(headers={"Authorization": f"Bearer {self.key}"}, timeout=30) as client:
            n = 0
            while not self._stop.is_set():
                sent = invoice(COMPANIES[(worker + n) % len(COMPANIES)], f"{worker}-{n}")
                n += 1
                try:
                    response = client.post(f"{self.base_url}/api/v1/invoices", json=sent)
                except httpx.TransportError:
                    time.sleep(0.05)  # the server is down; it will be back or we will be stopped
                    continue
                if response.status_code == 201:
                    with self._lock:
                        self.acknowledged.append((sent, response.json()))

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)


def gapless(numbers: list[str]) -> bool:
    """Every customer's numbers run 1..n with no gap and no repeat."""
    by_code: dict[str, list[int]] = {}
    for number in numbers:
        code, _, sequence = number.rpartition("-")
        by_code.setdefault(code, []).append(int(sequence))
    return all(sorted(seqs) == list(range(1, len(seqs) + 1)) for seqs in by_code.values())
