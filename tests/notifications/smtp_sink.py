"""A real SMTP server for tests and ``make bench``: aiosmtpd on 127.0.0.1 in a
thread of the calling process, recording every message it accepts.

Workers under test reach it over TCP exactly as they reach a production mail
server (``EMAIL_URL=smtp://127.0.0.1:<port>``), so nothing of ours is mocked.
Two controls let a test arrange the mail server's behaviour:

- ``hold()`` / ``release()``: every ``RCPT TO`` waits (the client is blocked
  in its RCPT command, before DATA) until released; ``held`` counts the
  connections waiting. Nothing has been accepted while a client waits there.
- ``refuse(address, *replies)``: the next RCPTs for ``address`` are answered
  with these replies in turn (``"451 4.3.0 Try again later"``); ``always=True``
  answers the last reply for ever.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from email import message_from_bytes, policy

from aiosmtpd.smtp import SMTP


@dataclass(frozen=True)
class Received:
    recipient: str
    period: str
    subject: str
    message_id: str


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        sink = self.sink
        if not sink._open.is_set():
            with sink._lock:
                sink.held += 1
            try:
                while not sink._open.is_set():
                    await asyncio.sleep(0.02)
            finally:
                with sink._lock:
                    sink.held -= 1
        with sink._lock:
            sink.rcpt_attempts[address] += 1
            replies = sink._refusals.get(address)
            if replies:
                reply = replies[0]
                if len(replies) > 1 or address not in sink._always:
                    replies.popleft()
                return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = message_from_bytes(envelope.original_content or b"", policy=policy.default)
        with self.sink._lock:
            for recipient in envelope.rcpt_tos:
                self.sink.received.append(
                    Received(
                        recipient=recipient,
                        period=str(message.get("X-Digest-Period", "")),
                        subject=str(message.get("Subject", "")),
                        message_id=str(message.get("Message-ID", "")),
                    )
                )
        return "250 Message accepted for delivery"


class SmtpSink:
    """``with SmtpSink() as sink: ... sink.port ... sink.received``."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = 0
        self.received: list[Received] = []
        self.rcpt_attempts: Counter[str] = Counter()
        self.held = 0
        self._lock = threading.Lock()
        self._open = threading.Event()
        self._open.set()
        self._refusals: dict[str, deque[str]] = defaultdict(deque)
        self._always: set[str] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server = None
        self._thread: threading.Thread | None = None

    # Arranging behaviour.
    def hold(self) -> None:
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    def refuse(self, address: str, *replies: str, always: bool = False) -> None:
        with self._lock:
            self._refusals[address].extend(replies)
            if always:
                self._always.add(address)

    # Reading what happened.
    def messages(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def count_by_recipient(self) -> Counter[str]:
        return Counter(message.recipient for message in self.messages())

    def wait_until(self, condition, *, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}")
            time.sleep(0.05)

    # Lifecycle.
    def start(self) -> SmtpSink:
        # aiosmtpd logs every command at INFO: thousands of lines in a bench.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._loop = loop
            self._server = loop.run_until_complete(
                loop.create_server(
                    lambda: SMTP(_Handler(self), hostname="sink.test", loop=loop),
                    host=self.host,
                    port=0,
                    backlog=512,
                )
            )
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            loop.run_forever()
            self._server.close()
            loop.run_until_complete(self._server.wait_closed())
            loop.close()

        self._thread = threading.Thread(target=run, name="smtp-sink", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the SMTP sink did not start")
        return self

    def stop(self) -> None:
        self.release()
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
