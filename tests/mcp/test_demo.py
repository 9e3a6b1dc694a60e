"""The agent conversation README.md shows really runs: scripts/mcp_demo.py
against a live server, through the official client, exactly as documented."""

import subprocess
import sys
from pathlib import Path

from tests.live import mint_key

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_conversation_replays(live):
    url, _, db = live
    key = mint_key(db, "readme-demo@example.com")  # a fresh account: its first Acme invoice is ACME-0001
    replay = subprocess.run([sys.executable, "-m", "scripts.mcp_demo", "--url", url], cwd=ROOT,
                            env={"KEY": key, "PATH": ""}, capture_output=True, text=True, timeout=60, check=False)
    assert replay.returncode == 0, replay.stderr
    transcript = replay.stdout
    assert "tool  < isError 400" in transcript and "did you mean 'unit_price_cents'?" in transcript
    assert 'agent > send_invoice {"number": "ACME-0001"}' in transcript
    last = transcript.strip().splitlines()[-1]
    assert last.startswith('tool  < 200 {"id": "ACME-0001", "status": "sent", "po_number": "PO-7781"')
    assert '"tax_cents": 22188, "total_cents": 272188' in last
