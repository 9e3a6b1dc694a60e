"""How fast the API is, as ratios to a bare reference measured in the same run.

Machines here are noisy, so absolute numbers mean little; each of our
operations is compared with the plain Starlette route that does the least it
must do (scripts/bench_reference.py), served and loaded the same way.
Needs `wrk` (make bench installs it). Usage: python scripts/bench.py [seconds]"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
INVOICE = {"due_date": "2026-06-01", "recipient": {"company": "Acme Corp", "email": "ap@acme.com"},
           "line_items": [{"description": "Brand identity system", "quantity": 1, "unit_price_cents": 250000}]}


def start(command: list, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})})


def wait(url: str) -> None:
    for _ in range(300):
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def _found(pattern: str, output: str) -> str:
    match = re.search(pattern, output)
    if match is None:
        raise RuntimeError(f"wrk printed no {pattern!r}:\n{output}")
    return match.group(1)


def wrk(url: str, seconds: int, headers: dict, body: dict | None = None) -> dict:
    script = None
    args = ["wrk", "-t1", "-c16", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    if body is not None:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script.write(f'wrk.method = "POST"\nwrk.body = {json.dumps(json.dumps(body))}\n'
                     'wrk.headers["Content-Type"] = "application/json"\n')
        script.close()
        args += ["-s", script.name]
    output = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    if script:
        os.unlink(script.name)
    rate = float(_found(r"Requests/sec:\s+([\d.]+)", output))
    p99 = _found(r"99%\s+([\d.]+\w+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": rate, "p99": p99, "errors": int(errors.group(1)) if errors else 0}


def main(seconds: int = 5) -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: `make bench` installs it")
    work = Path(tempfile.mkdtemp(prefix="jupiter-bench-"))
    db = work / "bench.db"
    key = subprocess.run([BIN / "jupiter-invoice", "keys", "create", "--email", "bench@example.com", "--db", db],
                         capture_output=True, text=True, check=True).stdout.strip()
    auth = {"Authorization": f"Bearer {key}"}
    ours = start([BIN / "jupiter-invoice", "serve", "--port", "8741", "--db", db,
                  "--rate-limit", "0", "--no-access-log"])
    reference = start([BIN / "uvicorn", "scripts.bench_reference:app", "--port", "8742", "--no-access-log",
                       "--http", "app.server:GuardedHttpToolsProtocol", "--log-level", "warning"],
                      {"BENCH_DB": str(db)})
    try:
        wait("http://127.0.0.1:8741/api/openapi.json")
        wait("http://127.0.0.1:8742/static")
        httpx.post("http://127.0.0.1:8741/api/v1/invoices", json=INVOICE, headers=auth).raise_for_status()
        runs = {
            "reference: static JSON": wrk("http://127.0.0.1:8742/static", seconds, {}),
            "reference: one SQLite read": wrk("http://127.0.0.1:8742/row", seconds, {}),
            "GET /api/v1/invoices/ACME-0001": wrk("http://127.0.0.1:8741/api/v1/invoices/ACME-0001", seconds, auth),
            "GET /api/v1/invoices?limit=20": wrk("http://127.0.0.1:8741/api/v1/invoices?limit=20", seconds, auth),
            "reference: one durable insert": wrk("http://127.0.0.1:8742/insert", seconds, {}, INVOICE),
            "POST /api/v1/invoices": wrk("http://127.0.0.1:8741/api/v1/invoices", seconds, auth, INVOICE),
        }
    finally:
        for process in (ours, reference):
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)

    print(f"\n{'':34} {'req/s':>9} {'p99':>9} {'non-2xx':>8}")
    for name, run in runs.items():
        print(f"{name:34} {run['rps']:9.0f} {run['p99']:>9} {run['errors']:8d}")
    ratios = {
        "GET one invoice / one SQLite read": ("GET /api/v1/invoices/ACME-0001", "reference: one SQLite read"),
        "GET one invoice / static JSON": ("GET /api/v1/invoices/ACME-0001", "reference: static JSON"),
        "create invoice / durable insert": ("POST /api/v1/invoices", "reference: one durable insert"),
    }
    print()
    for label, (ours_name, reference_name) in ratios.items():
        print(f"{label:34} {runs[ours_name]['rps'] / runs[reference_name]['rps']:9.2f}")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:]))
