"""A real SMTP server (aiosmtpd) on a loopback port, for the tests that email."""

import contextlib
import time

from aiosmtpd.controller import Controller

from tests.live import free_port


class Inbox:
    """Keeps every message the server accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@contextlib.contextmanager
def receiving(handler: Inbox | None = None):
    """(the running server, its handler) until the block ends."""
    handler = handler or Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


def wait_for(condition, seconds=10):
    """Poll until `condition()` holds (mail leaves on the mailer's own thread)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
