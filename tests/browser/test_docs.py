"""/docs in a real browser: Swagger UI draws every operation of the served spec,
under the page's Content-Security-Policy, and asks nothing of any other host."""

from urllib.parse import urlsplit

import httpx
import pytest

from tests.browser.conftest import screenshot
from tests.live import running_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("docs") / "jupiter.db") as base_url:
        yield base_url


def test_the_reference_lists_every_operation_from_our_own_files(server, page):
    spec = httpx.get(f"{server}/api/openapi.json").json()
    operation_ids = [op["operationId"] for item in spec["paths"].values() for op in item.values()
                     if isinstance(op, dict) and "operationId" in op]
    requested, refused = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)

    page.goto(f"{server}/docs")
    page.wait_for_selector(".opblock", timeout=20_000)

    drawn = page.locator(".opblock").count()
    assert drawn == len(operation_ids)
    for path in ("/invoices", "/invoices/{number}/send", "/share/{token}/approve"):
        assert page.locator(f'.opblock-summary-path[data-path="{path}"]').count() >= 1, path
    assert page.locator(".info .title").inner_text().startswith(spec["info"]["title"])
    assert refused == []
    ours = urlsplit(server).netloc
    assert [url for url in requested if urlsplit(url).netloc != ours and not url.startswith("data:")] == []
    assert f"{server}/api/openapi.json" in requested
    screenshot(page, "docs")
