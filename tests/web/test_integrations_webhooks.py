"""The Integrations page's webhooks: add an endpoint (its secret shown once), see
recent deliveries, remove it; forms carry the CSRF token like the key forms."""

import re
import time

import pytest
from starlette.testclient import TestClient

from app.factory import create_app
from tests.conftest import PAGE_EXAMPLE, PUBLIC_URL, mint
from tests.receiver import Receiver
from tests.web.conftest import post_form, sign_up


@pytest.fixture
def app(db_url):
    app = create_app(db_url, PUBLIC_URL, check_responses=True, allow_private_webhooks=True)
    yield app
    app.state.services.close()


def _add(client, **fields):
    return post_form(client, "/integrations/webhooks", fields, from_page="/integrations")


def test_an_added_endpoint_shows_its_secret_once_then_lists_its_deliveries(signed_in, services):
    with Receiver() as receiver:
        response = _add(signed_in, url=receiver.url, events=["invoice.created", "customer.created"],
                        description="books")
        assert response.status_code == 201, response.text
        (secret,) = re.findall(r"whsec_[A-Za-z0-9+/=]+", response.text)
        assert "only time it is shown" in response.text
        page = signed_in.get("/integrations")
        assert secret not in page.text and receiver.url in page.text and "books" in page.text
        api_key = mint(services, "sender@studio.test")
        assert signed_in.post("/api/v1/invoices", json=PAGE_EXAMPLE, headers=api_key).status_code == 201
        receiver.wait_for(2)
    for _ in range(100):
        page = signed_in.get("/integrations").text
        if page.count("Delivered") == 2:
            break
        time.sleep(0.05)
    assert "invoice.created" in page and "Recent deliveries" in page and page.count("Delivered") == 2


def test_a_private_url_is_refused_on_a_server_that_does_not_allow_it(db_url):
    strict = create_app(db_url, PUBLIC_URL)
    with TestClient(strict) as browser:
        sign_up(browser)
        response = _add(browser, url="http://127.0.0.1/hooks", events="*")
        assert response.status_code == 422
        assert "loopback address" in response.text and "whsec_" not in response.text
        assert 'value="http://127.0.0.1/hooks"' in response.text, "the form keeps what was typed"
    strict.state.services.close()


def test_a_bad_event_list_or_url_is_said_on_the_page(signed_in):
    assert _add(signed_in, url="not a url", events="*").status_code in (400, 422)
    assert _add(signed_in, url="http://127.0.0.1/x", events="invoice.exploded").status_code == 400


def test_remove_needs_the_csrf_token_and_then_removes(signed_in):
    _add(signed_in, url="http://127.0.0.1:9/hooks", events="*")
    page = signed_in.get("/integrations").text
    (action,) = re.findall(r'action="(/integrations/webhooks/\d+/remove)"', page)
    assert signed_in.post(action, data={"csrf": "forged"}).status_code == 403
    assert "http://127.0.0.1:9/hooks" in signed_in.get("/integrations").text
    removed = post_form(signed_in, action, {}, from_page="/integrations")
    assert removed.status_code == 303
    after = signed_in.get(removed.headers["location"]).text
    assert "nothing more is sent to it" in after and "http://127.0.0.1:9/hooks</code>" not in after


def test_adding_needs_the_csrf_token(signed_in):
    response = signed_in.post("/integrations/webhooks", data={"csrf": "forged", "url": "http://127.0.0.1/", "events": "*"})
    assert response.status_code == 403 and "No endpoints yet" in signed_in.get("/integrations").text
