"""How fast the API is, as ratios to two services measured in the same run, on
the same data, served and loaded the same way.

Machines here are noisy, so absolute numbers mean little. Each of our
operations is compared with
- the peer (scripts/bench_peer.py): the same create, get and list written the
  way a typical FastAPI + pydantic service would be, with SQLite at
  synchronous=NORMAL where ours keeps FULL;
- the reference (scripts/bench_reference.py): plain Starlette routes doing the
  least each operation must do (one read, one durable insert).
All three log each request, and run the same number of worker processes; one
worker is pinned to the first core and wrk to the second. CPU per request is the
server processes' CPU time over the requests answered; RSS is each worker's
resident memory after the run. Seeding is 10,000 creates through the API (the
rows every later read pages through), timed by the wall clock.
Needs `wrk` and FastAPI (make bench installs both).

Usage: python scripts/bench.py [--seconds S] [--seed N] [--backend sqlite|postgresql|both] [--workers 1,2,4]"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
INVOICE = {"due_date": "2026-06-01", "recipient": {"company": "Acme Corp", "email": "ap@acme.com"},
           "line_items": [{"description": "Brand identity system", "quantity": 1, "unit_price_cents": 250000}]}
OURS, REFERENCE, PEER = "http://127.0.0.1:8741", "http://127.0.0.1:8742", "http://127.0.0.1:8743"
DEPTH = 9_000  # how far down the deep page starts, in invoices from the newest
# tools/call get_invoice as a client sends it after the 2025-11-25 handshake, and at the
# revision the official 2.x client picks by default (2026-07-28): no handshake, its
# envelope in _meta and its routing in headers.
MCP_2025, MCP_2026 = "2025-11-25", "2026-07-28"
MCP_CALL = {"name": "get_invoice", "arguments": {"number": "ACME-0001"}}
MCP_GET = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": MCP_CALL}
MCP_GET_2026 = {**MCP_GET, "params": {**MCP_CALL, "_meta": {
    "io.modelcontextprotocol/protocolVersion": MCP_2026, "io.modelcontextprotocol/clientCapabilities": {}}}}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json",
               "MCP-Protocol-Version": MCP_2025}
MCP_HEADERS_2026 = {**MCP_HEADERS, "MCP-Protocol-Version": MCP_2026, "Mcp-Method": "tools/call",
                    "Mcp-Name": "get_invoice"}
MCP_REQUESTS = {MCP_2025: (MCP_HEADERS, MCP_GET), MCP_2026: (MCP_HEADERS_2026, MCP_GET_2026)}
# Seeding: creates spread over ten customers, stopping after SEED_COUNT answers.
SEED_SCRIPT = """
local answered, failed, wanted = 0, 0, tonumber(os.getenv("SEED_COUNT"))
local sent = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  sent = sent + 1
  local body = '{"due_date": "2026-06-01", "recipient": {"company": "Customer ' .. (sent % 10) ..
    '", "email": "ap@example.com"}, "line_items": [{"description": "Work", "quantity": 2, ' ..
    '"unit_price_cents": ' .. (1000 + sent % 997) .. '}]}'
  return wrk.format(nil, nil, nil, body)
end
response = function(status, headers, body)
  answered = answered + 1
  if status > 299 then failed = failed + 1 end
  if answered == wanted then io.write("seeded " .. failed .. "\\n"); io.flush(); wrk.thread:stop() end
end
"""
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


# ------------------------------------------------------------ processes

def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _tree(pid: int) -> list[int]:
    tree, found, pending = _children(), [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending += tree.get(current, [])
    return found


def cpu_seconds(pid: int) -> float:
    """User and system time of the process and all its live descendants."""
    total = 0
    for member in _tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def rss_mb(pid: int) -> float:
    """The largest resident set among the process and its descendants: one worker's."""
    largest = 0
    for member in _tree(pid):
        try:
            largest = max(largest, int(Path(f"/proc/{member}/statm").read_text().split()[1]))
        except OSError:
            continue
    return largest * PAGE_BYTES / 2**20


