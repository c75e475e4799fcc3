"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, a free port, collecting what it
receives. Use the `smtp_server` fixture (tests/conftest.py loads this module as a plugin);
it points MAIL_SERVER/MAIL_PORT at the server
for the test and restores them afterwards.
"""
import socket
from email import message_from_bytes
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Collector:
    """The aiosmtpd handler: keeps raw and parsed messages; can refuse recipients."""

    def __init__(self):
        self.raw: list[bytes] = []
        self.refusing = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusing:
            return "451 4.3.0 Mailbox temporarily unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.raw.append(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


class SmtpServer:
    """What a test drives: the messages received, and stopping, starting or refusing."""

    def __init__(self):
        self.port = free_port()
        self.handler = Collector()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def refuse(self, refusing: bool = True) -> None:
        """Answer every recipient with a temporary failure (the server is up but unwell)."""
        self.handler.refusing = refusing

    @property
    def raw(self) -> list[bytes]:
        return list(self.handler.raw)

    @property
    def messages(self) -> list[EmailMessage]:
        """The received messages, parsed so headers come back decoded."""
        return [message_from_bytes(raw, policy=policy.default) for raw in self.handler.raw]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def clear(self) -> None:
        self.handler.raw.clear()


@pytest.fixture
def smtp_server(app):
    """A running SMTP server the app sends to; stopped and the settings restored after."""
    server = SmtpServer()
    server.start()
    keys = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_USERNAME")
    saved = {key: app.config.get(key) for key in keys}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_USE_TLS=False,
                      MAIL_USE_SSL=False, MAIL_USERNAME=None)
    try:
        yield server
    finally:
        server.stop()
        app.config.update(saved)
