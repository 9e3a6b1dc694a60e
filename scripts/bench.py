"""How fast the API is, as ratios to a bare reference measured in the same run.

Machines here are noisy, so absolute numbers mean little; each of our
operations is compared with the plain Starlette route that does the least it
must do (scripts/bench_reference.py), on the same backend, served and loaded
the same way, with the same number of worker processes.
Needs `wrk` (make bench installs it).

Usage: python scripts/bench.py [--seconds S] [--backend sqlite|postgresql|both] [--workers 1,4]"""

import argparse
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
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
INVOICE = {"due_date": "2026-06-01", "recipient": {"company": "Acme Corp", "email": "ap@acme.com"},
           "line_items": [{"description": "Brand identity system", "quantity": 1, "unit_price_cents": 250000}]}
OURS, REFERENCE = "http://127.0.0.1:8741", "http://127.0.0.1:8742"
# our operation → the reference route that does the least it must do
PAIRS = {
    "GET one invoice": ("/api/v1/invoices/ACME-0001", "/row", None),
    "GET list of 20": ("/api/v1/invoices?limit=20", "/row", None),
    "POST create": ("/api/v1/invoices", "/insert", INVOICE),
}


def start(command: list, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})})


def wait(url: str) -> None:
    for _ in range(300):
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            pass
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


def measure(db: str, workers: int, seconds: int) -> dict:
    """Each pair of (ours, reference) on `db` with `workers` processes each."""
    key = subprocess.run([BIN / "jupiter-invoice", "keys", "create", "--email", "bench@example.com", "--db", db],
                         capture_output=True, text=True, check=True).stdout.strip()
    auth = {"Authorization": f"Bearer {key}"}
    ours = start([BIN / "jupiter-invoice", "serve", "--port", "8741", "--db", db, "--rate-limit", "0",
                  "--no-access-log", "--workers", str(workers)])
    reference = start([BIN / "uvicorn", "scripts.bench_reference:app", "--port", "8742", "--no-access-log",
                       "--http", "app.server:GuardedHttpToolsProtocol", "--log-level", "warning",
                       "--workers", str(workers)], {"BENCH_DB": db})
    try:
        wait(f"{OURS}/readyz")
        httpx.post(f"{OURS}/api/v1/invoices", json=INVOICE, headers=auth).raise_for_status()
        wait(f"{REFERENCE}/static")
        results = {}
        for name, (path, reference_path, body) in PAIRS.items():
            results[name] = (wrk(f"{OURS}{path}", seconds, auth, body),
                             wrk(f"{REFERENCE}{reference_path}", seconds, {}, body))
        return results
    finally:
        for process in (ours, reference):
            process.terminate()
            process.wait(timeout=20)


def report(backend: str, workers: int, results: dict) -> None:
    print(f"\n{backend}, {workers} worker{'s' if workers > 1 else ''}")
    print(f"  {'':18} {'req/s':>8} {'p99':>9} {'non-2xx':>8} {'reference':>10} {'ratio':>6}")
    for name, (ours, reference) in results.items():
        print(f"  {name:18} {ours['rps']:8.0f} {ours['p99']:>9} {ours['errors']:8d} {reference['rps']:10.0f} "
              f"{ours['rps'] / reference['rps']:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--workers", default="1,4", help="comma-separated worker counts (default: 1,4)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: `make bench` installs it")
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    cluster = None
    for backend in backends:
        for workers in (int(n) for n in args.workers.split(",")):
            work = Path(tempfile.mkdtemp(prefix="jupiter-bench-"))
            if backend == "postgresql":
                from scripts.pg_cluster import Cluster

                cluster = cluster or Cluster(durable=True)
                db = cluster.fresh_schema()
            else:
                db = str(work / "bench.db")
            try:
                report(backend, workers, measure(db, workers, args.seconds))
            finally:
                shutil.rmtree(work, ignore_errors=True)
    print("\nratio: our requests a second over the reference's, measured one after the other in this run.")


if __name__ == "__main__":
    main()
