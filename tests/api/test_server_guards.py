"""The live server sheds slow and oversized requests and still serves everyone else."""

import json
import socket
import time

import httpx
import pytest

from tests.backends import fresh_db
from tests.live import LOGS, running_server


def _connect(base_url: str) -> socket.socket:
    host, port = base_url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def test_slow_and_oversized_requests_are_cut_off(tmp_path):
    with running_server(fresh_db(tmp_path), env={"JUPITER_REQUEST_TIMEOUT": "1"}) as base_url:
        # slow-loris: headers that never finish
        with _connect(base_url) as slow:
            slow.sendall(b"GET /api/v1/invoices HTTP/1.1\r\nHost: x\r\n")
            started = time.monotonic()
            assert slow.recv(1024) == b"", "the server closed the connection"
            assert time.monotonic() - started < 5

        # a connection that never sends a byte is closed too
        with _connect(base_url) as silent:
            assert silent.recv(1024) == b""

        # headers beyond 64 KiB: a JSON 431, not a hang or a crash
        with _connect(base_url) as huge:
            huge.sendall(b"GET /api/v1/invoices HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n")
            answer = huge.recv(4096)
        assert answer.startswith(b"HTTP/1.1 431") and b'"field": null' in answer

        # a 10 KB token is just a wrong key
        response = httpx.get(f"{base_url}/api/v1/invoices", headers={"Authorization": "Bearer " + "k" * 10_240})
        assert response.status_code == 401 and response.json()["error"]

        # and while all that went on, others were served
        assert httpx.get(f"{base_url}/api/openapi.json").status_code == 200


def test_a_thousand_idle_sockets_turn_no_request_away(tmp_path):
    """Idle connections cost a file descriptor, not a real request's turn: with 1,100
    sockets open and silent, requests are still answered, and none is a 503."""
    with running_server(fresh_db(tmp_path)) as base_url:
        idle = []
        try:
            for _ in range(1100):
                idle.append(_connect(base_url))
            time.sleep(0.5)  # let the server accept them all
            answers = [httpx.get(f"{base_url}/healthz", timeout=10).status_code for _ in range(5)]
        finally:
            for sock in idle:
                sock.close()
    assert answers == [200] * 5


@pytest.mark.parametrize(("allowed", "client"), [(None, "203.0.113.9"), ("10.0.0.1", "127.0.0.1")])
def test_x_forwarded_for_is_believed_only_from_the_proxies_named(tmp_path, allowed, client):
    """By default a proxy on this machine (loopback) is believed; `--forwarded-allow-ips`
    names others, or none: then a client cannot pick the address its sign-in failures count against."""
    extra = () if allowed is None else ("--forwarded-allow-ips", allowed)
    with running_server(fresh_db(tmp_path), extra_args=extra) as base_url:
        httpx.get(f"{base_url}/healthz", headers={"X-Forwarded-For": "203.0.113.9", "X-Request-Id": "forwarded-1"})
    log = LOGS / f"server-{base_url.rsplit(':', 1)[1]}.log"  # complete: the server has stopped
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    (line,) = [line for line in lines if line.get("request_id") == "forwarded-1"]
    assert line["client"] == client
