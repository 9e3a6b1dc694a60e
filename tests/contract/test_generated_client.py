"""The spec is usable by code generators: a typed Python client generated from
openapi.yaml creates, reads and lists invoices against the app."""

import subprocess
import sys
from pathlib import Path

from starlette.testclient import TestClient

from app import spec
from tests.conftest import PAGE_EXAMPLE


def test_a_generated_client_works_against_the_api(tmp_path, app, auth, monkeypatch):
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(
        [bin_dir / "openapi-python-client", "generate", "--path", spec.SPEC_PATH, "--meta", "none"],
        cwd=tmp_path, capture_output=True, text=True, env={"PATH": f"{bin_dir}:/usr/bin:/bin"},
    )
    assert result.returncode == 0 and "Warning" not in result.stdout, result.stdout + result.stderr
    monkeypatch.syspath_prepend(str(tmp_path))

    from jupiter_invoice_api_client import AuthenticatedClient
    from jupiter_invoice_api_client.api.invoices import create_invoice, get_invoice, list_invoices
    from jupiter_invoice_api_client.models import InvoiceCreate

    client = AuthenticatedClient(base_url="http://testserver/api/v1", token=auth["Authorization"].split()[1])
    client.set_httpx_client(TestClient(app, base_url="http://testserver/api/v1", headers=auth))

    created = create_invoice.sync(client=client, body=InvoiceCreate.from_dict(PAGE_EXAMPLE))
    assert (created.id, created.total_cents, created.status.value) == ("ACME-0001", 250000, "draft")
    assert get_invoice.sync(number="ACME-0001", client=client).share_url == created.share_url
    assert [invoice.id for invoice in list_invoices.sync(client=client).data] == ["ACME-0001"]
