import base64
import time

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from billing.errors import UnprocessableEntity
from billing.webhooks import ATTEMPTS, check_addresses, check_events, refusal, retry_delay, subscribed, target
from delivery.addresses import checked
from delivery.webhooks import signed_headers
from workflow.webhooks import new_secret


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"), ("192.168.0.10", "private"),
    ("172.16.5.4", "private"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("::ffff:127.0.0.1", "loopback"), ("0.0.0.0", "private"), ("224.0.0.1", "multicast"),
    ("100.64.0.1", "reserved"), ("fc00::1", "private"),
])
def test_addresses_of_this_network_are_refused(address, kind):
    assert refusal(address) == kind


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert refusal(address) is None


def test_one_private_answer_among_public_ones_is_enough_to_refuse():
    with pytest.raises(UnprocessableEntity, match="10.0.0.7, a private address") as refused:
        check_addresses("hooks.example.com", ["93.184.215.14", "10.0.0.7"])
    assert refused.value.field == "url"


@pytest.mark.parametrize("url", ["ftp://example.com/x", "example.com/hooks", "http://", "https://user:pw@example.com/",
                                 "http://example.com:99999/", "javascript:alert(1)"])
def test_only_http_urls_with_a_host_and_no_credentials(url):
    with pytest.raises(UnprocessableEntity) as refused:
        target(url)
    assert refused.value.field == "url"


def test_a_target_keeps_the_path_and_query_and_defaults_the_port():
    where = target("https://example.com/hooks?a=1")
    assert (where.scheme, where.host, where.port, where.path) == ("https", "example.com", 443, "/hooks?a=1")
    assert target("http://[::1]:8080").path == "/"


def test_a_host_is_checked_by_what_it_resolves_to():
    def lookup(host, port):
        return {"rebinding.example": ["93.184.215.14", "127.0.0.1"], "hooks.example": ["93.184.215.14"]}.get(host, [])

    assert checked("https://hooks.example/x", allow_private=False, lookup=lookup)[1] == ["93.184.215.14"]
    with pytest.raises(UnprocessableEntity, match="127.0.0.1, a loopback address"):
        checked("https://rebinding.example/x", allow_private=False, lookup=lookup)
    assert checked("https://rebinding.example/x", allow_private=True, lookup=lookup)[1][1] == "127.0.0.1"
    with pytest.raises(UnprocessableEntity, match="no address"):
        checked("https://nowhere.example/x", allow_private=True, lookup=lookup)


def test_retries_double_from_the_base_and_stop_after_eight_attempts():
    assert [retry_delay(n, 30) for n in range(1, ATTEMPTS)] == [30, 60, 120, 240, 480, 960, 1920]
    assert retry_delay(ATTEMPTS, 30) is None
    assert retry_delay(1, 0.2) == 0.2


def test_subscriptions():
    assert subscribed(["*"], "invoice.paid") and subscribed(["invoice.paid"], "invoice.paid")
    assert not subscribed(["invoice.sent"], "invoice.paid")
    assert check_events(["invoice.sent", "invoice.sent"]) == ["invoice.sent"]
    with pytest.raises(UnprocessableEntity):
        check_events(["*", "invoice.sent"])


def test_secrets_and_signatures_are_the_standard_webhooks_ones():
    secret = new_secret()
    assert secret.startswith("whsec_") and len(base64.b64decode(secret.removeprefix("whsec_"))) >= 24

    body = '{"id":"evt_1","type":"invoice.sent","created_at":"2026-05-01T12:00:00Z","data":{}}'
    headers = signed_headers(secret, "evt_1", body, time.time())
    assert headers["webhook-signature"].startswith("v1,")
    assert Webhook(secret).verify(body, headers)["id"] == "evt_1"
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, headers)


def test_the_events_of_an_invoice_change():
    from billing.webhooks import invoice_events

    assert invoice_events("send", "draft", "sent") == ["invoice.sent"]
    assert invoice_events("payment", "sent", "sent") == ["invoice.payment_received"]
    assert invoice_events("payment", "approved", "paid") == ["invoice.payment_received", "invoice.paid"]
    assert invoice_events("mark_paid", "viewed", "paid") == ["invoice.payment_received", "invoice.paid"]
    assert invoice_events("credit_note", "sent", "sent") == []
