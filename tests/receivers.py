"""Real receivers on loopback for the delivery tests: a tiny HTTP server in a thread that
answers from a script of statuses (fail first, then accept) and keeps what arrived, and an
SMTP server (aiosmtpd) that keeps the messages it received."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Arrival:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    statuses: list[int]  # answered in turn; past the end, 200
    reply: bytes = b'{"errcode": 0, "errmsg": "ok"}'
    arrivals: list[Arrival] = field(default_factory=list)
    accepted: dict[str, Arrival] = field(default_factory=dict)  # by X-Delivery-Id: dedup

    def answer(self, arrival: Arrival) -> int:
        status = (
            self.statuses[len(self.arrivals)] if len(self.arrivals) < len(self.statuses) else 200
        )
        self.arrivals.append(arrival)
        if 200 <= status < 300:
            # What a careful receiver does: keep the first of each delivery id, drop the rest.
            self.accepted.setdefault(arrival.headers.get("X-Delivery-Id", ""), arrival)
        return status


@contextmanager
def http_receiver(*statuses: int) -> Iterator[Receiver]:
    box: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            arrival = Arrival(self.path, dict(self.headers.items()), body)
            receiver = box["r"]
            status = receiver.answer(arrival)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(receiver.reply)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box["r"] = Receiver(f"http://127.0.0.1:{server.server_address[1]}/hook", list(statuses))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield box["r"]
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Mailbox:
    port: int
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox(port)
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