@dataclass(eq=False)
class Server:
    name: str
    url: str
    process: subprocess.Popen

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _pinned(workers: int, core: int) -> list[str]:
    """One worker gets a core to itself, as does wrk: less noise from each other."""
    return ["taskset", "-c", str(core)] if workers == 1 and shutil.which("taskset") and os.cpu_count() > 1 else []


def start(name: str, url: str, command: list, workers: int, env: dict | None = None) -> Server:
    process = subprocess.Popen([*_pinned(workers, 0), *map(str, command)], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    return Server(name, url, process)


def wait(url: str) -> None:
    for _ in range(600):
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


# ------------------------------------------------------------ load

def _found(pattern: str, output: str) -> str:
    match = re.search(pattern, output)
    if match is None:
        raise RuntimeError(f"wrk printed no {pattern!r}:\n{output}")
    return match.group(1)


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def wrk(server: Server, path: str, seconds: int, workers: int, headers: dict, body: dict | None = None) -> dict:
    """One load of `seconds` on `server` (a POST of `body` if given): rates, latencies, CPU."""
    args = ["wrk", "-t1", "-c16", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    script = None
    if body is not None:
        script = (f'wrk.method = "POST"\nwrk.body = {json.dumps(json.dumps(body))}\n'
                  'wrk.headers["Content-Type"] = "application/json"\n')
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        if script:
            lua.write(script)
            lua.flush()
            args += ["-s", lua.name]
        before = cpu_seconds(server.process.pid)
        output = subprocess.run([*_pinned(workers, 1), *args, server.url + path], capture_output=True, text=True,
                                check=True).stdout
        cpu = cpu_seconds(server.process.pid) - before
    requests = int(_found(r"(\d+) requests in", output))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(_found(r"Requests/sec:\s+([\d.]+)", output)),
        "p50": _ms(_found(r"50%\s+([\d.]+\w+)", output)),
        "p99": _ms(_found(r"99%\s+([\d.]+\w+)", output)),
        "cpu_ms": 1000 * cpu / max(requests, 1),
        "requests": requests,
        "errors": int(errors.group(1)) if errors else 0,
    }


def _deep_cursor(url: str, auth: dict) -> str:
    """The cursor DEPTH invoices down from the newest, walked to page by page."""
    cursor = None
    for _ in range(DEPTH // 100):  # fewer rows (a small --seed): as deep as they go
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        deeper = httpx.get(f"{url}/api/v1/invoices", params=params, headers=auth, timeout=30).json()["next_cursor"]
        if deeper is None:
            break
        cursor = deeper
    return cursor


def _position(db: str, cursor: str) -> int:
    """The row our sealed cursor names, for the reference's plain keyset: unsealed with
    the database's own cursor secret, as the servers do."""
    from storage.engine import open_database
    from storage.pagination import Cursors

    database = open_database(db)
    try:
        with database.read() as tx:
            secret = tx.value("SELECT value FROM settings WHERE name = 'cursor_secret'")
    finally:
        database.close()
    return Cursors(secret).decode("invoices", cursor)


def seed_through_api(server: Server, workers: int, auth: dict, count: int) -> dict:
    """`count` creates as fast as the server takes them; wall time until the last answer.
    (wrk itself runs out its duration whatever its script does: the script says when.)"""
    headers = [part for name, value in auth.items() for part in ("-H", f"{name}: {value}")]
    args = ["wrk", "-t1", "-c16", "-d600s", *headers]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(SEED_SCRIPT)
        lua.flush()
        before, started = cpu_seconds(server.process.pid), time.monotonic()
        load = subprocess.Popen([*_pinned(workers, 1), *args, "-s", lua.name, server.url + "/api/v1/invoices"],
                                stdout=subprocess.PIPE, text=True, env={**os.environ, "SEED_COUNT": str(count)})
        try:
            failed = next(int(line.split()[1]) for line in load.stdout if line.startswith("seeded "))
            wall = time.monotonic() - started
            cpu = cpu_seconds(server.process.pid) - before
        finally:
            load.terminate()
            load.wait()
    return {"wall_s": wall, "cpu_ms": 1000 * cpu / count, "errors": failed}


# ------------------------------------------------------------ one configuration

READS = ("get", "list of 50", "deep page")


def measure(dbs: dict, workers: int, seconds: int, seed: int, key: str) -> dict:
    """Every operation on ours, the peer and the reference with `workers` processes each;
    seeding first when `seed` creates are asked for. {operation: {server: result}}."""
    auth = {"Authorization": f"Bearer {key}"}
    servers = [
        start("ours", OURS, [BIN / "jupiter-invoice", "serve", "--port", "8741", "--db", dbs["ours"],
                             "--rate-limit", "0", "--workers", workers], workers),
        start("peer", PEER, [BIN / "uvicorn", "scripts.bench_peer:app", "--port", "8743", "--workers", workers,
                             "--log-level", "info"], workers,
              {"BENCH_DB": dbs["peer"], "BENCH_KEY": key, "BENCH_PUBLIC_URL": PEER}),
        start("reference", REFERENCE, [BIN / "uvicorn", "scripts.bench_reference:app", "--port", "8742",
                                       "--http", "app.server:GuardedHttpToolsProtocol", "--workers", workers,
                                       "--log-level", "info"], workers, {"BENCH_DB": dbs["ours"]}),
    ]
    ours, peer, reference = servers
    results: dict[str, dict] = {}
    try:
        wait(f"{OURS}/readyz")
        wait(f"{PEER}/docs")
        if seed:
            results["seed 10,000" if seed == 10_000 else f"seed {seed:,}"] = {
                server.name: seed_through_api(server, workers, auth, seed) for server in (ours, peer)}
        for url in (OURS, PEER):  # ACME-0001, the invoice every read reads
            httpx.post(f"{url}/api/v1/invoices", json=INVOICE, headers=auth).raise_for_status()
        wait(f"{REFERENCE}/static")
        token = httpx.get(f"{OURS}/api/v1/invoices/ACME-0001", headers=auth).json()["share_token"]
        ours_deep, peer_deep = _deep_cursor(OURS, auth), _deep_cursor(PEER, auth)
        operations: dict[str, dict[Server, tuple[str, dict | None]]] = {
            "create": {ours: ("/api/v1/invoices", INVOICE), peer: ("/api/v1/invoices", INVOICE),
                       reference: ("/insert", INVOICE)},
            "get": {ours: ("/api/v1/invoices/ACME-0001", None), peer: ("/api/v1/invoices/ACME-0001", None),
                    reference: ("/row", None)},
            "list of 50": {ours: ("/api/v1/invoices?limit=50", None), peer: ("/api/v1/invoices?limit=50", None),
                           reference: ("/page?limit=50", None)},
            "deep page": {ours: (f"/api/v1/invoices?limit=50&cursor={ours_deep}", None),
                          peer: (f"/api/v1/invoices?limit=50&cursor={peer_deep}", None),
                          reference: (f"/page?limit=50&before={_position(dbs['ours'], ours_deep)}", None)},
            "share page": {ours: (f"/i/{token}", None), reference: ("/html", None)},
        }
        if workers == 2:  # two workers are compared with one on reads only
            operations = {name: operations[name] for name in READS}
        for name, targets in operations.items():
            results[name] = {server.name: wrk(server, path, seconds, workers, auth, body=body)
                             for server, (path, body) in targets.items()}
        if workers != 2:
            for revision, (headers, body) in MCP_REQUESTS.items():
                results[f"MCP {revision}"] = {"ours": wrk(ours, "/mcp", seconds, workers, {**auth, **headers},
                                                          body=body)}
        results["RSS"] = {server.name: rss_mb(server.process.pid) for server in servers}
        return results
    finally:
        for server in servers:
            server.stop()


# ------------------------------------------------------------ the table

def _ratio(mine: float | None, theirs: float | None) -> str:
    return f"{mine / theirs:.2f}" if mine and theirs else ""


def report(backend: str, workers: int, results: dict, one_worker: dict | None) -> None:
    print(f"\n{backend}, {workers} worker{'s' if workers > 1 else ''}")
    print(f"  {'':16} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'CPU ms':>7} {'non-2xx':>7} | {'peer':>6} "
          f"{'CPU ms':>6} | {'ref':>6} {'CPU ms':>6} | {'/peer':>5} {'CPU/peer':>8} {'/ref':>5}")
    for name, by_server in results.items():
        if name == "RSS":
            continue
        ours, peer, ref = (by_server.get(server, {}) for server in ("ours", "peer", "reference"))
        if name.startswith("seed"):
            print(f"  {name:16} {ours['wall_s']:6.1f}s {'':7} {'':7} {ours['cpu_ms']:7.2f} {ours['errors']:7d} | "
                  f"{peer['wall_s']:5.1f}s {peer['cpu_ms']:6.2f} | {'':6} {'':6} | "
                  f"{_ratio(peer['wall_s'], ours['wall_s']):>5} {_ratio(ours['cpu_ms'], peer['cpu_ms']):>8}")
            continue
        print(f"  {name:16} {ours['rps']:7.0f} {ours['p50']:7.2f} {ours['p99']:7.2f} {ours['cpu_ms']:7.2f} "
              f"{ours['errors']:7d} | {peer.get('rps', 0):6.0f} {peer.get('cpu_ms', 0):6.2f} | "
              f"{ref.get('rps', 0):6.0f} {ref.get('cpu_ms', 0):6.2f} | {_ratio(ours['rps'], peer.get('rps')):>5} "
              f"{_ratio(ours['cpu_ms'], peer.get('cpu_ms')):>8} {_ratio(ours['rps'], ref.get('rps')):>5}")
    rss = results["RSS"]
    print(f"  RSS per worker after the run: ours {rss['ours']:.0f} MB, peer {rss['peer']:.0f} MB, "
          f"reference {rss['reference']:.0f} MB")
    for revision in MCP_REQUESTS:
        if (name := f"MCP {revision}") in results:
            mcp, rest = results[name]["ours"], results["get"]["ours"]
            print(f"  MCP tools/call get_invoice ({revision}) costs {mcp['cpu_ms'] / rest['cpu_ms']:.2f}x the REST "
                  f"get's CPU ({mcp['rps'] / rest['rps']:.2f}x its rate)")
    if one_worker is not None and workers > 1:
        gains = ", ".join(f"{name} {results[name]['ours']['rps'] / one_worker[name]['ours']['rps']:.2f}x"
                          for name in READS)
        print(f"  reads with {workers} workers over 1: {gains}")


def _databases(backend: str, work: Path, cluster) -> dict:
    if backend == "postgresql":
        return {"ours": cluster.fresh_schema(), "peer": cluster.fresh_schema()}
    return {"ours": str(work / "ours.db"), "peer": str(work / "peer.db")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="each load's length (default: 3)")
    parser.add_argument("--seed", type=int, default=10_000, help="invoices created through the API first")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--workers", default="1,2,4", help="comma-separated worker counts (default: 1,2,4)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: `make bench` installs it")
    started = time.monotonic()
    cluster = None
    for backend in ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]:
        work = Path(tempfile.mkdtemp(prefix="jupiter-bench-"))
        if backend == "postgresql" and cluster is None:
            from scripts.pg_cluster import Cluster

            cluster = Cluster(durable=True)
        try:
            # One set of databases per backend: seeded once, then served with each worker count.
            dbs = _databases(backend, work, cluster)
            key = subprocess.run([BIN / "jupiter-invoice", "keys", "create", "--email", "bench@example.com",
                                  "--db", dbs["ours"]], capture_output=True, text=True, check=True).stdout.strip()
            one_worker = None
            for index, workers in enumerate(int(n) for n in args.workers.split(",")):
                results = measure(dbs, workers, args.seconds, args.seed if index == 0 else 0, key)
                report(backend, workers, results, one_worker)
                one_worker = results if workers == 1 else one_worker
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print("\nours, peer, ref: requests a second (seeding: seconds of wall time); CPU ms: server CPU per request.\n"
          "/peer, /ref: our rate over theirs (seeding: their time over ours), CPU/peer: our CPU per request over "
          "the peer's.\nThe peer runs SQLite with synchronous=NORMAL (commits not fsynced); ours and the reference "
          f"keep FULL. Whole run: {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
