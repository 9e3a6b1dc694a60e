from datetime import timedelta

import pytest

from app.mailer import retry_delay, smtp_settings


def test_retries_back_off_to_at_most_an_hour():
    assert [retry_delay(n) for n in (0, 1, 2)] == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]
    assert retry_delay(50) == timedelta(hours=1)


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://localhost", ("localhost", 25, None, None, None)),
    ("smtp+starttls://me%40x.com:p%2Fw@mail.x.com:2525", ("mail.x.com", 2525, "starttls", "me@x.com", "p/w")),
    ("smtps://mail.x.com", ("mail.x.com", 465, "ssl", None, None)),
])
def test_smtp_urls(url, expected):
    settings = smtp_settings(url)
    assert (settings.host, settings.port, settings.security, settings.username, settings.password) == expected


def test_the_from_address_is_configurable():
    assert smtp_settings("smtp://mail.x.com?from=billing@x.com").sender == "billing@x.com"
